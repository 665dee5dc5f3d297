/**
 * promptfoo `results.json` (the `OutputFile` written by `promptfoo eval -o results.json`): policy ←
 * `provider.id` (or its label), judge score ← `score` (falling back to `gradingResult.score`), prompt id ←
 * a hash of the prompt's label and the test's vars (`testCase.vars` or `vars`), prompt ← `prompt.raw`,
 * response ← `response.output`. The V3 file (`results.results`), a bare summary (`results`) and the older
 * `outputs` shape are read; results that ended in an error are skipped and counted.
 */
import { promptHashId } from "@cjeval/core/advanced";
import { canonicalJson } from "@cjeval/provider-utils";
import type { JsonPath } from "./input/json-locate.js";
import { arrayRecords, recordError, type LocatedRecord } from "./input/records.js";
import { readStructuredFile } from "./input/structured-file.js";
import type { ImportedRow, ImportResult, SkippedRecord } from "./imported-rows.js";

/** Options of {@link importPromptfoo}. */
export interface PromptfooImportOptions {
  /** Name policies by the provider's `id` (default) or its `label` (falling back to the id). */
  readonly policyFrom?: "id" | "label";
}

/** promptfoo's `failureReason` for a result whose provider call errored. */
const FAILURE_ERROR = 2;

const CANDIDATE_PATHS: readonly JsonPath[] = [["results", "results"], ["results", "outputs"], ["outputs"], ["results"]];

function object(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function resultsPath(top: unknown): JsonPath | undefined {
  return CANDIDATE_PATHS.find((path) => {
    let value: unknown = top;
    for (const key of path) value = object(value)?.[key as string];
    return Array.isArray(value);
  });
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

function policyOf(record: LocatedRecord, from: "id" | "label"): string {
  const provider = record.value.provider;
  const id = typeof provider === "string" ? provider : object(provider)?.id;
  const label = object(provider)?.label;
  const name = from === "label" && typeof label === "string" && label !== "" ? label : id;
  if (typeof name !== "string" || name === "") throw recordError(record, "result has no provider id", "provider.id", provider ?? null);
  return name;
}

function scoreOf(record: LocatedRecord): number | undefined {
  const direct = record.value.score;
  const graded = object(record.value.gradingResult)?.score;
  const score = typeof direct === "number" ? direct : graded;
  if (score === undefined || score === null) return undefined;
  if (typeof score !== "number" || !Number.isFinite(score)) throw recordError(record, "must be a finite number", "score", score);
  return score;
}

/** Imports a promptfoo results file. */
export async function importPromptfoo(file: string, options: PromptfooImportOptions = {}): Promise<ImportResult> {
  const doc = await readStructuredFile(file);
  const path = resultsPath(doc.value);
  if (path === undefined) throw recordError({ value: {}, file, line: undefined }, "no results array found (expected results.results, results.outputs, outputs or results)");
  const rows: ImportedRow[] = [];
  const skipped: SkippedRecord[] = [];
  for (const record of arrayRecords(doc, path)) {
    const r = record.value;
    const policy = policyOf(record, options.policyFrom ?? "id");
    if (r.failureReason === FAILURE_ERROR || (typeof r.error === "string" && r.error !== "" && r.success !== true && scoreOf(record) === undefined)) {
      skipped.push({ file, ...lineOf(record), reason: `provider error: ${text(r.error) ?? "unknown"}` });
      continue;
    }
    const score = scoreOf(record);
    if (score === undefined) {
      skipped.push({ file, ...lineOf(record), reason: "no score (no assertion graded it)" });
      continue;
    }
    const prompt = object(r.prompt);
    const vars = object(object(r.testCase)?.vars) ?? object(r.vars) ?? {};
    const label = text(prompt?.label) ?? text(prompt?.raw) ?? "";
    const response = text(object(r.response)?.output);
    const promptText = text(prompt?.raw);
    rows.push({
      policy,
      prompt_id: promptHashId(canonicalJson({ prompt: label, vars })),
      judge_score: score,
      ...(promptText === undefined ? {} : { prompt: promptText }),
      ...(response === undefined ? {} : { response }),
      source: { file, ...lineOf(record) },
    });
  }
  return { rows, skipped };
}

function lineOf(record: LocatedRecord): { line?: number } {
  return record.line === undefined ? {} : { line: record.line };
}
