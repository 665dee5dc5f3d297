/**
 * One-call Direct-mode analysis: validated evaluation data in, the JSON contract of `cje analyze`
 * out. Pools oracle labels (labelled fresh draws plus an optional calibration file), fits
 * AutoCal-R, estimates every policy with honest intervals, runs the support diagnostics, sets the
 * reliability flags and reports everything in oracle units.
 */
import type { CalibrationMode } from "../calibration/autocal.js";
import { MIN_LABELLED_CLUSTERS } from "../calibration/folds.js";
import { covariateColumns } from "../data/covariates.js";
import type { EvaluationData } from "../data/evaluation-data.js";
import { fromInternal, scaleSpan } from "../data/scales.js";
import type { Scale, ScaleResolution } from "../data/types.js";
import {
  bestPolicy,
  differentUnits,
  labelledClusterWarning,
  MIN_CLUSTERS_FOR_FULL_FOLDS,
  outsideParameterSpace,
  type PolicyFlag,
} from "../diagnostics/gates.js";
import { planTransportAudits, runTransportAudits, type TransportConfig, type TransportPlan } from "../diagnostics/policy-transport.js";
import { labelSupport, rangeSupport, type LabelSupport, type RangeSupport } from "../diagnostics/score-support.js";
import { estimateDirect, type CalibrationSource, type DirectEstimate, type DirectOptions, type InferenceMethod } from "../direct/direct.js";
import type { LabelDesign } from "../direct/direct-point.js";
import { buildEvalTable, type EvalTable } from "../direct/eval-table.js";
import { clusterRobustVariance } from "../numeric/cluster-robust.js";
import { studentTQuantile } from "../numeric/distributions.js";
import { checkResourceOptions } from "../numeric/resource-limits.js";
import { labelDesignFromDraws, labelDesignJson, withDesignWeights, type DataLabelDesign } from "./label-design.js";
import { poolOracleLabels, type PooledLabels } from "./label-pool.js";
import type { AnalysisResult, ComparisonResult, PolicyResult } from "./result-schema.js";
import { dict, own } from "../data/dictionary.js";

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
  /** `analytic` (default: CRV1 + OUA jackknife) or `bootstrap` (cluster bootstrap with calibrator refit). */
  readonly inference?: InferenceMethod;
  /** Bootstrap replicates (default 2000; 2 to `MAX_BOOTSTRAP_REPLICATES` = 100 000). */
  readonly replicates?: number;
  /** Bootstrap seed (default 42; an integer with |seed| ≤ 2^52). */
  readonly seed?: number;
  /** Two-sided level is 1 − alpha (default 0.05). */
  readonly alpha?: number;
  /** Covariates for the two-stage calibrator (e.g. `response_length`); off by default. */
  readonly covariates?: readonly string[];
  /** Calibration mode (default `auto`; `two_stage` with covariates). */
  readonly calibrationMode?: CalibrationMode;
  /** Oracle-label design (default representative). */
  readonly design?: LabelDesign;
  /** Residual transport audits on held-out probes (every policy gets a record; NOT_CHECKED without probes). */
  readonly transport?: TransportConfig;
  /**
   * Threads computing bootstrap replicates; 1 = this thread only. With `@cjeval/core/node` loaded: this thread and
   * `threads − 1` worker threads. In `analyzeAsync` where the runtime has Web Workers (browsers, Deno, Bun):
   * `threads` Web Workers, while this thread waits. Default: all cores, up to 8, when replicates × rows ≥ 4 000 000,
   * else 1; at most min(64, 4 × cores). Without either, the bootstrap runs in this thread. Results do not depend on it.
   */
  readonly threads?: number;
}

/**
 * Analyses validated evaluation data (see `loadEvaluationData`). Synchronous: with `inference: "bootstrap"` the
 * replicates run in this thread, or on the worker threads of `@cjeval/core/node` when it is loaded. `analyzeAsync`
 * gives the same result without blocking (in a browser, on Web Workers).
 */
export function analyze(data: EvaluationData, options: AnalyzeOptions = {}): AnalysisResult {
  const prepared = prepareAnalysis(data, options);
  return reportAnalysis(prepared, estimateDirect(prepared.table, prepared.calibration, prepared.direct));
}

/** An analysis with its inputs pooled and its options resolved, ready for the Direct estimator. */
export interface PreparedAnalysis {
  readonly data: EvaluationData;
  readonly table: EvalTable;
  readonly covariateNames: readonly string[];
  readonly transportPlan: TransportPlan;
  readonly labelDesign: DataLabelDesign;
  /** The pooled oracle labels the calibrator is fitted on; null when there are none, or too few clusters to calibrate. */
  readonly calibration: PooledLabels | null;
  readonly labelledClusters: number;
  readonly alpha: number;
  /** Warnings so far (the data's, the label pool's). */
  readonly warnings: string[];
  /** Options of the Direct estimator. */
  readonly direct: DirectOptions;
}

/** Checks the options, builds the evaluation table and pools the oracle labels (everything before the estimator). */
export function prepareAnalysis(data: EvaluationData, options: AnalyzeOptions): PreparedAnalysis {
  checkResourceOptions(options);
  const warnings = [...data.warnings];
  const covariateNames = options.covariates ?? [];
  const drawCovariates = covariateNames.length > 0 ? covariateColumns(data.draws, covariateNames) : undefined;
  const table = buildEvalTable(data.draws, data.policies, drawCovariates);
  const transportPlan = planTransportAudits(table.policies, options.transport, data, covariateNames);
  const labelDesign = labelDesignFromDraws(data.draws, table, options.design);
  const source = withDesignWeights(poolOracleLabels(table, [{ label: "calibration-file", rows: data.calibration }], covariateNames, warnings), labelDesign);
  const labelledClusters = source === null ? 0 : new Set(source.promptIds).size;
  const calibrate = source !== null && labelledClusters >= MIN_LABELLED_CLUSTERS;
  const clusterWarning = labelledClusterWarning(labelledClusters);
  if (clusterWarning !== null) warnings.push(clusterWarning);
  const alpha = options.alpha ?? 0.05;
  return {
    data,
    table,
    covariateNames,
    transportPlan,
    labelDesign,
    calibration: calibrate ? source : null,
    labelledClusters,
    alpha,
    warnings,
    direct: {
      ...(options.inference !== undefined ? { inference: options.inference } : {}),
      ...(options.replicates !== undefined ? { replicates: options.replicates } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.calibrationMode !== undefined ? { calibrationMode: options.calibrationMode } : {}),
      design: labelDesign.design,
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      alpha,
    },
  };
}

/** The result of a prepared analysis from its Direct estimate: diagnostics, flags, comparisons, oracle units. */
export function reportAnalysis(prepared: PreparedAnalysis, estimate: DirectEstimate): AnalysisResult {
  const { data, table, covariateNames, transportPlan, labelDesign, calibration, labelledClusters, alpha } = prepared;
  const warnings = [...prepared.warnings];
  if (estimate.calibrator?.degenerate) {
    warnings.push(
      "The monotone calibrator collapsed to a constant although oracle labels vary: calibrated values erase policy " +
        "differences. Check that higher judge scores mean better responses.",
    );
  }
  const support = supportDiagnostics(table, estimate, calibration);
  const transport = runTransportAudits(
    transportPlan,
    table.policies.map((policy, p) => ({ policy, route: estimate.policies[p].route })),
    estimate.calibrator,
  );
  warnings.push(...transport.warnings);
  const oracleScale = data.oracleScale;
  const policies: PolicyResult[] = [];
  const diagnostics: AnalysisResult["diagnostics"]["policies"] = dict();
  table.policies.forEach((policy, p) => {
    const inf = estimate.policies[p];
    const calibrated = inf.route !== "direct_oracle" && estimate.calibrator !== null;
    const uncalibrated = inf.route !== "direct_oracle" && estimate.calibrator === null;
    const flags: PolicyFlag[] = [];
    if (uncalibrated) flags.push("UNCALIBRATED");
    if (calibrated) {
      if (support[p].range?.status === "REFUSE-LEVEL") flags.push("REFUSE-LEVEL");
      if (support[p].label?.flagged) flags.push("LOW-LABEL-SUPPORT");
      if (estimate.calibrator?.degenerate) flags.push("DEGENERATE-CALIBRATOR");
      if (labelledClusters < MIN_CLUSTERS_FOR_FULL_FOLDS) flags.push("FEW-LABELLED-CLUSTERS");
      if (own(transport.failures, policy) !== undefined) flags.push("TRANSPORT-FAIL");
    }
    if (inf.nClusters < 2) flags.push("INFERENCE-UNAVAILABLE");
    if (outsideParameterSpace(inf.estimate)) flags.push("OUTSIDE-PARAMETER-SPACE");
    const scale = uncalibrated || oracleScale === null ? data.judgeScale : oracleScale;
    const level = (u: number) => finiteOrNull(fromInternal(scale.scale, u));
    const spread = (u: number) => finiteOrNull(u * scaleSpan(scale.scale));
    const a = table.policyStart[p];
    const b = table.policyStart[p + 1];
    policies.push({
      policy,
      estimate: level(inf.estimate),
      se: spread(inf.se),
      ci: [level(inf.ci[0]), level(inf.ci[1])],
      n: b - a,
      n_oracle: countLabelled(table, a, b),
      flags,
      route: inf.route,
      units: uncalibrated || oracleScale === null ? "judge" : "oracle",
      ...(inf.df !== undefined ? { df: inf.df } : {}),
    });
    diagnostics[policy] = {
      plug_in: level(inf.plugIn),
      residual_correction: spread(inf.correction),
      naive: naiveJudgeMean(table, p, data.judgeScale.scale, alpha),
      n_clusters: inf.nClusters,
      range_support: support[p].range === null ? null : rangeSupportJson(support[p].range as RangeSupport, data.judgeScale.scale),
      label_support: support[p].label === null ? null : labelSupportJson(support[p].label as LabelSupport),
      transport: own(transport.records, policy),
      ...(inf.intervalSource !== undefined ? { interval_source: inf.intervalSource } : {}),
      ...(inf.varianceComponents !== undefined
        ? {
            variance_components: {
              sampling: finiteOrNull(inf.varianceComponents.sampling * scaleSpan(scale.scale) ** 2),
              calibration: inf.varianceComponents.calibration * scaleSpan(scale.scale) ** 2,
            },
          }
        : {}),
    };
  });
  const mixedUnits = differentUnits(policies);
  if (mixedUnits !== null) {
    for (const r of policies) if (mixedUnits.policies.includes(r.policy)) r.flags.push("DIFFERENT-UNITS");
    warnings.push(mixedUnits.reason);
  }
  const verdict = bestPolicy(policies.map((r) => ({ policy: r.policy, estimate: r.estimate ?? Number.NaN, flags: r.flags })));
  return {
    schema_version: "cje-ts.analysis/v1",
    estimator: "direct",
    policies,
    comparisons: comparisons(estimate, policies, table, oracleScale ?? data.judgeScale),
    best_policy:
      verdict === null
        ? null
        : {
            best: verdict.best,
            raw_best: verdict.rawBest,
            demoted: verdict.demoted,
            raw_best_flags: [...verdict.rawBestFlags],
            all_flagged: verdict.allFlagged,
            reason: verdict.reason,
          },
    diagnostics: {
      calibration: calibrationDiagnostics(estimate, calibration, covariateNames),
      inference: {
        method: estimate.method,
        alpha,
        ...(estimate.replicates !== undefined ? { replicates: estimate.replicates } : {}),
        ...(estimate.seed !== undefined ? { seed: estimate.seed } : {}),
      },
      scales: { judge: scaleJson(data.judgeScale), oracle: oracleScale === null ? null : scaleJson(oracleScale) },
      policies: diagnostics,
      dropped: {
        total: data.dropped.total,
        by_policy: { ...data.dropped.byPolicy },
        rows: data.dropped.rows.map((r) => ({ file: r.file, line: r.line, ...(r.field !== undefined ? { field: r.field } : {}), reason: r.reason })),
      },
      warnings,
      label_design: labelDesignJson(labelDesign),
    },
  };
}

interface PolicySupport {
  readonly range: RangeSupport | null;
  readonly label: LabelSupport | null;
}

function supportDiagnostics(table: EvalTable, estimate: DirectEstimate, source: CalibrationSource | null): PolicySupport[] {
  const cal = estimate.calibrator;
  if (cal === null || source === null) return table.policies.map(() => ({ range: null, label: null }));
  const calibrated = table.points.expand(cal.predict(table.points));
  const sortedLabelled = Float64Array.from(source.scores).sort();
  return table.policies.map((_, p) => {
    const a = table.policyStart[p];
    const b = table.policyStart[p + 1];
    const scores = table.scores.subarray(a, b);
    return {
      range: rangeSupport(scores, calibrated.subarray(a, b), cal.labelledScoreRange, cal.rewardRange),
      label: labelSupport(scores, sortedLabelled),
    };
  });
}

/** Raw judge-score mean of policy `p` with a cluster-robust CI, in judge units: what naive evaluation reports. */
export function naiveJudgeMean(table: EvalTable, p: number, judgeScale: Scale, alpha: number): { estimate: number; ci: [number | null, number | null] } {
  const a = table.policyStart[p];
  const b = table.policyStart[p + 1];
  let sum = 0;
  for (let r = a; r < b; r++) sum += table.scores[r];
  const mean = sum / (b - a);
  const crv = clusterRobustVariance(table.scores, table.cluster, table.clusterIds.length, a, b);
  const half = crv.nClusters >= 2 ? studentTQuantile(1 - alpha / 2, crv.nClusters - 1) * Math.sqrt(crv.variance) : Number.NaN;
  return {
    estimate: fromInternal(judgeScale, mean),
    ci: [finiteOrNull(fromInternal(judgeScale, mean - half)), finiteOrNull(fromInternal(judgeScale, mean + half))],
  };
}

function comparisons(estimate: DirectEstimate, policies: PolicyResult[], table: EvalTable, scale: ScaleResolution): ComparisonResult[] {
  const span = scaleSpan(scale.scale);
  return estimate.comparisons
    .filter((c) => policies[c.i].units === policies[c.j].units)
    .map((c) => ({
      policy_a: table.policies[c.i],
      policy_b: table.policies[c.j],
      difference: c.difference * span,
      se: c.se * span,
      ci: [c.ci[0] * span, c.ci[1] * span] as [number, number],
      p_value: c.pValue,
      method: c.method,
      ...(c.df !== undefined ? { df: c.df } : {}),
      flagged: [...policies[c.i].flags.map((f) => `${table.policies[c.i]}:${f}`), ...policies[c.j].flags.map((f) => `${table.policies[c.j]}:${f}`)],
    }));
}

/** The `diagnostics.calibration` entry of a result, from the fitted calibrator and its label pool. */
export function calibrationDiagnostics(
  estimate: Pick<DirectEstimate, "calibrator">,
  source: PooledLabels | null,
  covariates: readonly string[],
): AnalysisResult["diagnostics"]["calibration"] {
  const cal = estimate.calibrator;
  if (cal === null || source === null) return null;
  const d = cal.diagnostics();
  return {
    requested_mode: cal.requestedMode,
    selected_mode: cal.selectedMode,
    n_folds: cal.nFolds,
    n_oracle: source.scores.length,
    n_labelled_clusters: new Set(source.promptIds).size,
    n_from_calibration_file: source.nFromFile,
    rmse: d.rmse,
    oof_rmse: d.oofRmse,
    coverage_at_0_1: d.coverage01,
    oof_coverage_at_0_1: d.oofCoverage01,
    covariates: [...covariates],
    ...(cal.selection !== undefined
      ? {
          selection: {
            rmse_monotone: cal.selection.rmseMonotone,
            rmse_two_stage: cal.selection.rmseTwoStage,
            se_rmse: cal.selection.seRmse,
            regions_two_stage_better: cal.selection.regionsTwoStageBetter,
          },
        }
      : {}),
  };
}

/** JSON form of a range-support card (labelled range in judge units). */
export function rangeSupportJson(r: RangeSupport, judgeScale: Scale): AnalysisResult["diagnostics"]["policies"][string]["range_support"] {
  return {
    status: r.status,
    out_of_range: r.outOfRange,
    out_below: r.outBelow,
    out_above: r.outAbove,
    saturation: r.saturation,
    labelled_range: [fromInternal(judgeScale, r.labelledRange[0]), fromInternal(judgeScale, r.labelledRange[1])],
  };
}

/** JSON form of a label-support result. */
export function labelSupportJson(l: LabelSupport): AnalysisResult["diagnostics"]["policies"][string]["label_support"] {
  return { sparse_mass: l.sparseMass, flagged: l.flagged, window: l.window, min_local_labels: l.minLocalLabels, threshold: l.threshold };
}

/** JSON form of a scale resolution. */
export function scaleJson(s: ScaleResolution): { min: number; max: number; origin: "declared" | "inferred" } {
  return { min: s.scale.min, max: s.scale.max, origin: s.origin };
}

function countLabelled(table: EvalTable, a: number, b: number): number {
  let n = 0;
  for (let r = a; r < b; r++) if (table.labelledIndex[r] >= 0) n++;
  return n;
}

/** `x`, or `null` when it is not finite (JSON has no NaN or Infinity). */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
