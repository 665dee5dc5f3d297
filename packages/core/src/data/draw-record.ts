import { readDrawIdx, readJudgeScore, readNumericFields, readOracleLabel, readPromptId, readText, type JsonObject } from "./fields.js";
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
  const prompt = readText(row, "prompt");
  if (prompt instanceof RowProblem) return prompt;
  const response = readText(row, "response");
  if (response instanceof RowProblem) return response;
  const promptId = readPromptId(row, prompt);
  if (promptId instanceof RowProblem) return promptId;
  if (promptId === null) {
    return new RowProblem(
      "missing prompt identity: no 'prompt_id' (top level or metadata) and no non-empty 'prompt' to derive it from",
      "prompt_id"
    );
  }
  const numericFields = readNumericFields(row);
  if (numericFields instanceof RowProblem) return numericFields;
  return { policy, promptId, drawIdx, judgeScore, oracleLabel, prompt, response, numericFields, source };
}
