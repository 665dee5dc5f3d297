import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CjeInputError } from "@cjeval/core";
import { loadEvaluationData } from "@cjeval/core/node";
import { describe, expect, it } from "vitest";
import { importPlainCsv, importRuns, writeImportedRows } from "../src/index.js";
import { readTextFile } from "../src/input/structured-file.js";

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "./fixtures/importers");
const fixture = (name: string) => path.join(fixtures, name);

async function inputError(promise: Promise<unknown>): Promise<CjeInputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CjeInputError)) throw new Error(`expected a CjeInputError, got ${String(error)}`);
  return error;
}

describe("plain CSV importer and label join", () => {
  it("reads rows and joins oracle labels from provider_id,prompt_id,oracle_label", async () => {
    const file = fixture("scores.csv");
    const { rows } = await importRuns({ format: "csv", files: [file], labels: fixture("labels.csv") });
    expect(rows).toEqual([
      { policy: "base", prompt_id: "q1", judge_score: 0.8, oracle_label: 0.75, prompt: "What is 2+2?", response: "4", source: { file, line: 2 } },
      { policy: "base", prompt_id: "q2", judge_score: 0.6, oracle_label: 0.5, prompt: "Name a color", response: "Blue, obviously", source: { file, line: 3 } },
      { policy: "new", prompt_id: "q1", judge_score: 0.9, oracle_label: 1, prompt: "What is 2+2?", response: "It is 4.", source: { file, line: 4 } },
    ]);
  });

  it("names file:line:field of bad values and unmatched labels", async () => {
    const bad = await inputError(importPlainCsv(fixture("scores-bad.csv")));
    expect(bad.message).toBe(`${fixture("scores-bad.csv")}:3: field 'judge_score' = "high": must be a number`);
    const unmatched = await inputError(importRuns({ format: "csv", files: [fixture("scores.csv")], labels: fixture("labels-unmatched.csv") }));
    expect(unmatched.location).toMatchObject({ file: fixture("labels-unmatched.csv"), line: 3, field: "prompt_id", value: "q9" });
    await expect(
      importRuns({ format: "csv", files: [fixture("scores.csv")], labels: fixture("labels.csv"), labelScale: { min: 0, max: 0.9 } }),
    ).rejects.toThrow(/labels\.csv:2: field 'oracle_label' = 1: outside the oracle scale/);
  });

  it("writes rows that cje analyze reads back unchanged (JSONL or a folder per policy)", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "cje-import-"));
    const { rows } = await importRuns({ format: "csv", files: [fixture("scores.csv")], labels: fixture("labels.csv") });
    await writeImportedRows(rows, path.join(out, "draws.jsonl"));
    const lines = (await readFile(path.join(out, "draws.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[1]).toEqual({ policy: "base", prompt_id: "q2", judge_score: 0.6, oracle_label: 0.5, prompt: "Name a color", response: "Blue, obviously" });
    await writeImportedRows(rows, path.join(out, "folder"));
    expect((await readdir(path.join(out, "folder"))).sort()).toEqual(["base_responses.jsonl", "new_responses.jsonl"]);
    const data = await loadEvaluationData([path.join(out, "folder")]);
    expect(data.draws).toHaveLength(3);
    await expect(writeImportedRows([...rows, rows[0]], path.join(out, "dup.jsonl"))).rejects.toThrow(
      /scores\.csv:2: field 'prompt_id' = "q1": a second row for policy 'base' and prompt 'q1' \(first: .*scores\.csv:2\)\. Rows from different providers or experiments need different policy names \(promptfoo: --policy-from label/,
    );
  });

  it("draws of one prompt are written with draw_idx and read back as draws", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "cje-import-"));
    const { rows } = await importRuns({ format: "promptfoo", files: [path.resolve(fixtures, "../promptfoo/repeat.json")] });
    await writeImportedRows(rows, path.join(out, "draws.jsonl"));
    const data = await loadEvaluationData([path.join(out, "draws.jsonl")]);
    expect(data.draws).toHaveLength(6);
    expect(new Set(data.draws.map((d) => d.drawIdx))).toEqual(new Set([0, 1]));
  });

  it("options of another format are refused", async () => {
    await expect(importRuns({ format: "csv", files: [fixture("scores.csv")], scoreFrom: "x" })).rejects.toThrow(/scoreFrom does not apply to csv imports/);
  });
});

describe("labels for draws", () => {
  it("a label for a repeated prompt needs draw_idx; with it, it lands on that draw", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-import-"));
    const repeat = path.resolve(fixtures, "../promptfoo/repeat.json");
    const { rows } = await importRuns({ format: "promptfoo", files: [repeat] });
    const labels = path.join(dir, "labels.csv");
    await writeFile(labels, `provider_id,prompt_id,oracle_label,draw_idx\nfull,${rows[0].prompt_id},0.8,1\n`);
    const joined = await importRuns({ format: "promptfoo", files: [repeat], labels });
    expect(joined.rows.map((r) => r.oracle_label)).toEqual([undefined, 0.8, undefined, undefined, undefined, undefined]);
    await writeFile(labels, `provider_id,prompt_id,oracle_label\nfull,${rows[0].prompt_id},0.8\n`);
    await expect(importRuns({ format: "promptfoo", files: [repeat], labels })).rejects.toThrow(
      /labels\.csv:2: field 'draw_idx': this prompt has 2 draws for provider_id 'full': add a draw_idx column/,
    );
  });
});

describe("input encodings", () => {
  it("refuses a Latin-1 CSV at its line instead of decoding it into U+FFFD", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-enc-csv-"));
    const file = path.join(dir, "runs.csv");
    await writeFile(file, Buffer.concat([Buffer.from("policy,prompt_id,judge_score\nbase,q1,0.5\nbase,caf"), Buffer.from([0xe9]), Buffer.from(",0.7\n")]));
    await expect(readTextFile(file)).rejects.toThrow(/runs\.csv:3.*not valid UTF-8/);
  });
});
