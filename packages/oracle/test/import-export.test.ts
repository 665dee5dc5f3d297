import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CjeInputError } from "@cjeval/core";
import { describe, expect, it } from "vitest";
import { exportForLabelling, formatCsv, formatJsonl, parseCsv, readLabelFile, readToLabel } from "../src/index.js";
import { toLabelFixture } from "./to-label-fixture.js";

async function tempFile(name: string, text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), "cje-labels-")), name);
  await writeFile(file, text);
  return file;
}

describe("export for labellers", () => {
  it.each(["labels.csv", "labels.jsonl"])("writes a blind %s (item id, prompt, response, blank label) that reads back", async (name) => {
    const rows = toLabelFixture(3);
    rows[1] = { ...rows[1], oracle_label: 4 };
    const file = path.join(await mkdtemp(path.join(tmpdir(), "cje-export-")), name);
    await exportForLabelling(rows, file);
    const back = await readLabelFile(file);
    expect(back.map((l) => [l.itemId, l.label])).toEqual([
      ["item1", null],
      ["item2", 4],
      ["item3", null],
    ]);
    const text = await readFile(file, "utf8");
    expect(text).not.toContain("policy");
    expect(text).not.toContain("judge_score");
  });

  it("round-trips quotes, commas, line breaks and a byte-order mark through CSV", () => {
    const text = `\ufeff${formatCsv(
      ["a", "b"],
      [
        ['x,"y"\r\nz', 1],
        [null, ""],
      ],
    )}`;
    expect(parseCsv(text, "f.csv").map((r) => r.fields)).toEqual([
      ["a", "b"],
      ['x,"y"\r\nz', "1"],
      ["", ""],
    ]);
    expect(parseCsv('a,b\n"multi\nline",2\nnext,3\n', "f.csv").map((r) => r.line)).toEqual([1, 2, 4]);
  });
});

describe("label import validation (file:line errors)", () => {
  const cases: [string, string, string, RegExp][] = [
    ["unterminated quote", "labels.csv", 'item_id,oracle_label\nitem1,3\n"item2,4\n', /labels\.csv:3: unterminated quoted field/],
    ["stray quote", "labels.csv", 'item_id,oracle_label\nit"em1,3\n', /labels\.csv:2: a quote inside an unquoted field/],
    ["missing column", "labels.csv", "item_id,label\nitem1,3\n", /labels\.csv:1: the header needs the columns item_id and oracle_label/],
    ["wrong field count", "labels.csv", "item_id,oracle_label\nitem1,3,extra\n", /labels\.csv:2: 3 fields where the header has 2/],
    ["non-numeric label", "labels.csv", "item_id,oracle_label\nitem1,3\nitem2,good\n", /labels\.csv:3: field 'oracle_label' = "good": not a number/],
    [
      "duplicate item",
      "labels.csv",
      "item_id,oracle_label\nitem1,3\nitem1,4\n",
      /labels\.csv:3: field 'item_id' = "item1": duplicate item id \(first at line 2\)/,
    ],
    ["empty item id", "labels.csv", "item_id,oracle_label\n ,3\n", /labels\.csv:2: field 'item_id': empty item id/],
    ["corrupt JSON", "labels.jsonl", '{"item_id":"item1","oracle_label":3}\n{"item_id":\n', /labels\.jsonl:2: invalid JSON/],
    ["boolean label", "labels.jsonl", '{"item_id":"item1","oracle_label":true}\n', /labels\.jsonl:1: field 'oracle_label' = true: not a number/],
    ["missing item id", "labels.jsonl", '{"oracle_label":3}\n', /labels\.jsonl:1: field 'item_id' = null: missing or not a string/],
  ];
  it.each(cases)("%s", async (_, name, text, message) => {
    const file = await tempFile(name, text);
    await expect(readLabelFile(file)).rejects.toBeInstanceOf(CjeInputError);
    await expect(readLabelFile(file)).rejects.toThrow(message);
  });

  it("refuses labels off the declared oracle scale, naming file, line and value", async () => {
    const file = await tempFile("labels.csv", "item_id,oracle_label\nitem1,3\nitem2,7\n");
    await expect(readLabelFile(file, { min: 1, max: 5 })).rejects.toThrow(/labels\.csv:3: field 'oracle_label' = 7: outside the oracle scale 1–5/);
    expect((await readLabelFile(file, { min: 0, max: 10 })).map((l) => l.label)).toEqual([3, 7]);
  });

  it("refuses unknown label-file formats", async () => {
    await expect(readLabelFile("labels.xlsx")).rejects.toThrow(/\.csv or \.jsonl/);
  });
});

describe("to-label files", () => {
  it("validates rows with file:line:field errors", async () => {
    const rows = toLabelFixture(2);
    const bad = formatJsonl([rows[0], { ...rows[1], oracle_inclusion_probability: 0 }]);
    await expect(readToLabel(await tempFile("t.jsonl", bad))).rejects.toThrow(/t\.jsonl:2: field 'oracle_inclusion_probability' = 0: invalid to-label row/);
    const dup = formatJsonl([rows[0], rows[0]]);
    await expect(readToLabel(await tempFile("t.jsonl", dup))).rejects.toThrow(/t\.jsonl:2: field 'item_id' = "item1": duplicate item id/);
  });
});

describe("label files in other encodings", () => {
  it("refuses a UTF-16 label CSV (as spreadsheets save 'Unicode text') naming the file and line", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-labels-utf16-"));
    const file = path.join(dir, "labels.csv");
    await writeFile(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("item_id,oracle_label\nq1,0.5\n", "utf16le")]));
    const error = await readLabelFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CjeInputError);
    expect((error as Error).message).toMatch(/labels\.csv:1.*UTF-16 \(little-endian\).*save it as UTF-8/);
  });
});
