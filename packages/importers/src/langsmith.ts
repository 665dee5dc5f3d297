/**
 * LangSmith runs and feedback exported as JSON arrays or JSONL: each root run of a dataset experiment is a
 * row — policy ← its project (`project_name`, `session_name`, or `session_id`; or a name you give),
 * prompt id ← `reference_example_id`, prompt and response ← `inputs` and `outputs` — scored by the
 * feedback with the chosen key; another feedback key can carry the oracle label. Child runs are not rows;
 * root runs without the score feedback are skipped and counted.
 */
import { CjeInputError } from "@cjeval/core";
import { readRecords, recordError, type LocatedRecord } from "./input/records.js";
import type { ImportedRow, ImportResult, SkippedRecord } from "./imported-rows.js";

/** Options of {@link importLangSmith}. */
export interface LangSmithImportOptions {
  /** Feedback key holding the judge score (e.g. `correctness`). */
  readonly scoreKey: string;
  /** Feedback key holding the oracle label (e.g. `human_rating`), if any. */
  readonly labelKey?: string;
  /** Policy name for every run, instead of the runs' project. */
  readonly policy?: string;
}

interface Feedback {
  readonly score: number;
  readonly record: LocatedRecord;
}

const TEXT_FIELDS = ["input", "question", "prompt", "query", "output", "answer", "response", "text", "content"];

/** A run's `inputs`/`outputs` as text: a lone text field, else the JSON. */
function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    const only = entries.length === 1 ? entries[0][1] : TEXT_FIELDS.map((k) => (value as Record<string, unknown>)[k]).find((v) => typeof v === "string");
    if (typeof only === "string") return only;
  }
  return JSON.stringify(value);
}

function feedbackScore(record: LocatedRecord): number {
  const score = record.value.score;
  if (typeof score === "boolean") return score ? 1 : 0;
  if (typeof score === "number" && Number.isFinite(score)) return score;
  throw recordError(record, "feedback score must be a number or a boolean", "score", score ?? null);
}

/** Indexes feedback of `key` by run id; two entries for one run are an error naming both lines. */
function feedbackByRun(records: readonly LocatedRecord[], key: string): Map<string, Feedback> {
  const byRun = new Map<string, Feedback>();
  for (const record of records) {
    if (record.value.key !== key) continue;
    const runId = record.value.run_id;
    if (typeof runId !== "string" || runId === "") throw recordError(record, "feedback has no run_id", "run_id", runId ?? null);
    const first = byRun.get(runId);
    if (first !== undefined) throw recordError(record, `a second '${key}' feedback for run ${runId} (first on line ${first.record.line ?? "?"})`, "run_id", runId);
    byRun.set(runId, { score: feedbackScore(record), record });
  }
  return byRun;
}

/** Imports LangSmith runs (`runFiles`) scored by their feedback (`feedbackFiles`). */
export async function importLangSmith(runFiles: readonly string[], feedbackFiles: readonly string[], options: LangSmithImportOptions): Promise<ImportResult> {
  if (options.scoreKey === "") throw new CjeInputError("a feedback key for the judge score is required", { field: "scoreKey" });
  const feedback = (await Promise.all(feedbackFiles.map(readRecords))).flat();
  const scores = feedbackByRun(feedback, options.scoreKey);
  const labels = options.labelKey === undefined ? new Map<string, Feedback>() : feedbackByRun(feedback, options.labelKey);
  const rows: ImportedRow[] = [];
  const skipped: SkippedRecord[] = [];
  const seenRuns = new Set<string>();
  for (const file of runFiles) {
    for (const record of await readRecords(file)) {
      const run = record.value;
      const at = { file, ...(record.line === undefined ? {} : { line: record.line }) };
      if (run.parent_run_id !== undefined && run.parent_run_id !== null) {
        skipped.push({ ...at, reason: "child run (only root runs are rows)" });
        continue;
      }
      const id = run.id;
      if (typeof id !== "string" || id === "") throw recordError(record, "run has no id", "id", id ?? null);
      seenRuns.add(id);
      const score = scores.get(id);
      if (score === undefined) {
        skipped.push({ ...at, reason: `no '${options.scoreKey}' feedback` });
        continue;
      }
      const policy = options.policy ?? [run.project_name, run.session_name, run.session_id].find((v): v is string => typeof v === "string" && v !== "");
      if (policy === undefined) throw recordError(record, "run names no project (project_name, session_name or session_id); give a policy name", "session_id", null);
      const example = run.reference_example_id;
      if (typeof example !== "string" || example === "") {
        throw recordError(record, "run has no reference_example_id (export the runs of a dataset experiment)", "reference_example_id", example ?? null);
      }
      const label = labels.get(id);
      const prompt = textOf(run.inputs);
      const response = textOf(run.outputs);
      rows.push({
        policy,
        prompt_id: example,
        judge_score: score.score,
        ...(label === undefined ? {} : { oracle_label: label.score }),
        ...(prompt === undefined ? {} : { prompt }),
        ...(response === undefined ? {} : { response }),
        source: at,
      });
    }
  }
  for (const entry of [...scores.values(), ...labels.values()]) {
    const runId = entry.record.value.run_id as string;
    if (!seenRuns.has(runId)) throw recordError(entry.record, "feedback for a run that is not in the runs files", "run_id", runId);
  }
  return { rows, skipped };
}
