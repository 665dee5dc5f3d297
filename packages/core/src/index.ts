/**
 * `@cjeval/core`: Causal Judge Evaluation in TypeScript.
 *
 * Calibrate an LLM judge's scores to a small oracle-labelled slice (AutoCal-R), estimate each
 * policy's oracle-scale value with intervals that include calibration uncertainty, and refuse to
 * overclaim when the data cannot support a claim.
 *
 * @packageDocumentation
 */
import { createRequire } from "node:module";

/** This package's version, as its package.json says (changesets bumps it there). */
export const VERSION: string = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

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
export { buildEvalTable, type EvalRowInput, type EvalTable } from "./direct/eval-table.js";
export { directPointEstimate, type DirectPointInputs, type DirectPointResult, type DirectRoute, type LabelDesign } from "./direct/direct-point.js";
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
} from "./direct/direct.js";
export {
  normalCdf,
  normalQuantile,
  normalSf,
  studentTCdf,
  studentTQuantile,
  studentTSf,
  chiSquareCdf,
  chiSquareSf,
} from "./numeric/distributions.js";
export { quantile, quantiles, quantileSorted } from "./numeric/quantiles.js";
export { createRng, type Rng } from "./numeric/rng.js";
export { clusterRobustVariance, type ClusterRobustVariance } from "./numeric/cluster-robust.js";
export { foldJackknifeVariance, satterthwaiteDegreesOfFreedom } from "./numeric/jackknife.js";
export { runWeightBootstrap, summarizeDraws, type WeightBootstrapOptions } from "./numeric/bootstrap.js";
export * from "./diagnostics/gates.js";
export * from "./diagnostics/score-support.js";
export { analyze, type AnalyzeOptions } from "./analysis/analyze.js";
export * from "./analysis/result-schema.js";
export { writeFileAtomic, writeJsonAtomic } from "./io/atomic-write.js";
export { simulateWorld, worldTruth, type SyntheticWorld, type WorldOptions, type WorldPolicy } from "./simulation/world.js";
export * from "./providers/index.js";
export { calibratedMeanCI, type CalibratedMean, type CalibratedMeanOptions } from "./direct/calibrated-mean.js";
export {
  labelDesignFromDraws,
  labelDesignJson,
  withDesignWeights,
  ORACLE_INCLUSION_FIELD,
  type DataLabelDesign,
} from "./analysis/label-design.js";
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
  type TransportReason,
  type TransportSettings,
  type TransportStatus,
} from "./diagnostics/transport.js";
export { loadTransportProbes, transportProbesFromRecords, type TransportProbes } from "./diagnostics/transport-probes.js";
export {
  planTransportAudits,
  runTransportAudits,
  PROBE_WEIGHT_FIELD,
  TRANSPORT_STATUS_ORDER,
  worstTransportStatus,
  type PolicyTransport,
  type TransportConfig,
  type TransportPlan,
} from "./diagnostics/policy-transport.js";
export * from "./diagnostics/trust-schemas.js";
// Off-policy family (issue #4): logged data, importance weights, SIMCal-W, IPS/DR estimators, overlap diagnostics.
export { loadLoggedData, loggedDataFromRecords, loggedLabelRows, targetRows, LOGGED_DROP_KEY, type LoggedData, type LoggedLoadOptions } from "./off-policy/logged.js";
export { logRatios, rawWeights, hajekWeights, clipWeights, meanOne } from "./off-policy/importance-weights.js";
export { fitSimcal, selectSimcalMixture, populationVariance, type SimcalConfig, type SimcalModel, type SimcalSelection } from "./off-policy/simcal.js";
export { minVarianceSimplex, columnCovariance, addRelativeRidge, type SimplexOptions } from "./numeric/min-variance-simplex.js";
export { buildTargetProblem, type FreshTerm, type LoggedRewards, type TargetDraws, type TargetProblem } from "./off-policy/off-policy-problem.js";
export { offPolicyInterval, weightedReplicates, type OffPolicyEstimate, type OffPolicyInterval } from "./off-policy/off-policy-inference.js";
export { estimateIps } from "./off-policy/ips.js";
export { estimateSnips, type SnipsOptions } from "./off-policy/snips.js";
export { estimateCalibratedIps, calibratedIpsFromWeights, stabiliseWeights, type StabilisedWeights } from "./off-policy/calibrated-ips.js";
export { drFunctional, drEstimate, type DrParts, type OutcomePredictions } from "./off-policy/dr-shared.js";
export { isotonicOutcome } from "./off-policy/outcome-model.js";
export { estimateDrCpo } from "./off-policy/dr-cpo.js";
export { estimateMrdr, type OmegaMode } from "./off-policy/mrdr.js";
export { estimateTmle, solveLogisticFluctuation, solveIdentityFluctuation, cleverCovariate, type Fluctuation, type TmleLink } from "./off-policy/tmle.js";
export { estimateStackedDr, STACK_COMPONENTS, type StackedEstimate } from "./off-policy/stacked-dr.js";
export { effectiveSampleSize, massConcentration, hillTailIndex, type HillOptions } from "./off-policy/weights.js";
export { hellingerAffinity, judgeSpaceBhattacharyya, JUDGE_SPACE_BINS } from "./off-policy/overlap.js";
export { targetTypicality, type SurprisalNormalizer, type TypicalityCoverage } from "./off-policy/typicality.js";
export { orthogonalityScore, type OrthogonalityScore } from "./off-policy/orthogonality.js";
export * from "./off-policy/overlap-gates.js";
export { poolOracleLabels, type LabelSource, type PooledLabels } from "./analysis/label-pool.js";
export { analyzeOffPolicy, resolveOffPolicyEstimator, OFF_POLICY_ESTIMATORS, type OffPolicyEstimatorName, type OffPolicyOptions } from "./analysis/analyze-off-policy.js";
export { OffPolicyDiagnosticsSchema, type OffPolicyDiagnostics } from "./analysis/off-policy-schema.js";
export {
  fitVarianceComponents,
  nnls2,
  predictVariance,
  MIN_FIT_R_SQUARED,
  type VarianceMeasurement,
  type VarianceModel,
} from "./planning/variance-model.js";
export { comparisonSe, minimumDetectableDifference, powerToDetect } from "./planning/power.js";
export {
  describeAllocation,
  labelsForHalfWidth,
  planForBudget,
  planForHalfWidth,
  planForMde,
  DEFAULT_MIN_LABELS,
  TARGET_TOLERANCE,
  type CostModel,
  type EvaluationPlan,
  type LabelRequirement,
  type PlanOptions,
} from "./planning/plans.js";
export {
  defaultNGrid,
  estimateOnPrompts,
  measurementGrid,
  measureVarianceModel,
  pilotFromData,
  DEFAULT_ORACLE_FRACTIONS,
  DEFAULT_PILOT_REPLICATES,
  DEFAULT_PILOT_SEED,
  MIN_GRID_LABELS,
  BALANCE_ALPHA,
  BALANCE_MIN_DRAWS,
  labelBalance,
  type LabelBalance,
  type Pilot,
  type PilotMeasurement,
  type PilotOptions,
  type PilotPrompt,
  type PilotVarianceModel,
} from "./planning/pilot.js";
export { checkPlan, DEFAULT_CHECK_REPLICATES, type PlanCheck, type PlanCheckOptions } from "./planning/plan-check.js";
export { planFromPilot, planFromSimulation, type PlanRequest } from "./planning/report.js";
export {
  correlationToR2,
  DEFAULT_SIMULATION_ORACLE_FRACTION,
  DEFAULT_SIMULATION_PROMPTS,
  mixingWeightFor,
  SIMULATION_DGP,
  simulationNGrid,
  syntheticPilot,
  type JudgeRelationship,
  type SimulationScenario,
  type SyntheticPilot,
} from "./planning/simulation.js";
export { kolmogorovSf, ksTwoSample, type KsTest } from "./numeric/ks-test.js";
export { validateInputs } from "./analysis/validate.js";
export { auditTransport } from "./analysis/audit-report.js";
export { analyticInterval, type AnalyticInterval, type AnalyticIntervalInputs } from "./numeric/analytic-interval.js";
