import { mkdtemp, readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CjeInputError } from "@cjeval/core";
import { loadEvaluationData } from "@cjeval/core/node";
import { promptHashId } from "@cjeval/core/advanced";
import { canonicalJson } from "@cjeval/provider-utils";
import { describe, expect, it } from "vitest";
import { importLangSmith, importPlainCsv, importPromptfoo, importRuns, writeImportedRows } from "../src/index.js";

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "./fixtures/importers");
const fixture = (name: string) => path.join(fixtures, name);

async function inputError(promise: Promise<unknown>): Promise<CjeInputError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof CjeInputError)) throw new Error(`expected a CjeInputError, got ${String(error)}`);
  return error;
}

describe("promptfoo importer", () => {
  it("maps a V3 results file to rows, skipping and counting errored results", async () => {
    const file = fixture("promptfoo-results.json");
    const { rows, skipped } = await importPromptfoo(file);
    const france = promptHashId(canonicalJson({ prompt: "brief", vars: { question: "capital of France?" } }));
    const sum = promptHashId(canonicalJson({ prompt: "brief", vars: { question: "2 + 2?" } }));
    expect(rows).toEqual([
      { policy: "openai:gpt-4o-mini", prompt_id: france, judge_score: 1, prompt: "Answer briefly: capital of France?", response: "Paris.", source: { file, line: 8 } },
      {
        policy: "anthropic:claude-3-5-haiku",
        prompt_id: france,
        judge_score: 0.75,
        prompt: "Answer briefly: capital of France?",
        response: "It is Paris, the largest city of France.",
        source: { file, line: 18 },
      },
      { policy: "openai:gpt-4o-mini", prompt_id: sum, judge_score: 0.5, prompt: "Answer briefly: 2 + 2?", response: '{"answer":4}', source: { file, line: 26 } },
    ]);
    expect(skipped).toEqual([{ file, line: 35, reason: "provider error: 429 Too Many Requests" }]);
    expect((await importPromptfoo(file, { policyFrom: "label" })).rows[0].policy).toBe("mini");
  });

  it("reads the older outputs shape", async () => {
    const { rows } = await importPromptfoo(fixture("promptfoo-outputs.json"));
    expect(rows.map((r) => [r.policy, r.judge_score, r.response, r.source.line])).toEqual([
      ["ollama:llama3", 0.9, "Hello!", 4],
      ["ollama:llama3", 0.4, "Goodbye!", 5],
    ]);
  });

  it("names file and line of a malformed file", async () => {
    const missing = await inputError(importPromptfoo(fixture("promptfoo-no-provider.json")));
    expect(missing.location).toMatchObject({ file: fixture("promptfoo-no-provider.json"), line: 6, field: "provider.id" });
    const syntax = await inputError(importPromptfoo(fixture("promptfoo-syntax.json")));
    expect(syntax.location).toMatchObject({ file: fixture("promptfoo-syntax.json"), line: 4 });
    expect(syntax.message).toMatch(/invalid JSON: expected a property name/);
  });
});

describe("LangSmith importer", () => {
  it("maps root runs and their feedback to rows: project → policy, example → prompt id", async () => {
    const runs = fixture("langsmith-runs.jsonl");
    const { rows, skipped } = await importLangSmith([runs], [fixture("langsmith-feedback.json")], { scoreKey: "helpfulness", labelKey: "expert_rating" });
    expect(rows).toEqual([
      { policy: "support-bot-v1", prompt_id: "ex-1", judge_score: 0.8, oracle_label: 0.6, prompt: "How do I reset my password?", response: "Click 'Forgot password'.", source: { file: runs, line: 1 } },
      { policy: "support-bot-v1", prompt_id: "ex-2", judge_score: 0.4, prompt: "Cancel my order", response: "Done.", source: { file: runs, line: 3 } },
      {
        policy: "support-bot-v2",
        prompt_id: "ex-1",
        judge_score: 1,
        oracle_label: 1,
        prompt: "How do I reset my password?",
        response: "Use the reset link we email you.",
        source: { file: runs, line: 4 },
      },
    ]);
    expect(skipped).toEqual([
      { file: runs, line: 2, reason: "child run (only root runs are rows)" },
      { file: runs, line: 5, reason: "no 'helpfulness' feedback" },
    ]);
  });

  it("names the lines of duplicate feedback and of feedback for unknown runs", async () => {
    const dup = await inputError(importLangSmith([fixture("langsmith-runs.jsonl")], [fixture("langsmith-feedback-duplicate.jsonl")], { scoreKey: "helpfulness" }));
    expect(dup.location).toMatchObject({ file: fixture("langsmith-feedback-duplicate.jsonl"), line: 3, field: "run_id" });
    expect(dup.message).toMatch(/first on line 1/);
    const orphan = await inputError(importLangSmith([fixture("langsmith-runs.jsonl")], [fixture("langsmith-feedback.json")], { scoreKey: "accuracy", policy: "p" }));
    expect(orphan.message).toMatch(/run_id.*not in the runs files/);
    expect(orphan.location).toMatchObject({ file: fixture("langsmith-feedback.json"), line: 8, value: "run-9" });
  });
});

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
    await expect(importRuns({ format: "csv", files: [fixture("scores.csv")], labels: fixture("labels.csv"), labelScale: { min: 0, max: 0.9 } })).rejects.toThrow(/labels\.csv:2: field 'oracle_label' = 1: outside the oracle scale/);
  });

  it("writes rows that cje analyze reads back unchanged (JSONL or a folder per policy)", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "cje-import-"));
    const { rows } = await importRuns({ format: "csv", files: [fixture("scores.csv")], labels: fixture("labels.csv") });
    await writeImportedRows(rows, path.join(out, "draws.jsonl"));
    const lines = (await readFile(path.join(out, "draws.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[1]).toEqual({ policy: "base", prompt_id: "q2", judge_score: 0.6, oracle_label: 0.5, prompt: "Name a color", response: "Blue, obviously" });
    await writeImportedRows(rows, path.join(out, "folder"));
    expect((await readdir(path.join(out, "folder"))).sort()).toEqual(["base_responses.jsonl", "new_responses.jsonl"]);
    const data = await loadEvaluationData([path.join(out, "folder")]);
    expect(data.draws).toHaveLength(3);
    await expect(writeImportedRows([...rows, rows[0]], path.join(out, "dup.jsonl"))).rejects.toThrow(/scores\.csv:2: field 'prompt_id' = "q1": a second row for policy 'base'/);
  });
});
