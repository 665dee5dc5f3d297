import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { analyze } from "@cjeval/core";
import { loadEvaluationData } from "@cjeval/core/node";
import { ORACLE_INCLUSION_FIELD } from "@cjeval/core/advanced";
import { writeFileAtomic } from "@cjeval/provider-utils";
import { describe, expect, it } from "vitest";
import {
  exportForLabelling,
  formatJsonl,
  importLabels,
  readSampleRecord,
  readToLabel,
  sampleForLabelling,
  sampleRecordPath,
  type ToLabelRow,
} from "../src/index.js";

/** A folder with two policy files (40 prompts, judge scores on 0–10) and a stratified to-label file of 12 rows of `a`. */
async function setup(): Promise<{ dir: string; toLabel: string; rows: ToLabelRow[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), "cje-import-"));
  const draws = path.join(dir, "draws");
  const line = (i: number, shift: number) => JSON.stringify({ prompt_id: `q${i}`, prompt: `P${i}`, response: `R${i}`, judge_score: (i * 7 + shift) % 11 });
  await writeFileAtomic(path.join(draws, "a_responses.jsonl"), Array.from({ length: 40 }, (_, i) => `${line(i, 0)}\r\n`).join(""));
  await writeFileAtomic(path.join(draws, "b_responses.jsonl"), Array.from({ length: 40 }, (_, i) => `${line(i, 3)}\n`).join(""));
  const data = await loadEvaluationData([draws]);
  const sample = sampleForLabelling(data, { design: { kind: "stratified", strata: 3 }, budget: 12, seed: 4, policies: ["a"] });
  const toLabel = path.join(dir, "to-label.jsonl");
  await writeFile(toLabel, formatJsonl(sample.rows));
  await writeFileAtomic(sampleRecordPath(toLabel), JSON.stringify(sample.record));
  return { dir, toLabel, rows: sample.rows };
}

const label = (i: number) => 1 + (i % 5);

describe("importLabels", () => {
  it("writes labels and π into the fresh-draw files atomically; analyze then uses the known-propensity design", async () => {
    const { dir, toLabel, rows } = await setup();
    await writeFile(toLabel, formatJsonl(rows.map((r, i) => ({ ...r, oracle_label: label(i) }))));
    const file = path.join(dir, "draws", "a_responses.jsonl");
    const before = (await readFile(file, "utf8")).split("\n");
    const report = await importLabels({ toLabel, inputs: [path.join(dir, "draws")] });
    expect(report).toMatchObject({ labelled: 12, unchanged: 0, missing: 0, oracleScale: { min: 1, max: 5 } });
    expect(report.files).toEqual([file]);
    const after = (await readFile(file, "utf8")).split("\n");
    const sampled = new Map(rows.map((r, i) => [r.prompt_id, { label: label(i), pi: r[ORACLE_INCLUSION_FIELD] }]));
    after.forEach((text, n) => {
      if (text === "") return;
      const row = JSON.parse(text) as Record<string, unknown>;
      const s = sampled.get(row.prompt_id as string);
      if (s === undefined) expect(text).toBe(before[n]);
      else expect([row.oracle_label, row[ORACLE_INCLUSION_FIELD], text.endsWith("\r")]).toEqual([s.label, s.pi, true]);
    });
    const result = analyze(await loadEvaluationData([path.join(dir, "draws")]), { inference: "analytic" });
    expect(result.diagnostics.label_design).toMatchObject({ kind: "known_propensity", n_labelled: 12 });

    // A re-import of the same labels changes nothing but refreshes π.
    expect(await importLabels({ toLabel, inputs: [path.join(dir, "draws")] })).toMatchObject({ labelled: 0, unchanged: 12 });
  });

  it("joins labels from an exported CSV filled in by a labeller", async () => {
    const { dir, toLabel, rows } = await setup();
    const csv = path.join(dir, "labels.csv");
    await exportForLabelling(
      rows.map((r, i) => ({ ...r, oracle_label: label(i) })),
      csv,
    );
    const report = await importLabels({ toLabel, labels: csv, inputs: [path.join(dir, "draws")], oracleScale: { min: 1, max: 5 } });
    expect(report.labelled).toBe(12);
  });

  it("refuses labels on the wrong scale, naming the file and line they came from", async () => {
    const { dir, toLabel, rows } = await setup();
    await writeFile(toLabel, formatJsonl(rows.map((r, i) => ({ ...r, oracle_label: i === 5 ? 7 : label(i) }))));
    await expect(importLabels({ toLabel, inputs: [path.join(dir, "draws")], oracleScale: { min: 1, max: 5 } })).rejects.toThrow(
      /to-label\.jsonl:6: field 'oracle_label' = 7: outside the oracle scale 1–5 of the fresh draws/,
    );
    // Labels already in the fresh draws fix the scale: new labels on another scale are refused.
    await writeFile(toLabel, formatJsonl(rows.map((r, i) => ({ ...r, oracle_label: label(i) }))));
    await importLabels({ toLabel, inputs: [path.join(dir, "draws")] });
    const next = sampleForLabelling(await loadEvaluationData([path.join(dir, "draws")]), {
      design: await readSampleRecord(path.join(dir, "to-label.design.json")),
      budget: 16,
      seed: 4,
    });
    await writeFile(toLabel, formatJsonl(next.rows.map((r) => ({ ...r, oracle_label: r.oracle_label ?? 0.5 }))));
    await expect(importLabels({ toLabel, inputs: [path.join(dir, "draws")] })).rejects.toThrow(/field 'oracle_label' = 0\.5: outside the oracle scale 1–5/);
  });

  it("refuses an unlabelled sampled row unless told to skip it, and a conflicting label unless told to overwrite", async () => {
    const { dir, toLabel, rows } = await setup();
    await writeFile(toLabel, formatJsonl(rows.map((r, i) => ({ ...r, oracle_label: i === 3 ? null : label(i) }))));
    const inputs = [path.join(dir, "draws")];
    await expect(importLabels({ toLabel, inputs })).rejects.toThrow(/to-label\.jsonl:4: field 'oracle_label': 1 of 12 sampled rows have no label/);
    expect(await importLabels({ toLabel, inputs, allowMissing: true })).toMatchObject({ labelled: 11, missing: 1 });
    await writeFile(toLabel, formatJsonl(rows.map((r, i) => ({ ...r, oracle_label: i === 0 ? 5 - (label(0) - 1) : label(i) }))));
    await expect(importLabels({ toLabel, inputs })).rejects.toThrow(
      /a_responses\.jsonl:\d+: field 'oracle_label' = \d: the fresh draw already has a different label/,
    );
    expect(await importLabels({ toLabel, inputs, overwrite: true })).toMatchObject({ labelled: 2, unchanged: 10 });
  });

  it("refuses rows of another sample and labels for items that do not exist", async () => {
    const { dir, toLabel, rows } = await setup();
    await writeFile(toLabel, formatJsonl(rows.map((r, i) => ({ ...r, oracle_label: label(i) }))));
    const inputs = [path.join(dir, "draws")];
    await importLabels({ toLabel, inputs });
    await writeFile(toLabel, formatJsonl(rows.slice(1).map((r, i) => ({ ...r, oracle_label: label(i + 1) }))));
    await expect(importLabels({ toLabel, inputs })).rejects.toThrow(
      /field 'oracle_inclusion_probability' = [\d.]+: this row carries an inclusion probability but is not in/,
    );
    const csv = path.join(dir, "labels.csv");
    await writeFile(csv, "item_id,oracle_label\nnot-an-item,3\n");
    await expect(importLabels({ toLabel, labels: csv, inputs })).rejects.toThrow(/labels\.csv:2: field 'item_id' = "not-an-item": no such item/);
  });
});

describe("reading to-label files", () => {
  it("keeps the row order and line numbers", async () => {
    const { toLabel, rows } = await setup();
    const back = await readToLabel(toLabel);
    expect(back.rows.map((r) => r.item_id)).toEqual(rows.map((r) => r.item_id));
    expect(back.lines).toEqual(rows.map((_, i) => i + 1));
  });
});
