/**
 * Inspect AI eval logs as fresh draws: policy ← the log's model (`eval.model`, or a name you give),
 * prompt id ← the sample id, draw ← the epoch (`epoch − 1`), judge score ← the chosen scorer's value
 * mapped to a number as Inspect's metrics map it ({@link inspectValueToFloat}), oracle label ← another
 * scorer's value when asked. Samples that errored, or whose value has no number, are skipped and counted.
 */
import { CjeInputError } from "@cjeval/core";
import { quotedList, unknownChoice } from "../choices.js";
import type { ImportedRow, ImportResult, SkippedRecord } from "../imported-rows.js";
import { recordError, type LocatedRecord } from "../input/records.js";
import { readInspectLog, type InspectLog } from "./log-file.js";
import { inspectValueToFloat } from "./score-value.js";

/** Options of {@link importInspect}. */
export interface InspectImportOptions {
  /** Scorer whose value is the judge score (`scorer` or `scorer.key` for dict values); needed when a log has several. */
  readonly scoreFrom?: string;
  /** Scorer whose value is the oracle label (e.g. a human or expert scorer). */
  readonly labelFrom?: string;
  /** Policy name for every sample, instead of the log's model. */
  readonly policy?: string;
}

function object(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A sample's scores by scorer name (`scores`, or the single `score` of logs before 0.3.x). */
function scoresOf(sample: Record<string, unknown>, spec: Record<string, unknown>): Record<string, unknown> {
  const scores = object(sample.scores);
  if (scores !== undefined) return scores;
  const single = object(sample.score);
  if (single === undefined) return {};
  const scorer = object(spec.scorer)?.name ?? (Array.isArray(spec.scorers) ? object(spec.scorers[0])?.name : undefined);
  return { [typeof scorer === "string" ? scorer : "score"]: single };
}

/** Names `--score-from` can take in these logs: the scorers, and `scorer.key` for dict-valued scores. */
function scorerChoices(logs: readonly InspectLog[]): { scorers: Set<string>; all: Set<string> } {
  const scorers = new Set<string>();
  const all = new Set<string>();
  for (const log of logs) {
    for (const sample of log.samples) {
      for (const [name, score] of Object.entries(scoresOf(sample.value, log.eval))) {
        scorers.add(name);
        all.add(name);
        const value = object(object(score)?.value);
        if (value !== undefined) for (const key of Object.keys(value)) all.add(`${name}.${key}`);
      }
    }
  }
  return { scorers, all };
}

/** The raw value of scorer `choice` (`scorer` or `scorer.key`) on a sample, or `undefined` when absent. */
function scorerValue(scores: Record<string, unknown>, choice: string): { found: boolean; value?: unknown } {
  if (choice in scores) return { found: true, value: object(scores[choice])?.value };
  const dot = choice.lastIndexOf(".");
  if (dot > 0) {
    const dict = object(object(scores[choice.slice(0, dot)])?.value);
    const key = choice.slice(dot + 1);
    if (dict !== undefined && key in dict) return { found: true, value: dict[key] };
  }
  return { found: false };
}

function textOf(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    const parts = content
      .map((c) => object(c))
      .filter((c) => c?.type === "text" && typeof c.text === "string")
      .map((c) => c?.text as string);
    return parts.length === 0 ? undefined : parts.join("\n");
  }
  return undefined;
}

function promptOf(input: unknown): string | undefined {
  if (typeof input === "string") return input;
  if (!Array.isArray(input)) return undefined;
  const users = input.map((m) => object(m)).filter((m) => m?.role === "user");
  return users.length === 0 ? undefined : textOf(users[users.length - 1]?.content);
}

function responseOf(output: unknown): string | undefined {
  const o = object(output);
  if (typeof o?.completion === "string" && o.completion !== "") return o.completion;
  const first = Array.isArray(o?.choices) ? object(o.choices[0]) : undefined;
  return textOf(object(first?.message)?.content);
}

function chooseScorer(logs: readonly InspectLog[], wanted: string | undefined, files: readonly string[]): string {
  const { scorers, all } = scorerChoices(logs);
  if (wanted !== undefined) {
    if (!all.has(wanted)) throw unknownChoice("scorer", wanted, all, "scoreFrom", files.length === 1 ? files[0] : undefined);
    return wanted;
  }
  const plain = [...scorers];
  if (plain.length === 1) return plain[0];
  if (plain.length === 0)
    throw new CjeInputError("no sample carries a score (was the log scored?)", { ...(files.length === 1 ? { file: files[0] } : {}), field: "scores" });
  throw new CjeInputError(`the logs have several scorers (${quotedList(plain)}): choose the judge with --score-from`, {
    ...(files.length === 1 ? { file: files[0] } : {}),
    field: "scoreFrom",
  });
}

/** Imports Inspect eval logs (`.json` or `.eval`). */
export async function importInspect(files: readonly string[], options: InspectImportOptions = {}): Promise<ImportResult> {
  const logs = await Promise.all(files.map(readInspectLog));
  const scorer = chooseScorer(logs, options.scoreFrom, files);
  const { all } = scorerChoices(logs);
  if (options.labelFrom !== undefined && !all.has(options.labelFrom)) {
    throw unknownChoice("scorer", options.labelFrom, all, "labelFrom", files.length === 1 ? files[0] : undefined);
  }
  const rows: ImportedRow[] = [];
  const skipped: SkippedRecord[] = [];
  const at = (record: LocatedRecord) => ({ file: record.file, ...(record.line === undefined ? {} : { line: record.line }) });
  for (const log of logs) {
    const model = log.eval.model;
    const policy = options.policy ?? (typeof model === "string" && model !== "" ? model : undefined);
    for (const record of log.samples) {
      const sample = record.value;
      if (policy === undefined) throw recordError(record, "the log names no model (eval.model); give a policy name with --policy", "eval.model", model ?? null);
      const error = object(sample.error);
      if (error !== undefined || (typeof sample.error === "string" && sample.error !== "")) {
        skipped.push({ ...at(record), reason: `sample error: ${String(error?.message ?? sample.error).split("\n")[0]}` });
        continue;
      }
      const scores = scoresOf(sample, log.eval);
      const judged = scorerValue(scores, scorer);
      if (!judged.found) {
        skipped.push({ ...at(record), reason: `no '${scorer}' score` });
        continue;
      }
      const score = inspectValueToFloat(judged.value);
      if (score === undefined || Number.isNaN(score)) {
        skipped.push({
          ...at(record),
          reason: score === undefined ? `'${scorer}' value has no number (not a number, C/I/P/N, yes/no or true/false)` : `'${scorer}' unscored (NaN)`,
        });
        continue;
      }
      if (!Number.isFinite(score)) throw recordError(record, "score must be finite", `scores.${scorer}.value`, judged.value ?? null);
      let label: number | undefined;
      if (options.labelFrom !== undefined) {
        const labelled = scorerValue(scores, options.labelFrom);
        label = labelled.found ? inspectValueToFloat(labelled.value) : undefined;
        if (labelled.found && (label === undefined || !Number.isFinite(label))) {
          throw recordError(record, "the oracle label has no number", `scores.${options.labelFrom}.value`, labelled.value ?? null);
        }
      }
      const id = sample.id;
      if ((typeof id !== "string" && typeof id !== "number") || id === "") throw recordError(record, "sample has no id", "id", id ?? null);
      const epoch = sample.epoch;
      if (epoch !== undefined && (typeof epoch !== "number" || !Number.isSafeInteger(epoch) || epoch < 1))
        throw recordError(record, "epoch must be a positive integer", "epoch", epoch);
      const prompt = promptOf(sample.input);
      const response = responseOf(sample.output);
      rows.push({
        policy,
        prompt_id: String(id),
        draw_idx: typeof epoch === "number" ? epoch - 1 : 0,
        judge_score: score,
        ...(label === undefined ? {} : { oracle_label: label }),
        ...(prompt === undefined ? {} : { prompt }),
        ...(response === undefined ? {} : { response }),
        source: at(record),
      });
    }
  }
  return { rows, skipped, notes: [`judge score: Inspect scorer '${scorer}' (C=1, P=0.5, I=N=0, yes/true=1, no/false=0, numbers as they are)`] };
}
