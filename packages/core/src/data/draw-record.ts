import { missingPromptIdentity, readDrawIdx, readJudgeScore, readOracleLabel, readRowIdentity, type JsonObject } from "./fields.js";
import { RowProblem } from "./row-problem.js";
import type { FreshDraw, RowSource } from "./types.js";

/**
 * A fresh draw while it is being loaded: `judgeScore`/`oracleLabel` still hold the values as read
 * (scale units) and `drawIdx` may still be `MISSING_DRAW_IDX`; the loader normalizes and assigns
 * them in place once every row is read, then hands the rows out as {@link FreshDraw}.
 */
export type DraftDraw = { -readonly [K in keyof FreshDraw]: FreshDraw[K] };

/**
 * Validates one fresh-draw row (already known to be an object) and builds its draft. The policy
 * is resolved by the caller (file name or the row's `policy` field). A row without `prompt_id`
 * and without a non-empty `prompt` is invalid.
 */
export function parseDrawRow(row: JsonObject, policy: string, source: RowSource): DraftDraw | RowProblem {
  const judgeScore = readJudgeScore(row);
  if (typeof judgeScore !== "number") return judgeScore;
  const oracleLabel = readOracleLabel(row);
  if (oracleLabel instanceof RowProblem) return oracleLabel;
  const drawIdx = readDrawIdx(row);
  if (typeof drawIdx !== "number") return drawIdx;
  const identity = readRowIdentity(row);
  if (identity instanceof RowProblem) return identity;
  const { prompt, response, promptId, numericFields } = identity;
  if (promptId === null) return missingPromptIdentity();
  return { policy, promptId, drawIdx, judgeScore, oracleLabel, prompt, response, numericFields, source };
}
