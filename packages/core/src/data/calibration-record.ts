import { readJudgeScore, readOracleLabel, readRowIdentity, type JsonObject } from "./fields.js";
import { RowProblem } from "./row-problem.js";
import type { CalibrationRow, RowSource } from "./types.js";

/** A calibration row while it is being loaded: scores still in scale units until normalization. */
export type DraftCalibrationRow = { -readonly [K in keyof CalibrationRow]: CalibrationRow[K] };

/**
 * Validates one calibration row (already known to be an object).
 *
 * Returns `null` for an unlabelled row (missing or `null` `oracle_label`): such rows are skipped,
 * not invalid, because logged data legitimately holds rows without labels; they are checked no
 * further. A row without `prompt_id` and without a non-empty `prompt` gets `fallbackId`.
 */
export function parseCalibrationRow(row: JsonObject, source: RowSource, fallbackId: () => string): DraftCalibrationRow | RowProblem | null {
  const oracleLabel = readOracleLabel(row);
  if (oracleLabel === null || oracleLabel instanceof RowProblem) return oracleLabel;
  const judgeScore = readJudgeScore(row);
  if (typeof judgeScore !== "number") return judgeScore;
  const identity = readRowIdentity(row);
  if (identity instanceof RowProblem) return identity;
  const { promptId, response, numericFields } = identity;
  return { promptId: promptId ?? fallbackId(), judgeScore, oracleLabel, response, numericFields, source };
}
