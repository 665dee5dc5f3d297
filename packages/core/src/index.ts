/**
 * `@cjeval/core`: Causal Judge Evaluation in TypeScript.
 *
 * Calibrate an LLM judge's scores to a small oracle-labelled slice (AutoCal-R), estimate each
 * policy's oracle-scale value with intervals that include calibration uncertainty, and refuse to
 * overclaim when the data cannot support a claim.
 *
 * This entry is the documented API: in-memory loading, `analyze` / `analyzeOffPolicy` (estimators chosen by
 * name), `analyzeAsync` (`analyze` with its bootstrap on Web Workers in browsers), `calibratedMeanCI`, transport
 * audits, planning, validation, the JSON result schemas and the provider interfaces. The building blocks (isotonic regression, folds, calibrators, distributions,
 * quantiles, RNG, bootstrap, jackknife, estimator internals, weight diagnostics …) are in
 * `@cjeval/core/advanced`. Reading files (`loadEvaluationData`, `loadLoggedData`,
 * `loadTransportProbes`, `validateInputs`) and the worker-thread bootstrap are in `@cjeval/core/node`:
 * this entry and `/advanced` import no Node built-in, so they run in browsers and edge runtimes.
 *
 * @packageDocumentation
 */
export { VERSION } from "./version.js";

// Loading and validating inputs.
export { CjeInputError, type InputLocation } from "./errors/input-error.js";
export type { CalibrationRow, FreshDraw, RowSource, Scale, ScaleResolution } from "./data/types.js";
export type { DropReport, DroppedRow, EvaluationData, InvalidRowPolicy, LoadOptions } from "./data/evaluation-data.js";
export { evaluationDataFromRecords, type RecordLoadOptions } from "./data/from-records.js";
export { loggedDataFromRecords, type LoggedData, type LoggedLoadOptions } from "./off-policy/logged.js";

// Analysis: Direct mode and the off-policy family (estimators chosen by name).
export { analyze, type AnalyzeOptions } from "./analysis/analyze.js";
export { analyzeAsync, type AnalyzeAsyncOptions, type BootstrapProgress } from "./analysis/analyze-async.js";
export {
  analyzeOffPolicy,
  resolveOffPolicyEstimator,
  OFF_POLICY_ESTIMATORS,
  type OffPolicyEstimatorName,
  type OffPolicyOptions,
} from "./analysis/analyze-off-policy.js";
export type { CalibrationMode } from "./calibration/autocal.js";
export type { InferenceMethod } from "./direct/direct.js";
export type { LabelDesign } from "./direct/direct-point.js";
export type { SurprisalNormalizer } from "./off-policy/typicality.js";
export type { TmleLink } from "./off-policy/tmle.js";
export type { OmegaMode } from "./off-policy/mrdr.js";
export { calibratedMeanCI, type CalibratedMean, type CalibratedMeanOptions } from "./direct/calibrated-mean.js";

// Reading results: flags, gates, the best reliable policy.
export {
  bestPolicy,
  differentUnits,
  FLAG_NEXT_STEPS,
  FLAG_REASONS,
  GATE_THRESHOLDS,
  type BestPolicyVerdict,
  type EstimateUnits,
  type GatedEstimate,
  type GateThreshold,
  type PolicyFlag,
} from "./diagnostics/gates.js";

// Transport audits.
export { transportProbesFromRecords, type TransportProbes } from "./diagnostics/transport-probes.js";
export type { TransportConfig } from "./diagnostics/policy-transport.js";
export type { TransportReason, TransportStatus } from "./diagnostics/transport.js";
export { auditTransport } from "./analysis/audit-report.js";

// Planning label budgets.
export type { VarianceModel } from "./planning/variance-model.js";
export { minimumDetectableDifference, powerToDetect } from "./planning/power.js";
export {
  labelsForHalfWidth,
  planForBudget,
  planForHalfWidth,
  planForMde,
  type CostModel,
  type EvaluationPlan,
  type LabelRequirement,
  type PlanOptions,
} from "./planning/plans.js";
export {
  labelBalance,
  measureVarianceModel,
  pilotFromData,
  type LabelBalance,
  type Pilot,
  type PilotMeasurement,
  type PilotOptions,
  type PilotPrompt,
  type PilotVarianceModel,
} from "./planning/pilot.js";
export {
  checkComparisonPlan,
  checkPlan,
  type ComparisonCheck,
  type PairCheck,
  type PlanCheck,
  type PlanCheckOptions,
} from "./planning/plan-check.js";
export {
  measureComparisonModel,
  type ComparisonModelOptions,
  type ComparisonVarianceModel,
  type PairVarianceModel,
} from "./planning/comparison-model.js";
export { planFromPilot, planFromSimulation, type PlanRequest } from "./planning/report.js";
export { correlationToR2, syntheticPilot, type JudgeRelationship, type SimulationScenario, type SyntheticPilot } from "./planning/simulation.js";

// JSON contracts: zod schemas (single source of truth) and the types inferred from them.
export * from "./analysis/result-schema.js";
export { OffPolicyDiagnosticsSchema, type OffPolicyDiagnostics } from "./analysis/off-policy-schema.js";
export * from "./diagnostics/trust-schemas.js";

// Provider interfaces, implemented by @cjeval/openai, @cjeval/anthropic or your own code.
export * from "./providers/index.js";
