/**
 * Everything a report shows, gathered from a campaign store: the stored analysis, the labelled points
 * and the calibration curve fitted on them, the label design and transport probes, the off-policy
 * analyses, usage and cost, failures and attempts.
 */
import type { AnalysisResult } from "@cjeval/core";
import { type Calibrator, fitCalibrator } from "@cjeval/core/advanced";
import { spentCost, type SpentUsage } from "../cost.js";
import { checkedValue } from "../stages/context.js";
import { CURRENT_ESTIMATE_META, EstimateValueSchema, type EstimateValue, type LabelledPoint } from "../stages/estimate.js";
import { CURRENT_OFF_POLICY_META, OffPolicyResultSchema, type OffPolicyResult } from "../stages/off-policy.js";
import type { AttemptSummary, CampaignStore, StageCounts, StageName } from "../store/store.js";
import { CAMPAIGN_SNAPSHOT_META, type CampaignSnapshot } from "./snapshot.js";

/** Failed units of one stage. */
export interface FailureGroup {
  readonly stage: StageName;
  readonly count: number;
  /** A few messages, for a first look. */
  readonly examples: readonly string[];
}

/** A point of the fitted calibration function (judge score → oracle value, both in [0, 1]). */
export interface CurvePoint {
  readonly x: number;
  readonly y: number;
}

/** The content of a report. */
export interface ReportData {
  readonly title: string;
  readonly generatedAt: string;
  readonly analysis: AnalysisResult;
  /** Known true values (simulations), or `null`. */
  readonly truth: Readonly<Record<string, number>> | null;
  readonly labelled: readonly LabelledPoint[];
  /** The calibration function over the labelled score range, or `null` when none was fitted or it uses covariates. */
  readonly curve: readonly CurvePoint[] | null;
  readonly design: EstimateValue["design"];
  /** The transport probes and their points, when the campaign audits. */
  readonly audit: NonNullable<EstimateValue["audit"]> | null;
  /** The off-policy analyses of the campaign's estimators, in its order. */
  readonly offPolicy: readonly OffPolicyResult[];
  /** Usage and cost by stage and provider model. */
  readonly costs: readonly SpentUsage[];
  readonly failures: readonly FailureGroup[];
  readonly attempts: AttemptSummary;
  readonly stages: readonly StageCounts[];
}

const CURVE_POINTS = 101;
const FAILURE_EXAMPLES = 3;

/** The calibration function on a grid over the labelled range (`null` when it cannot be fitted). */
export function calibrationCurve(labelled: readonly LabelledPoint[]): CurvePoint[] | null {
  if (labelled.length === 0) return null;
  let calibrator: Calibrator;
  try {
    calibrator = fitCalibrator({
      scores: labelled.map((p) => p.judge_score),
      labels: labelled.map((p) => p.oracle_label),
      clusterIds: labelled.map((p) => p.prompt_id),
    });
  } catch {
    return null; // too few labels or clusters: the analysis reports the same and is uncalibrated
  }
  const [lo, hi] = calibrator.labelledScoreRange;
  const grid = Array.from({ length: CURVE_POINTS }, (_, i) => lo + ((hi - lo) * i) / (CURVE_POINTS - 1));
  const values = calibrator.predictScores(grid);
  return grid.map((x, i) => ({ x, y: values[i] }));
}

/**
 * Gathers the report of the store's current analysis; `null` when no analysis is stored yet.
 * `overrides` replace what the campaign snapshot in the store says.
 */
export async function reportData(store: CampaignStore, overrides: { title?: string; truth?: Record<string, number> } = {}): Promise<ReportData | null> {
  const current = await store.getMeta(CURRENT_ESTIMATE_META);
  const estimates = new Map((await store.results("estimate")).map((r) => [r.key, r]));
  const stored = current === undefined ? undefined : estimates.get(current);
  if (stored === undefined) return null;
  const estimate = checkedValue(store, "estimate", stored, EstimateValueSchema);
  const offPolicyText = await store.getMeta(CURRENT_OFF_POLICY_META);
  const offPolicyKeys = offPolicyText === undefined ? [] : (JSON.parse(offPolicyText) as [string, string][]);
  const snapshotText = await store.getMeta(CAMPAIGN_SNAPSHOT_META);
  const snapshot: CampaignSnapshot | null = snapshotText === undefined ? null : (JSON.parse(snapshotText) as CampaignSnapshot);
  const failed = await store.failures();
  const failures = new Map<StageName, FailureGroup>();
  for (const f of failed) {
    const group = failures.get(f.stage) ?? { stage: f.stage, count: 0, examples: [] };
    failures.set(f.stage, {
      stage: f.stage,
      count: group.count + 1,
      examples: group.examples.length < FAILURE_EXAMPLES ? [...group.examples, `${f.policy ?? ""}/${f.promptId ?? ""}: ${f.failure.message}`] : group.examples,
    });
  }
  const usesCovariates = (estimate.analysis.diagnostics.calibration?.covariates.length ?? 0) > 0;
  return {
    title: overrides.title ?? snapshot?.name ?? "CJE campaign",
    generatedAt: new Date().toISOString(),
    analysis: estimate.analysis,
    truth: overrides.truth ?? snapshot?.truth ?? null,
    labelled: estimate.labelled,
    curve: usesCovariates || estimate.analysis.diagnostics.calibration === null ? null : calibrationCurve(estimate.labelled),
    design: estimate.design,
    audit: estimate.audit ?? null,
    offPolicy: offPolicyKeys.flatMap(([, key]) => {
      const result = estimates.get(key);
      return result === undefined ? [] : [checkedValue(store, "estimate", result, OffPolicyResultSchema)];
    }),
    costs: await spentCost(await store.usage(), snapshot),
    failures: [...failures.values()],
    attempts: await store.attempts(),
    stages: await store.stageCounts(),
  };
}
