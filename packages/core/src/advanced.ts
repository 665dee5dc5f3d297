/**
 * `@cjeval/core/advanced`: the building blocks under the API of `@cjeval/core`, for researchers and
 * for the other CJE packages — numerics (distributions, quantiles, RNG, bootstrap, jackknife,
 * cluster-robust variance, analytic intervals, KS test, min-variance simplex), ingestion helpers and
 * scales, calibration (PAVA/isotonic regression, folds, AutoCal-R calibrators), the Direct and
 * off-policy estimators on prepared tables, importance-weight and overlap diagnostics, gate and
 * transport internals, label designs, planning internals and synthetic worlds.
 *
 * Like the main entry it imports no Node built-in; the file readers (`readJsonl`,
 * `discoverDrawFiles`) are in `@cjeval/core/node`, built on the pure parts exported here (`parseJsonlText`'s line
 * reader, `drawFileLayout` and the policy-file rules), which `evaluationDataFromSources` uses on files read
 * elsewhere (a browser page).
 *
 * Grouped by layer, lowest first (see the package README). Types of the main API (`EvaluationData`,
 * `LoggedData`, `CalibrationMode`, `PolicyFlag`, …) are exported by `@cjeval/core`.
 *
 * @packageDocumentation
 */

// errors
export { formatInputError } from "./errors/input-error.js";

// numeric
export { normalCdf, normalQuantile, normalSf, studentTCdf, studentTQuantile, studentTSf, chiSquareCdf, chiSquareSf } from "./numeric/distributions.js";
export { quantile, quantiles, quantileSorted } from "./numeric/quantiles.js";
export { createRng, type Rng } from "./numeric/rng.js";
export { clusterRobustVariance, clusterTotalsVariance, type ClusterRobustVariance } from "./numeric/cluster-robust.js";
export { foldJackknifeVariance, satterthwaiteDegreesOfFreedom } from "./numeric/jackknife.js";
export { runWeightBootstrap, summarizeDraws, type WeightBootstrapOptions } from "./numeric/bootstrap.js";
export { analyticInterval, type AnalyticInterval, type AnalyticIntervalInputs } from "./numeric/analytic-interval.js";
export { kolmogorovSf, ksTwoSample, type KsTest } from "./numeric/ks-test.js";
export {
  checkLimit,
  checkResourceOptions,
  MAX_BOOTSTRAP_REPLICATES,
  MAX_SEED,
  MAX_SIMULATED_PROMPTS,
  MAX_THREADS_HARD,
  maxThreads,
  MIN_BOOTSTRAP_REPLICATES,
  replicatesSchema,
  resourceOptionsSchema,
  seedSchema,
  simulatedPromptsSchema,
  THREADS_PER_CORE,
  threadsSchema,
} from "./numeric/resource-limits.js";
export { minVarianceSimplex, columnCovariance, addRelativeRidge, type SimplexOptions } from "./numeric/min-variance-simplex.js";

// data
export { IN_MEMORY_LABEL } from "./data/from-records.js";
export { decodeTextFile } from "./data/text-encoding.js";
export { parseJsonlText, type JsonlVisitor, type SourceRecord } from "./data/jsonl-text.js";
export {
  drawFileLayout,
  fileStem,
  isReservedPolicy,
  policyFromStem,
  POLICY_FILE_PATTERNS,
  RESERVED_STEMS,
  type DrawSourceLayout,
} from "./data/policy-files.js";
export { evaluationDataFromSources, type DrawRecordSource, type RecordSource, type SourceLoadOptions } from "./data/from-sources.js";
export { promptHashId } from "./data/fields.js";
export { CALIBRATION_DROP_KEY, UNATTRIBUTED_DROP_KEY } from "./data/drop-log.js";
export { formatScale, fromInternal, inferStandardScale, isOnScale, SCALE_TOLERANCE, scaleSpan, STANDARD_SCALES, toInternal } from "./data/scales.js";
export { scaleSchema } from "./data/options.js";
export { covariateColumns, RESPONSE_LENGTH, wordCount, type CovariateRow } from "./data/covariates.js";

// simulation
export { simulateWorld, worldTruth, type SyntheticWorld, type WorldOptions, type WorldPolicy } from "./simulation/world.js";

// calibration
export {
  AutoCalFitter,
  fitCalibrator,
  type CalibrationData,
  type CalibrationDiagnostics,
  type Calibrator,
  type CalibratorOptions,
  type SelectedMode,
} from "./calibration/autocal.js";
export { CalibrationPoints } from "./calibration/points.js";
export { assignFolds, resolveFoldCount, DEFAULT_FOLD_SEED, DEFAULT_N_FOLDS, MIN_LABELLED_CLUSTERS } from "./calibration/folds.js";
export { fitIsotonic, IsotonicFitter, type IsotonicModel, type IsotonicOptions } from "./calibration/isotonic.js";
export type { ModeSelection } from "./calibration/mode-selection.js";

// direct
export { buildEvalTable, type EvalRowInput, type EvalTable } from "./direct/eval-table.js";
export { directPointEstimate, type DirectPointInputs, type DirectPointResult, type DirectRoute } from "./direct/direct-point.js";
export {
  estimateDirect,
  DEFAULT_BOOTSTRAP_REPLICATES,
  DEFAULT_INFERENCE,
  DEFAULT_BOOTSTRAP_SEED,
  type CalibrationSource,
  type DirectEstimate,
  type DirectOptions,
  type PairedComparison,
  type PolicyInference,
} from "./direct/direct.js";
export { estimateDirectAsync, type DirectAsyncOptions } from "./direct/direct-async.js";

// off-policy
export { loggedLabelRows, targetRows, LOGGED_DROP_KEY } from "./off-policy/logged.js";
export { logRatios, rawWeights, hajekWeights, clipWeights, meanOne } from "./off-policy/importance-weights.js";
export { fitSimcal, selectSimcalMixture, populationVariance, type SimcalConfig, type SimcalModel, type SimcalSelection } from "./off-policy/simcal.js";
export { buildTargetProblem, type FreshTerm, type LoggedRewards, type TargetDraws, type TargetProblem } from "./off-policy/off-policy-problem.js";
export { offPolicyInterval, weightedReplicates, type OffPolicyEstimate, type OffPolicyInterval } from "./off-policy/off-policy-inference.js";
export { estimateIps } from "./off-policy/ips.js";
export { estimateSnips, type SnipsOptions } from "./off-policy/snips.js";
export { estimateCalibratedIps, calibratedIpsFromWeights, stabiliseWeights, type StabilisedWeights } from "./off-policy/calibrated-ips.js";
export { drFunctional, drEstimate, type DrParts, type OutcomePredictions } from "./off-policy/dr-shared.js";
export { isotonicOutcome } from "./off-policy/outcome-model.js";
export { estimateDrCpo } from "./off-policy/dr-cpo.js";
export { estimateMrdr } from "./off-policy/mrdr.js";
export { estimateTmle, solveLogisticFluctuation, solveIdentityFluctuation, cleverCovariate, type Fluctuation } from "./off-policy/tmle.js";
export { estimateStackedDr, STACK_COMPONENTS, type StackedEstimate } from "./off-policy/stacked-dr.js";
export { effectiveSampleSize, massConcentration, hillTailIndex, type HillOptions } from "./off-policy/weights.js";
export { hellingerAffinity, judgeSpaceBhattacharyya, JUDGE_SPACE_BINS } from "./off-policy/overlap.js";
export { targetTypicality, type TypicalityCoverage } from "./off-policy/typicality.js";
export { orthogonalityScore, type OrthogonalityScore } from "./off-policy/orthogonality.js";
export * from "./off-policy/overlap-gates.js";

// diagnostics
export {
  MIN_CLUSTERS_FOR_FULL_FOLDS,
  MIN_EFFECTIVE_PROBE_CLUSTERS,
  DEFAULT_TRANSPORT_ALPHA,
  RECOMMENDED_MIN_LABELS,
  labelledClusterWarning,
  transportFailReason,
} from "./diagnostics/gates.js";
export * from "./diagnostics/score-support.js";
export {
  transportAudit,
  classifyTransport,
  resolveTransportSettings,
  TRANSPORT_ACTIONS,
  DEFAULT_TRANSPORT_BINS,
  MIN_BIN_OCCUPANCY,
  TRANSPORT_DETECTABLE_POWER,
  type ResidualBin,
  type TransportAudit,
  type TransportAuditOptions,
  type TransportSettings,
} from "./diagnostics/transport.js";
export {
  planTransportAudits,
  runTransportAudits,
  PROBE_WEIGHT_FIELD,
  TRANSPORT_STATUS_ORDER,
  worstTransportStatus,
  type PolicyTransport,
  type TransportPlan,
} from "./diagnostics/policy-transport.js";

// planning
export {
  fitVarianceComponents,
  nnls,
  nnls2,
  predictVariance,
  MIN_FIT_R_SQUARED,
  type VarianceFitOptions,
  type VarianceMeasurement,
} from "./planning/variance-model.js";
export { comparisonSe } from "./planning/power.js";
export { describeAllocation, DEFAULT_MIN_LABELS, TARGET_TOLERANCE } from "./planning/plans.js";
export {
  defaultNGrid,
  estimateOnPrompts,
  measurementGrid,
  DEFAULT_ORACLE_FRACTIONS,
  DEFAULT_PILOT_REPLICATES,
  DEFAULT_PILOT_SEED,
  MIN_GRID_LABELS,
  BALANCE_ALPHA,
  BALANCE_MIN_DRAWS,
} from "./planning/pilot.js";
export { DEFAULT_CHECK_REPLICATES } from "./planning/plan-check.js";
export { COMPARISON_ORACLE_FRACTIONS } from "./planning/comparison-model.js";
export { DEFAULT_SIMULATION_ORACLE_FRACTION, DEFAULT_SIMULATION_PROMPTS, mixingWeightFor, SIMULATION_DGP, simulationNGrid } from "./planning/simulation.js";

// analysis
export { labelDesignFromDraws, labelDesignJson, withDesignWeights, ORACLE_INCLUSION_FIELD, type DataLabelDesign } from "./analysis/label-design.js";
export { poolOracleLabels, type LabelSource, type PooledLabels } from "./analysis/label-pool.js";
