import { assembleEvaluationData } from "./assemble.js";
import { CalibrationCollector } from "./collect-calibration.js";
import { DrawCollector, type DrawSourceReader } from "./collect-draws.js";
import { DropLog } from "./drop-log.js";
import { CjeInputError } from "../errors/input-error.js";
import type { EvaluationData, LoadOptions } from "./evaluation-data.js";
import { parseOptions, recordLoadOptionsSchema } from "./options.js";

/** Location label of in-memory rows (`line` is the row's index + 1). */
export const IN_MEMORY_LABEL = "in-memory";

/** Options of {@link evaluationDataFromRecords}. */
export interface RecordLoadOptions extends LoadOptions {
  /** Calibration rows (`judge_score` + `oracle_label`); unlabelled rows are skipped and counted. */
  calibration?: Record<string, unknown>[];
}

/**
 * In-memory counterpart of `loadEvaluationData`, with identical validation. `records` is either a
 * flat array whose rows name their `policy` (located as `in-memory:<index + 1>`) or an object
 * mapping each policy to its rows (located as `in-memory[<policy>]:<index + 1>`); calibration rows
 * are located as `in-memory[calibration]:<index + 1>`.
 */
export function evaluationDataFromRecords(
  records: Record<string, unknown>[] | Record<string, Record<string, unknown>[]>,
  options: RecordLoadOptions = {},
): EvaluationData {
  const parsed = parseOptions(recordLoadOptionsSchema, options);
  const drops = new DropLog(parsed.onInvalid ?? "error");
  const draws = new DrawCollector(drops);
  if (Array.isArray(records)) {
    readArray(draws.open(IN_MEMORY_LABEL, { layout: "by-content", namedPolicy: null }), records);
  } else {
    const entries = typeof records === "object" && records !== null ? Object.entries(records) : [];
    if (entries.length === 0) throw new CjeInputError("no fresh draws given (expected rows or an object of policy → rows)");
    for (const [policy, rows] of entries) {
      const label = `${IN_MEMORY_LABEL}[${policy}]`;
      if (!Array.isArray(rows)) throw new CjeInputError("expected an array of rows", { file: label, value: rows });
      readArray(draws.open(label, { layout: "per-policy", policy }), rows);
    }
  }
  let calibration: CalibrationCollector | null = null;
  if (parsed.calibration !== undefined) {
    calibration = new CalibrationCollector(`${IN_MEMORY_LABEL}[calibration]`, drops);
    parsed.calibration.forEach((row, index) => calibration!.add(row, index + 1));
  }
  return assembleEvaluationData(draws, calibration, drops, parsed, []);
}

function readArray(reader: DrawSourceReader, rows: readonly unknown[]): void {
  rows.forEach((row, index) => reader.add(row, index + 1));
  reader.finish();
}
