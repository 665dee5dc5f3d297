/**
 * `@cjeval/core`: Causal Judge Evaluation in TypeScript.
 *
 * Calibrate an LLM judge's scores to a small oracle-labelled slice (AutoCal-R), estimate each
 * policy's oracle-scale value with intervals that include calibration uncertainty, and refuse to
 * overclaim when the data cannot support a claim.
 *
 * @packageDocumentation
 */
export const VERSION = "0.1.0";

export * from "./data/index.js";
export {
  AutoCalFitter,
  fitCalibrator,
  type CalibrationData,
  type CalibrationDiagnostics,
  type CalibrationMode,
  type Calibrator,
  type CalibratorOptions,
  type SelectedMode,
} from "./calibration/autocal.js";
export { CalibrationPoints } from "./calibration/points.js";
export { assignFolds, resolveFoldCount, DEFAULT_FOLD_SEED, DEFAULT_N_FOLDS, MIN_LABELLED_CLUSTERS } from "./calibration/folds.js";
export { fitIsotonic, IsotonicFitter, type IsotonicModel, type IsotonicOptions } from "./calibration/isotonic.js";
export type { ModeSelection } from "./calibration/mode-selection.js";
export { buildEvalTable, type EvalRowInput, type EvalTable } from "./estimators/eval-table.js";
export { directPointEstimate, type DirectPointInputs, type DirectPointResult, type DirectRoute, type LabelDesign } from "./estimators/direct-point.js";
export {
  estimateDirect,
  DEFAULT_BOOTSTRAP_REPLICATES,
  DEFAULT_BOOTSTRAP_SEED,
  type CalibrationSource,
  type DirectEstimate,
  type DirectOptions,
  type InferenceMethod,
  type PairedComparison,
  type PolicyInference,
} from "./estimators/direct.js";
export {
  normalCdf,
  normalQuantile,
  normalSf,
  studentTCdf,
  studentTQuantile,
  studentTSf,
  chiSquareCdf,
  chiSquareSf,
} from "./inference/distributions.js";
export { quantile, quantiles, quantileSorted } from "./inference/quantiles.js";
export { createRng, type Rng } from "./inference/rng.js";
export { clusterRobustVariance, type ClusterRobustVariance } from "./inference/cluster-robust.js";
export { foldJackknifeVariance, satterthwaiteDegreesOfFreedom } from "./inference/jackknife.js";
export { runWeightBootstrap, summarizeDraws, type WeightBootstrapOptions } from "./inference/bootstrap.js";
export * from "./diagnostics/gates.js";
export * from "./diagnostics/score-support.js";
export { analyze, type AnalyzeOptions } from "./analysis/analyze.js";
export * from "./analysis/result-schema.js";
export { writeFileAtomic, writeJsonAtomic } from "./io/atomic-write.js";
export { simulateWorld, worldTruth, type SyntheticWorld, type WorldOptions, type WorldPolicy } from "./simulation/world.js";
export * from "./providers/index.js";
export { calibratedMeanCI, type CalibratedMean, type CalibratedMeanOptions } from "./analysis/calibrated-mean.js";
