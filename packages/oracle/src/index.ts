/**
 * `@cjeval/oracle`: which rows to send for oracle labels, with honest design weights.
 *
 * Probability designs (simple random, stratified by judge score with proportional or Neyman
 * allocation, per-policy, Poisson, active) that return every row's inclusion probability π;
 * nested labelling rounds with a pre-registered stopping rule; oracle adapters (an LLM oracle, CSV /
 * JSONL export and validated import, a local labelling page); and the join of labels and π back
 * into the fresh draws, where `analyze` reads them as a known-propensity design.
 *
 * @packageDocumentation
 */
export { buildFrame, drawKey, itemIdOf, type FrameOptions, type FrameRow, type PilotLabels, type SamplingFrame } from "./frame.js";
export { allocateStrata, proportionalInclusion } from "./inclusion.js";
export { drawSample, permanentRandomNumbers, type DesignPlan, type Selection, type StratumSummary } from "./sample.js";
export {
  DESIGN_KINDS,
  DesignSpecSchema,
  describeDesign,
  planDesign,
  prepareDesign,
  type DesignKind,
  type DesignRequest,
  type DesignSpec,
} from "./designs/index.js";
export { planSimpleRandom, type SimpleRandomSpec } from "./designs/simple-random.js";
export { DEFAULT_STRATA, planStratified, prepareStratified, scoreCuts, stratumOf, type StratifiedOptions, type StratifiedSpec } from "./designs/stratified.js";
export { planPerPolicy, type PerPolicySpec } from "./designs/per-policy.js";
export { planPoisson, type PoissonSpec } from "./designs/poisson.js";
export { activeBin, DEFAULT_ACTIVE_BINS, DEFAULT_FLOOR_SHARE, planActive, prepareActive, type ActiveOptions, type ActiveSpec } from "./designs/active.js";
export { PILOT_PRIOR_WEIGHT, regionResidualVariance, type RegionVariance } from "./designs/pilot-variance.js";
export { formatJsonl, readToLabel, toLabelRows, ToLabelRowSchema, type ToLabelRow } from "./to-label.js";
export { readSampleRecord, SAMPLE_RECORD_VERSION, sampleRecordPath, SampleRecordSchema, type SampleRecord } from "./record.js";
export { sampleForLabelling, type SampleOutcome, type SampleRequest } from "./sample-for-labelling.js";
export { withSampleLabels, type DrawLabel } from "./labelled-data.js";
export {
  labelPending,
  type ItemOutcome,
  type LabellingOutcome,
  type LabelPendingOptions,
  type Oracle,
  type OracleItem,
  type OracleLabel,
} from "./oracles/oracle.js";
export { llmOracle } from "./oracles/llm.js";
export { labelWithOracle, onLabelGrid, type LabelWithOracleOptions, type OracleProgress, type OracleRunSummary } from "./oracles/run-oracle.js";
export { LabelStore, type LabelProgress } from "./label-store.js";
export {
  decideAfterRound,
  halfWidths,
  labelInRounds,
  lookAlpha,
  validateRoundsPlan,
  type LabelInRoundsOptions,
  type RoundDecision,
  type RoundOutcome,
  type RoundsPlan,
  type RoundsResult,
} from "./rounds.js";
export { replaceFilesTogether, type FileReplacement } from "./write-files.js";
export { formatCsv, neutraliseFormula, parseCsv, parseCsvTable, restoreFormula, type CsvRecord, type CsvRow, type CsvTable } from "./oracles/csv.js";
export { exportForLabelling, formatForLabelling, LABEL_FILE_COLUMNS, labelFileFormat, type LabelFileFormat } from "./oracles/export.js";
export { readLabelFile, type ImportedLabel } from "./oracles/import.js";
export { importLabels, type ImportLabelsOptions, type ImportReport } from "./import-labels.js";
export { onGrid, scaleValues, valueKeys, type LabelScale } from "./label-page/scale.js";
export { labelPageHtml } from "./label-page/page.js";
export { startLabelServer, type LabelServer, type LabelServerOptions } from "./label-page/server.js";
