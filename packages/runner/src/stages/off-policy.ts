/**
 * The off-policy estimators of a campaign (`estimate.estimators`): `analyzeOffPolicy` of @cjeval/core on
 * exactly the stored rows — the logging policy's responses with their teacher-forced log-probs as logged
 * data, and every policy's fresh draws as the outcome-model term of the doubly-robust estimators and as the
 * source of the calibration labels. The labelled rows carry the label design's inclusion probabilities
 * (see `freshDrawRecords`), so the calibrator is fitted with design weights 1/π as in the Direct analysis.
 * One unit per estimator, keyed by its inputs, so adding an estimator computes only that one.
 */
import {
  AnalysisResultSchema,
  analyzeOffPolicy,
  evaluationDataFromRecords,
  loggedDataFromRecords,
  OFF_POLICY_ESTIMATORS,
  VERSION,
  type AnalysisResult,
  type OffPolicyEstimatorName,
} from "@cjeval/core";
import { z } from "zod";
import { requestKey } from "@cjeval/provider-utils";
import { unitKey } from "./context.js";
import { loggedRecords, type PolicyRecords } from "./estimate-records.js";
import type { UnitJob } from "./execute.js";

/** Store metadata key listing the current off-policy units, as JSON `[[estimator, key], …]`. */
export const CURRENT_OFF_POLICY_META = "current_off_policy";

/** Scales of every row the runner writes: judge scores and labels are stored on 0–1. */
export const UNIT_SCALES = { judgeScale: { min: 0, max: 1 }, oracleScale: { min: 0, max: 1 } } as const;

/** A stored off-policy analysis (the unit's value), as reports and result files carry it. */
export interface OffPolicyResult {
  readonly estimator: OffPolicyEstimatorName;
  readonly analysis: AnalysisResult;
}

/** Schema of a stored off-policy analysis (checked when read back). */
export const OffPolicyResultSchema: z.ZodType<OffPolicyResult> = z.object({
  estimator: z.enum(OFF_POLICY_ESTIMATORS),
  analysis: AnalysisResultSchema,
});

/** What the off-policy units are computed from. */
export interface OffPolicyInputs {
  /** The fresh draws of every policy (see `freshDrawRecords`). */
  readonly records: PolicyRecords;
  readonly logging: string;
  /** Target policies, in campaign order (the logging policy excluded). */
  readonly targets: readonly string[];
}

/** The idempotency key of `estimator` on `inputs`. */
export function offPolicyKey(estimator: OffPolicyEstimatorName, inputs: OffPolicyInputs): string {
  // With the core version, as the Direct estimate's key: an upgrade recomputes (no API call).
  return unitKey("estimate", { core: VERSION, estimator, logging: inputs.logging, targets: inputs.targets, records: requestKey(inputs.records) });
}

/** Runs one off-policy estimator on the campaign's rows. */
export function runOffPolicy(estimator: OffPolicyEstimatorName, inputs: OffPolicyInputs): AnalysisResult {
  const fresh = evaluationDataFromRecords(inputs.records, UNIT_SCALES);
  const logged = loggedDataFromRecords(loggedRecords(inputs.records, inputs.logging), {
    ...UNIT_SCALES,
    targets: inputs.targets,
    loggingPolicy: inputs.logging,
    // A row whose log-prob call failed is dropped (for that target only) and reported in diagnostics.dropped.
    onInvalid: "drop",
  });
  return analyzeOffPolicy(logged, fresh, { estimator });
}

/** The unit computing `estimator` (no API call). */
export function offPolicyJob(estimator: OffPolicyEstimatorName, inputs: OffPolicyInputs): UnitJob {
  return {
    spec: {
      key: offPolicyKey(estimator, inputs),
      stage: "estimate",
      policy: null,
      promptId: null,
      descriptor: { estimator, logging: inputs.logging, targets: inputs.targets },
    },
    provider: null,
    run: async () => {
      const value: OffPolicyResult = { estimator, analysis: runOffPolicy(estimator, inputs) };
      return { value };
    },
  };
}
