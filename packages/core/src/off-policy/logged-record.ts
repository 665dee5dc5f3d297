/**
 * Validation of one logged-data row (method-ope §2.1): the logging policy's response to a prompt,
 * its judge score, an optional oracle label, and teacher-forced log-probabilities of the response
 * under the logging policy and under each target policy.
 */
import { missingPromptIdentity, readFiniteNumber, readRowIdentity, type JsonObject } from "../data/fields.js";
import { RowProblem } from "../data/row-problem.js";
import { own } from "../data/dictionary.js";

/** A log-probability that is present but unusable, or absent (`null`). */
export type LogprobValue = number | null;

/** One parsed logged row, scores still in scale units. */
export interface ParsedLoggedRow {
  readonly promptId: string;
  readonly judgeScore: number;
  readonly oracleLabel: number | null;
  readonly response: string | undefined;
  readonly numericFields: Readonly<Record<string, number>>;
  /** `null` when `base_policy_logprob` is missing or null. */
  readonly baseLogprob: LogprobValue;
  /** Log-prob per target key as read (`null` = explicitly missing). */
  readonly targetLogprobs: ReadonlyMap<string, LogprobValue>;
  /** `response_token_count` (or `metadata.response_token_count`) when a positive number. */
  readonly tokenCount: number | null;
}

/**
 * Parses one logged row (already known to be an object). Judge score and oracle label are read at
 * top level, else from `metadata` (method-ope §2.1). Log-probs must be finite and ≤ 0; `null` is the
 * only missing marker.
 */
export function parseLoggedRow(row: JsonObject): ParsedLoggedRow | RowProblem {
  const metadata = typeof row.metadata === "object" && row.metadata !== null && !Array.isArray(row.metadata) ? (row.metadata as JsonObject) : {};
  const judgeRaw = pick(row, metadata, "judge_score");
  if (judgeRaw.value === undefined || judgeRaw.value === null) return new RowProblem("missing (required)", "judge_score");
  const judgeScore = readFiniteNumber(judgeRaw.value, judgeRaw.field);
  if (typeof judgeScore !== "number") return judgeScore;
  const labelRaw = pick(row, metadata, "oracle_label");
  let oracleLabel: number | null = null;
  if (labelRaw.value !== undefined && labelRaw.value !== null) {
    const parsed = readFiniteNumber(labelRaw.value, labelRaw.field);
    if (typeof parsed !== "number") return parsed;
    oracleLabel = parsed;
  }
  const identity = readRowIdentity(row);
  if (identity instanceof RowProblem) return identity;
  const { response, promptId, numericFields } = identity;
  if (promptId === null) return missingPromptIdentity();
  const baseLogprob = readLogprob(row.base_policy_logprob, "base_policy_logprob");
  if (baseLogprob instanceof RowProblem) return baseLogprob;
  const targets = row.target_policy_logprobs;
  const targetLogprobs = new Map<string, LogprobValue>();
  if (targets !== undefined && targets !== null) {
    if (typeof targets !== "object" || Array.isArray(targets)) return new RowProblem("not an object", "target_policy_logprobs", targets);
    for (const [policy, value] of Object.entries(targets as JsonObject)) {
      const lp = readLogprob(value, `target_policy_logprobs.${policy}`);
      if (lp instanceof RowProblem) return lp;
      targetLogprobs.set(policy, lp);
    }
  }
  const tokenRaw = pick(row, metadata, "response_token_count").value;
  const tokenCount = typeof tokenRaw === "number" && Number.isFinite(tokenRaw) && tokenRaw > 0 ? tokenRaw : null;
  return { promptId, judgeScore, oracleLabel, response, numericFields, baseLogprob, targetLogprobs, tokenCount };
}

/** Number of Unicode code points of `text` (Python's `len`), the per-character TTC normaliser. */
export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) n++;
    else {
      const d = text.charCodeAt(i + 1);
      n++;
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

function pick(row: JsonObject, metadata: JsonObject, key: string): { value: unknown; field: string } {
  const top = own(row, key);
  if (top !== undefined && top !== null) return { value: top, field: key };
  return { value: own(metadata, key), field: `metadata.${key}` };
}

function readLogprob(value: unknown, field: string): LogprobValue | RowProblem {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number") return new RowProblem("not a number (use null for a missing log-prob)", field, value);
  if (!Number.isFinite(value)) return new RowProblem("not finite (use null for a missing log-prob)", field, value);
  if (value > 0) return new RowProblem("a log-probability must be ≤ 0", field, value);
  return value;
}
