/**
 * LangSmith runs with their feedback as fresh draws. Runs come as a JSON array, JSONL, a single run
 * object or `{ "runs": [...] }`; feedback as a JSON array or JSONL of feedback records, or from the runs'
 * own `feedback_stats` (the average per key); or everything from the experiment CSV (`feedback.<key>`
 * columns). Each root run is a row — policy ← its experiment (`session_name`/`project_name` without the
 * SDK's random tail; a file's name when runs carry only a session UUID; `--policy` or `--policy-from`),
 * prompt id ← `reference_example_id`, prompt and response ← `inputs` and `outputs`, judge score ←
 * feedback `scoreKey`, oracle label ← feedback `labelKey`; repetitions become draws. A key that no
 * feedback has is an error listing the keys that exist; child runs, errored runs and runs without the
 * key are skipped and counted.
 */
import { CjeInputError } from "@cjeval/core";
import { unknownChoice } from "../choices.js";
import { assignDrawIndices } from "../draws.js";
import type { ImportedRow, ImportResult, SkippedRecord } from "../imported-rows.js";
import { readRecords, recordError, type LocatedRecord } from "../input/records.js";
import { csvGroupText, csvNumber, readExperimentCsv, type ExperimentCsv } from "./experiment-csv.js";
import { indexFeedback, statsKeys, statsScore, type FeedbackScore } from "./feedback.js";
import { fileStem, runPolicies } from "./policy-names.js";

/** Options of {@link importLangSmith}. */
export interface LangSmithImportOptions {
  /** Feedback key holding the judge score (e.g. `correctness`). */
  readonly scoreKey: string;
  /** Feedback key holding the oracle label (e.g. `human_rating`), if any. */
  readonly labelKey?: string;
  /** Policy name for every run, instead of the runs' experiment. */
  readonly policy?: string;
  /** Name policies by a field of the run (dotted path, e.g. `extra.metadata.model`) or, for a CSV, a column. */
  readonly policyFrom?: string;
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

const isCsv = (file: string) => /\.csv$/i.test(file);
const at = (record: LocatedRecord) => ({ file: record.file, ...(record.line === undefined ? {} : { line: record.line }) });
const isChild = (run: LocatedRecord) => run.value.parent_run_id !== undefined && run.value.parent_run_id !== null;
const errorOf = (value: unknown) =>
  typeof value === "string" && value.trim() !== "" && !/^(nan|none)$/i.test(value.trim()) ? value.split("\n")[0] : undefined;

/** Imports LangSmith runs (`runFiles`: runs exports or experiment CSVs) scored by their feedback (`feedbackFiles`, optional). */
export async function importLangSmith(runFiles: readonly string[], feedbackFiles: readonly string[], options: LangSmithImportOptions): Promise<ImportResult> {
  if (options.scoreKey === "") throw new CjeInputError("a feedback key for the judge score is required", { field: "scoreKey" });
  const runs = (await Promise.all(runFiles.filter((f) => !isCsv(f)).map((f) => readRecords(f, ["runs"])))).flat();
  const tables = await Promise.all(runFiles.filter(isCsv).map(readExperimentCsv));
  const feedback = indexFeedback((await Promise.all(feedbackFiles.map((f) => readRecords(f, ["feedback"])))).flat());
  const roots = runs.filter((run) => !isChild(run));

  const keys = new Set<string>([...feedback.keys(), ...roots.flatMap(statsKeys), ...tables.flatMap((t) => t.feedbackKeys)]);
  const oneFile = runFiles.length === 1 && feedbackFiles.length === 0 ? runFiles[0] : undefined;
  for (const [key, field] of [
    [options.scoreKey, "scoreKey"],
    [options.labelKey, "labelKey"],
  ] as const) {
    if (key !== undefined && !keys.has(key)) throw unknownChoice("feedback key", key, keys, field, oneFile);
  }

  const notes: string[] = [];
  const skipped: SkippedRecord[] = [];
  const rows: ImportedRow[] = [];
  let fromStats = 0;
  const lookup = (run: LocatedRecord, id: string, key: string | undefined): FeedbackScore | undefined => {
    if (key === undefined) return undefined;
    return feedback.get(key)?.get(id) ?? statsScore(run, key);
  };
  const policies = runPolicies(roots, options, notes);
  const seenRuns = new Set<string>();
  for (const run of runs) {
    if (isChild(run)) {
      skipped.push({ ...at(run), reason: "child run (only root runs are rows)" });
      continue;
    }
    const id = run.value.id;
    if (typeof id !== "string" || id === "") throw recordError(run, "run has no id", "id", id ?? null);
    seenRuns.add(id);
    const error = errorOf(run.value.error);
    if (error !== undefined) {
      skipped.push({ ...at(run), reason: `run error: ${error}` });
      continue;
    }
    const score = lookup(run, id, options.scoreKey);
    if (score === undefined) {
      skipped.push({ ...at(run), reason: `no '${options.scoreKey}' feedback` });
      continue;
    }
    if (score.origin === "feedback_stats") fromStats++;
    const example = run.value.reference_example_id;
    if (typeof example !== "string" || example === "") {
      throw recordError(run, "run has no reference_example_id (export the runs of a dataset experiment)", "reference_example_id", example ?? null);
    }
    const label = lookup(run, id, options.labelKey);
    const prompt = textOf(run.value.inputs);
    const response = textOf(run.value.outputs);
    rows.push({
      policy: policies.get(run) as string,
      prompt_id: example,
      judge_score: score.score,
      ...(label === undefined ? {} : { oracle_label: label.score }),
      ...(prompt === undefined ? {} : { prompt }),
      ...(response === undefined ? {} : { response }),
      source: at(run),
    });
  }
  for (const key of [options.scoreKey, options.labelKey]) {
    for (const entry of key === undefined ? [] : (feedback.get(key)?.values() ?? [])) {
      const runId = entry.record.value.run_id as string;
      if (runs.length > 0 && !seenRuns.has(runId)) throw recordError(entry.record, "feedback for a run that is not in the runs files", "run_id", runId);
    }
  }
  for (const table of tables) rows.push(...csvRows(table, options, skipped, notes));
  notes.push(`judge score: feedback '${options.scoreKey}'${fromStats > 0 ? ` (${fromStats} from the runs' feedback_stats averages)` : ""}`);
  return { rows: assignDrawIndices(rows), skipped, notes };
}

function csvRows(table: ExperimentCsv, options: LangSmithImportOptions, skipped: SkippedRecord[], notes: string[]): ImportedRow[] {
  const { file } = table;
  if (options.policyFrom !== undefined && !table.header.includes(options.policyFrom)) {
    throw unknownChoice(
      "column",
      options.policyFrom,
      table.header.filter((h) => h !== "__index"),
      "policyFrom",
      file,
    );
  }
  if (options.policy === undefined && options.policyFrom === undefined)
    notes.push(`experiment CSV ${fileStem(file)}.csv: policy '${fileStem(file)}' (the file's name; --policy names it)`);
  const rows: ImportedRow[] = [];
  for (const row of table.rows) {
    const where = { file, line: row.line };
    const error = errorOf(row.values.error);
    if (error !== undefined) {
      skipped.push({ ...where, reason: `run error: ${error}` });
      continue;
    }
    const cell = (key: string | undefined) => (key === undefined ? undefined : row.values[`feedback.${key}`]);
    const score = csvNumber(cell(options.scoreKey));
    if (score === null) throw new CjeInputError("must be a number", { ...where, field: `feedback.${options.scoreKey}`, value: cell(options.scoreKey) ?? null });
    if (score === undefined) {
      skipped.push({ ...where, reason: `no '${options.scoreKey}' feedback` });
      continue;
    }
    const label = csvNumber(cell(options.labelKey));
    if (label === null) throw new CjeInputError("must be a number", { ...where, field: `feedback.${options.labelKey}`, value: cell(options.labelKey) ?? null });
    const example = (row.values.example_id ?? row.values.reference_example_id ?? "").trim();
    if (example === "") throw new CjeInputError("row has no example_id", { ...where, field: "example_id", value: example });
    const policy = options.policy ?? (options.policyFrom === undefined ? fileStem(file) : (row.values[options.policyFrom] ?? "").trim());
    if (policy === "") throw new CjeInputError("empty policy name", { ...where, field: options.policyFrom ?? "policy", value: policy });
    const prompt = csvGroupText(table, row, ["inputs", "input"]);
    const response = csvGroupText(table, row, ["outputs"]);
    rows.push({
      policy,
      prompt_id: example,
      judge_score: score,
      ...(label === undefined ? {} : { oracle_label: label }),
      ...(prompt === undefined ? {} : { prompt }),
      ...(response === undefined ? {} : { response }),
      source: where,
    });
  }
  return rows;
}
