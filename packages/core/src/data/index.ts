/**
 * Data ingestion: JSONL fresh draws and calibration files (or in-memory rows) → validated
 * {@link EvaluationData} in internal units, plus scale helpers and covariate columns.
 *
 * @module
 */
export { CjeInputError, formatInputError, type InputLocation } from "../errors/input-error.js";
export type { CalibrationRow, FreshDraw, RowSource, Scale, ScaleResolution } from "./types.js";
export type { DropReport, DroppedRow, EvaluationData, InvalidRowPolicy, LoadOptions } from "./evaluation-data.js";
export { loadEvaluationData, type FileLoadOptions } from "./load.js";
export { evaluationDataFromRecords, IN_MEMORY_LABEL, type RecordLoadOptions } from "./from-records.js";
export { discoverDrawFiles, POLICY_FILE_PATTERNS, RESERVED_STEMS, type DrawFileSource, type Discovery } from "./discover.js";
export { readJsonl, type JsonlVisitor } from "./jsonl.js";
export { promptHashId } from "./fields.js";
export { CALIBRATION_DROP_KEY, UNATTRIBUTED_DROP_KEY } from "./drop-log.js";
export {
  formatScale,
  fromInternal,
  inferStandardScale,
  isOnScale,
  SCALE_TOLERANCE,
  scaleSpan,
  STANDARD_SCALES,
  toInternal,
} from "./scales.js";
export { scaleSchema } from "./options.js";
export { covariateColumns, RESPONSE_LENGTH, wordCount, type CovariateRow } from "./covariates.js";
