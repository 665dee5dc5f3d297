import { readJudgeScore, readNumericFields, readOracleLabel, readPromptId, readText, type JsonObject } from "./fields.js";
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
  const prompt = readText(row, "prompt");
  if (prompt instanceof RowProblem) return prompt;
  const response = readText(row, "response");
  if (response instanceof RowProblem) return response;
  const promptId = readPromptId(row, prompt);
  if (promptId instanceof RowProblem) return promptId;
  const numericFields = readNumericFields(row);
  if (numericFields instanceof RowProblem) return numericFields;
  return { promptId: promptId ?? fallbackId(), judgeScore, oracleLabel, response, numericFields, source };
}
