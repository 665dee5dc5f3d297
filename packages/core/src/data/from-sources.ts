import { CjeInputError } from "../errors/input-error.js";
import { assembleEvaluationData } from "./assemble.js";
import { CalibrationCollector } from "./collect-calibration.js";
import { DrawCollector } from "./collect-draws.js";
import { DropLog } from "./drop-log.js";
import type { EvaluationData, LoadOptions } from "./evaluation-data.js";
import type { SourceRecord } from "./jsonl-text.js";
import { drawRecordSourcesSchema, parseOptions, sourceLoadOptionsSchema } from "./options.js";
import type { DrawSourceLayout } from "./policy-files.js";

/** Records read from one file elsewhere (a file picked in a browser): its name, as errors locate rows, and its records. */
export interface RecordSource {
  /** The file's name or path; errors and drop reports say `<file>:<line>`. */
  readonly file: string;
  readonly records: readonly SourceRecord[];
}

/** A fresh-draw {@link RecordSource} and how its rows map to policies (for a file: `drawFileLayout(file)`). */
export type DrawRecordSource = RecordSource & DrawSourceLayout;

/** Options of {@link evaluationDataFromSources}. */
export interface SourceLoadOptions extends LoadOptions {
  /** The calibration file's records (`judge_score` + `oracle_label`); unlabelled rows are skipped and counted. */
  calibration?: RecordSource;
}

/**
 * Evaluation data from files read elsewhere — a browser page's dropped files, parsed with `parseJsonlText` (or a CSV
 * reader) — with exactly the reading of `loadEvaluationData` (`@cjeval/core/node`) given those files by name: the
 * same layouts (per policy, or by content for a multi-policy file), the per-policy sources claimed first, the
 * calibration records read before the draws, the same validation, scale inference and errors naming
 * `<file>:<line>`. Sources are read in the order given.
 */
export function evaluationDataFromSources(sources: readonly DrawRecordSource[], options: SourceLoadOptions = {}): EvaluationData {
  const parsed = parseOptions(sourceLoadOptionsSchema, options);
  if (!Array.isArray(sources) || sources.length === 0) throw new CjeInputError("no fresh-draw source given (expected the records of one or more files)");
  const checked = parseOptions(drawRecordSourcesSchema, sources, "fresh-draw source");
  const seen = new Set<string>();
  for (const { file } of checked) {
    if (file === parsed.calibration?.file) throw new CjeInputError("given both as fresh draws and as the calibration file", { file });
    if (seen.has(file)) throw new CjeInputError("the same file is given twice", { file });
    seen.add(file);
  }
  const drops = new DropLog(parsed.onInvalid ?? "error");
  let calibration: CalibrationCollector | null = null;
  if (parsed.calibration !== undefined) {
    calibration = new CalibrationCollector(parsed.calibration.file, drops);
    for (const { value, line } of parsed.calibration.records) calibration.add(value, line);
  }
  const draws = new DrawCollector(drops);
  draws.claimSources(checked);
  for (const source of checked) {
    const reader = draws.open(source.file, source);
    for (const { value, line } of source.records) reader.add(value, line);
    reader.finish();
  }
  return assembleEvaluationData(draws, calibration, drops, parsed, []);
}
