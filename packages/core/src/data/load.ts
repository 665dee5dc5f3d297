import { assembleEvaluationData } from "./assemble.js";
import { CalibrationCollector } from "./collect-calibration.js";
import { DrawCollector } from "./collect-draws.js";
import { discoverDrawFiles } from "./discover.js";
import { DropLog } from "./drop-log.js";
import type { EvaluationData, LoadOptions } from "./evaluation-data.js";
import { readJsonl } from "./jsonl.js";
import { fileLoadOptionsSchema, parseOptions } from "./options.js";

/** Options of {@link loadEvaluationData}. */
export interface FileLoadOptions extends LoadOptions {
  /**
   * Separate calibration file: rows with `judge_score` and `oracle_label`. Rows without an oracle
   * label are skipped and counted in `nUnlabelledCalibrationSkipped` rather than rejected, so a
   * logged-data file (e.g. the arena `logged_data.jsonl`) loads as a calibration file.
   */
  calibrationFile?: string;
}

/**
 * Loads fresh draws from folders and JSONL files (combined; one source per policy) and an optional
 * calibration file, validating every row and mapping scores to internal units. Files are streamed
 * line by line. Bad input raises a `CjeInputError` naming file, line, field and value; see
 * {@link LoadOptions.onInvalid} for drop mode.
 */
export async function loadEvaluationData(inputs: string[], options: FileLoadOptions = {}): Promise<EvaluationData> {
  const parsed = parseOptions(fileLoadOptionsSchema, options);
  const drops = new DropLog(parsed.onInvalid ?? "error");
  const exclude = parsed.calibrationFile !== undefined ? [parsed.calibrationFile] : [];
  const discovery = await discoverDrawFiles(inputs, exclude, { onInvalid: drops.policy });
  let calibration: CalibrationCollector | null = null;
  if (parsed.calibrationFile !== undefined) {
    const collector = new CalibrationCollector(parsed.calibrationFile, drops);
    await readJsonl(parsed.calibrationFile, (value, line) => collector.add(value, line));
    calibration = collector;
  }
  const draws = new DrawCollector(drops);
  draws.claimSources(discovery.sources);
  for (const source of discovery.sources) {
    const reader = draws.open(source.file, source);
    await readJsonl(source.file, (value, line) => reader.add(value, line));
    reader.finish();
  }
  return assembleEvaluationData(draws, calibration, drops, parsed, discovery.warnings);
}
