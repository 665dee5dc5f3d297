/**
 * One-call off-policy analysis: logged data of the logging policy (judge scores, an oracle slice,
 * teacher-forced log-probs) plus optional fresh draws of the targets in, the JSON contract of
 * `cje analyze` out (`estimator` = the estimator's name).
 *
 * Steps: pool oracle labels (labelled fresh draws, a calibration file, labelled logged rows —
 * each labelled response once), read the label design from them, fit AutoCal-R, compute rewards
 * R = f(S) for every logged row (the labels themselves when every logged row is labelled), then per
 * target build the problem (weights, rewards, folds, fresh draws), run the estimator, and report
 * CRV1 + OUA intervals, diagnostics, flags, paired comparisons and the gate-aware best policy.
 *
 * Label design: when the labels were chosen with known inclusion probabilities π (labelled fresh
 * draws and labelled logged rows carry `oracle_inclusion_probability`), the calibrator is fitted
 * with design weights 1/π — its full model, its cross-fitted fold models and hence every OUA
 * jackknife replicate f^(−k) — so that f estimates E[Y | S] over all rows rather than over the
 * over-sampled ones. That is the only place the design enters: no estimator term averages over the
 * labelled rows alone (rewards, outcome models, SIMCal targets and DR residuals are f(S)-based and
 * averaged over every logged row or fresh draw; with every logged row labelled the rewards are the
 * labels of the whole sample), so there is no Horvitz–Thompson or Hájek correction to add, unlike
 * Direct mode's residual correction.
 */
import { AutoCalFitter, type CalibrationMode, type Calibrator } from "../calibration/autocal.js";
import { assignFolds, DEFAULT_FOLD_SEED, DEFAULT_N_FOLDS, MIN_LABELLED_CLUSTERS } from "../calibration/folds.js";
import { CalibrationPoints } from "../calibration/points.js";
import { CjeInputError } from "../errors/input-error.js";
import type { EvaluationData } from "../data/evaluation-data.js";
import { loggedLabelRows, targetRows, type LoggedData } from "../off-policy/logged.js";
import { fromInternal, sameScale, scaleSpan } from "../data/scales.js";
import type { ScaleResolution } from "../data/types.js";
import { bestPolicy, labelledClusterWarning, MIN_CLUSTERS_FOR_FULL_FOLDS, outsideParameterSpace, type PolicyFlag } from "../diagnostics/gates.js";
import { labelSupport, rangeSupport } from "../diagnostics/score-support.js";
import type { SurprisalNormalizer } from "../off-policy/typicality.js";
import { calibratedIpsFromWeights, stabiliseWeights } from "../off-policy/calibrated-ips.js";
import { estimateDrCpo } from "../off-policy/dr-cpo.js";
import { buildEvalTable, type EvalTable } from "../direct/eval-table.js";
import { hajekWeights } from "../off-policy/importance-weights.js";
import { estimateIps } from "../off-policy/ips.js";
import { estimateMrdr, type OmegaMode } from "../off-policy/mrdr.js";
import { offPolicyInterval, type OffPolicyEstimate, type OffPolicyInterval } from "../off-policy/off-policy-inference.js";
import { buildTargetProblem, type LoggedRewards, type TargetDraws, type TargetProblem } from "../off-policy/off-policy-problem.js";
import { checkLimit, seedSchema } from "../numeric/resource-limits.js";
import { estimateSnips } from "../off-policy/snips.js";
import { estimateStackedDr, STACK_COMPONENTS } from "../off-policy/stacked-dr.js";
import { estimateTmle, type TmleLink } from "../off-policy/tmle.js";
import { clusterRobustVariance } from "../numeric/cluster-robust.js";
import { studentTQuantile } from "../numeric/distributions.js";
import { calibrationDiagnostics, finiteOrNull, labelSupportJson, naiveJudgeMean, rangeSupportJson, scaleJson } from "./analyze.js";
import { labelDesignJson, pooledLabelDesign } from "./label-design.js";
import { poolOracleLabels, type LabelSource, type PooledLabels } from "./label-pool.js";
import { offPolicyDiagnostics } from "./off-policy-diagnostics.js";
import { offPolicyComparisons } from "./off-policy-comparisons.js";
import type { OffPolicyDiagnostics } from "./off-policy-schema.js";
import type { AnalysisResult, PolicyResult } from "./result-schema.js";
import { dict, dictCopy, own } from "../data/dictionary.js";

/** The off-policy estimators. */
export const OFF_POLICY_ESTIMATORS = ["ips", "snips", "calibrated-ips", "dr-cpo", "mrdr", "tmle", "stacked-dr"] as const;

/** Name of an off-policy estimator. */
export type OffPolicyEstimatorName = (typeof OFF_POLICY_ESTIMATORS)[number];

/** Doubly-robust estimators (they need fresh draws of every target). */
const DOUBLY_ROBUST: ReadonlySet<OffPolicyEstimatorName> = new Set(["dr-cpo", "mrdr", "tmle", "stacked-dr"]);

/**
 * Resolves an estimator name: one of {@link OFF_POLICY_ESTIMATORS}, `raw-ips` (alias of `snips`),
 * or `auto` (stacked-dr with fresh draws, calibrated-ips without).
 */
export function resolveOffPolicyEstimator(name: string, hasFreshDraws: boolean): OffPolicyEstimatorName {
  if (name === "auto") return hasFreshDraws ? "stacked-dr" : "calibrated-ips";
  if (name === "raw-ips") return "snips";
  if ((OFF_POLICY_ESTIMATORS as readonly string[]).includes(name)) return name as OffPolicyEstimatorName;
  throw new CjeInputError(`unknown off-policy estimator; choose one of ${OFF_POLICY_ESTIMATORS.join(", ")}, raw-ips or auto`, {
    field: "estimator",
    value: name,
  });
}

/** Options of {@link analyzeOffPolicy}. */
export interface OffPolicyOptions {
  /** Estimator name (see {@link resolveOffPolicyEstimator}); default `auto`. */
  readonly estimator?: string;
  /** Two-sided level 1 − alpha (default 0.05). */
  readonly alpha?: number;
  /** Calibration mode (default `auto`). */
  readonly calibrationMode?: CalibrationMode;
  /** Requested folds (default 5). */
  readonly nFolds?: number;
  /** Fold seed (default 42). */
  readonly foldSeed?: number;
  /** TTC surprisal normaliser used by the gate (default `total`; see `diagnostics/typicality.ts`). */
  readonly ttcNormalizer?: SurprisalNormalizer;
  /** SNIPS weight clip (default none). */
  readonly clipWeight?: number;
  /** TMLE link (default `logit`). */
  readonly tmleLink?: TmleLink;
  /** MRDR outcome-regression weights (default `w`). */
  readonly omegaMode?: OmegaMode;
  /**
   * SIMCal-W mixture rule (default `mse`, bias-aware; `variance` = the reference's variance-only
   * rule, which can return the logger's value when the weights matter — for comparisons only).
   */
  readonly simcalSelection?: "mse" | "variance";
}

interface TargetOutcome {
  readonly problem: TargetProblem;
  readonly estimate: OffPolicyEstimate;
  readonly interval: OffPolicyInterval;
  readonly diagnostics: OffPolicyDiagnostics;
  readonly weightFlags: PolicyFlag[];
}

/**
 * Runs the off-policy analysis of `logged` (with the targets' fresh draws in `fresh`, if any). Synchronous, with no
 * asynchronous variant: it runs no bootstrap (its intervals are analytic, the calibrator's uncertainty entering by the
 * OUA jackknife), so there are no replicates to move to workers.
 */
export function analyzeOffPolicy(logged: LoggedData, fresh: EvaluationData | null, options: OffPolicyOptions = {}): AnalysisResult {
  if (options.foldSeed !== undefined) checkLimit(seedSchema, "foldSeed", options.foldSeed);
  const estimator = resolveOffPolicyEstimator(options.estimator ?? "auto", fresh !== null);
  const alpha = options.alpha ?? 0.05;
  const warnings = [...(fresh?.warnings ?? []), ...logged.warnings];
  checkScales(logged, fresh);
  const table = fresh === null ? null : buildEvalTable(fresh.draws, fresh.policies);
  const sources: LabelSource[] = [
    { label: "calibration-file", rows: fresh?.calibration ?? [] },
    // The logged rows' labels were chosen by the same design as the fresh draws' (see label-design.ts).
    { label: "logged", rows: loggedLabelRows(logged), design: true },
  ];
  const pool = poolOracleLabels(table, sources, [], warnings);
  const labelDesign = pooledLabelDesign(pool, sources, fresh === null || table === null ? null : { draws: fresh.draws, table });
  const labelledClusters = pool === null ? 0 : new Set(pool.promptIds).size;
  const clusterWarning = labelledClusterWarning(labelledClusters);
  if (clusterWarning !== null) warnings.push(clusterWarning);
  const calibrator =
    pool !== null && labelledClusters >= MIN_LABELLED_CLUSTERS
      ? new AutoCalFitter(
          { scores: pool.scores, labels: pool.labels, clusterIds: pool.promptIds, ...(labelDesign.weights === null ? {} : { weights: labelDesign.weights }) },
          { mode: options.calibrationMode ?? "auto", nFolds: options.nFolds ?? DEFAULT_N_FOLDS, seed: options.foldSeed ?? DEFAULT_FOLD_SEED },
        ).fit(null)
      : null;
  if (calibrator?.degenerate)
    warnings.push("The monotone calibrator collapsed to a constant although oracle labels vary: check that higher judge scores mean better responses.");
  const shared = loggedRewards(logged, calibrator, pool, options);
  const allLabelled = logged.oracleLabels.every((y) => !Number.isNaN(y));
  if (calibrator === null && !allLabelled) warnings.push("Rewards are raw judge scores (no calibrator): estimates are UNCALIBRATED.");
  if (DOUBLY_ROBUST.has(estimator) && fresh === null) {
    throw new CjeInputError(`${estimator} needs fresh draws of every target (the outcome-model term); use ips, snips or calibrated-ips without them`, {
      field: "estimator",
      value: estimator,
    });
  }
  const sortedLabelled = pool === null ? new Float64Array(0) : Float64Array.from(pool.scores).sort();
  // Equal scales (checked above); the fresh draws' resolution says whether it was declared or inferred.
  const oracleScale = fresh?.oracleScale ?? logged.oracleScale;
  const judgeScale = fresh?.judgeScale ?? logged.judgeScale;
  const policies: PolicyResult[] = [];
  const diagnostics: AnalysisResult["diagnostics"]["policies"] = dict();
  const outcomes: TargetOutcome[] = [];
  for (const target of logged.targets) {
    const draws = table === null ? null : targetDraws(table, target);
    if (draws !== null && DOUBLY_ROBUST.has(estimator)) {
      const loggedPrompts = new Set(logged.promptIds);
      const unused = draws.promptIds.filter((id) => !loggedPrompts.has(id)).length;
      if (unused > 0) warnings.push(`${unused} fresh draw(s) of '${target}' answer prompts absent from the logged data; the DR term does not use them.`);
    }
    const problem = buildTargetProblem(logged, target, targetRows(logged, target), shared, draws);
    const outcome = runTarget(problem, estimator, alpha, options, calibrator !== null, logged, draws);
    outcomes.push(outcome);
    const uncalibrated = calibrator === null && !allLabelled;
    const flags: PolicyFlag[] = [];
    if (uncalibrated) flags.push("UNCALIBRATED");
    const supportScores = DOUBLY_ROBUST.has(estimator) && draws !== null ? draws.scores : problem.scores;
    const range =
      calibrator === null ? null : rangeSupport(supportScores, calibrator.predictScores(supportScores), calibrator.labelledScoreRange, calibrator.rewardRange);
    const label = calibrator === null ? null : labelSupport(supportScores, sortedLabelled);
    if (calibrator !== null && !allLabelled) {
      if (range?.status === "REFUSE-LEVEL") flags.push("REFUSE-LEVEL");
      if (label?.flagged) flags.push("LOW-LABEL-SUPPORT");
      if (calibrator.degenerate) flags.push("DEGENERATE-CALIBRATOR");
      if (labelledClusters < MIN_CLUSTERS_FOR_FULL_FOLDS) flags.push("FEW-LABELLED-CLUSTERS");
    }
    flags.push(...outcome.weightFlags);
    if (outcome.interval.nClusters < 2) flags.push("INFERENCE-UNAVAILABLE");
    // Importance weighting can leave the parameter space (Horvitz–Thompson on ratios off their footing:
    // 15.9 on a 0–1 scale for parallel_universe_prompt on the Arena sample); such a value is never named best.
    if (outsideParameterSpace(outcome.estimate.estimate)) flags.push("OUTSIDE-PARAMETER-SPACE");
    const units = uncalibrated || oracleScale === null ? "judge" : "oracle";
    const scale = units === "judge" ? judgeScale : (oracleScale as ScaleResolution);
    const level = (u: number) => finiteOrNull(fromInternal(scale.scale, u));
    const spread = (u: number) => finiteOrNull(u * scaleSpan(scale.scale));
    const { estimate, interval } = outcome;
    policies.push({
      policy: target,
      estimate: level(estimate.estimate),
      se: spread(interval.se),
      ci: [level(interval.ci[0]), level(interval.ci[1])],
      n: problem.rows.length,
      n_oracle: countLabelled(logged, problem.rows),
      flags,
      route: DOUBLY_ROBUST.has(estimator) ? "doubly_robust" : "importance_weighted",
      units,
      df: interval.df,
    });
    const tableIndex = table === null ? -1 : table.policies.indexOf(target);
    diagnostics[target] = {
      plug_in: estimate.dr === undefined ? null : level(estimate.dr.dm),
      residual_correction: estimate.dr === undefined ? null : spread(estimate.dr.correction),
      naive: tableIndex >= 0 ? naiveJudgeMean(table as EvalTable, tableIndex, judgeScale.scale, alpha) : weightedNaive(problem, judgeScale, alpha),
      n_clusters: interval.nClusters,
      range_support: range === null ? null : rangeSupportJson(range, judgeScale.scale),
      label_support: label === null ? null : labelSupportJson(label),
      variance_components: {
        sampling: finiteOrNull(interval.samplingVariance * scaleSpan(scale.scale) ** 2),
        calibration: interval.calibrationVariance * scaleSpan(scale.scale) ** 2,
      },
      off_policy: outcome.diagnostics,
    };
  }
  const verdict = bestPolicy(policies.map((r) => ({ policy: r.policy, estimate: r.estimate ?? Number.NaN, flags: r.flags })));
  return {
    schema_version: "cje-ts.analysis/v1",
    estimator,
    policies,
    comparisons: offPolicyComparisons(outcomes, policies, alpha, policies[0]?.units === "judge" ? judgeScale : (oracleScale ?? judgeScale)),
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
      calibration: calibrationDiagnostics({ calibrator }, calibrator === null ? null : pool, []),
      inference: { method: "analytic", alpha },
      scales: { judge: scaleJson(judgeScale), oracle: oracleScale === null ? null : scaleJson(oracleScale) },
      policies: diagnostics,
      dropped: mergeDropped(logged, fresh),
      warnings,
      label_design: labelDesignJson(labelDesign),
    },
  };
}

function runTarget(
  problem: TargetProblem,
  estimator: OffPolicyEstimatorName,
  alpha: number,
  options: OffPolicyOptions,
  calibrated: boolean,
  logged: LoggedData,
  draws: TargetDraws | null,
): TargetOutcome {
  let estimate: OffPolicyEstimate;
  let stacking: OffPolicyDiagnostics["stacking"] = null;
  let tmle: OffPolicyDiagnostics["tmle"] = null;
  if (estimator === "ips") estimate = estimateIps(problem);
  else if (estimator === "snips") estimate = estimateSnips(problem, options.clipWeight !== undefined ? { clipWeight: options.clipWeight } : {});
  else {
    const stabilised = stabiliseWeights(problem, options.simcalSelection === undefined ? {} : { selection: options.simcalSelection });
    const w = stabilised.weights;
    if (estimator === "calibrated-ips") estimate = calibratedIpsFromWeights(problem, stabilised);
    else if (estimator === "dr-cpo") estimate = estimateDrCpo(problem, w, calibrated);
    else if (estimator === "mrdr") estimate = estimateMrdr(problem, w, options.omegaMode ?? "w");
    else if (estimator === "tmle") {
      const t = estimateTmle(problem, w, options.tmleLink ?? "logit");
      tmle = { epsilon: t.fluctuation.epsilon, converged: t.fluctuation.converged, iterations: t.fluctuation.iterations };
      estimate = t;
    } else {
      const s = estimateStackedDr(problem, w, calibrated);
      stacking = {
        weights: Object.fromEntries(STACK_COMPONENTS.map((c, k) => [c, s.stackWeights[k]])),
        estimates: Object.fromEntries(STACK_COMPONENTS.map((c, k) => [c, s.components[k].estimate])),
      };
      estimate = s;
    }
  }
  const interval = offPolicyInterval(problem, estimate, alpha, estimator !== "ips");
  const d = offPolicyDiagnostics(problem, estimate, {
    logged,
    freshScores: draws?.scores ?? null,
    stabilised: estimator !== "ips" && estimator !== "snips",
    doublyRobust: DOUBLY_ROBUST.has(estimator),
    normalizer: options.ttcNormalizer ?? "total",
    stacking,
    tmle,
  });
  return { problem, estimate, interval, diagnostics: d.json, weightFlags: d.flags };
}

/**
 * Rewards for every logged row. With a calibrator: R = f(S) (or the label when every logged row is
 * labelled, in which case the rewards do not come from the calibrator and there is no OUA term),
 * f^(−fold)(S) for influence functions and SIMCal, and f^(−k)(S) for the jackknife. Without: R = S
 * (or the label), no jackknife. Folds: the calibrator's (balanced over its labelled prompts), else
 * balanced over the logged prompts.
 */
function loggedRewards(logged: LoggedData, calibrator: Calibrator | null, pool: PooledLabels | null, options: OffPolicyOptions): LoggedRewards {
  const seed = options.foldSeed ?? DEFAULT_FOLD_SEED;
  const nFolds = calibrator?.nFolds ?? options.nFolds ?? DEFAULT_N_FOLDS;
  const folds =
    calibrator !== null && pool !== null ? assignFolds(logged.promptIds, nFolds, seed, pool.promptIds) : assignFolds(logged.promptIds, nFolds, seed);
  const codes = new Map<string, number>();
  const clusters = Int32Array.from(logged.promptIds, (id) => {
    let c = codes.get(id);
    if (c === undefined) codes.set(id, (c = codes.size));
    return c;
  });
  const allLabelled = logged.oracleLabels.every((y) => !Number.isNaN(y));
  const labels = logged.oracleLabels;
  const scores = logged.judgeScores;
  const common = { calibrator, folds, nFolds, clusters, nClusterCodes: codes.size, jackknifeDf: 0 };
  if (calibrator === null) {
    const rewards = Float64Array.from(allLabelled ? labels : scores);
    return {
      ...common,
      rewards,
      oofRewards: rewards,
      oofCalibrated: Float64Array.from(scores),
      weightTarget: rewards,
      jackknifeRewards: null,
      index: Float64Array.from(scores),
    };
  }
  const points = CalibrationPoints.of(scores);
  const full = points.expand(calibrator.predict(points));
  const perFold = Array.from({ length: nFolds }, (_, k) => points.expand(calibrator.predictFold(k, points)));
  const oof = Float64Array.from(folds, (k, i) => perFold[k][i]);
  const index = calibrator.selectedMode === "monotone" ? Float64Array.from(scores) : full;
  if (allLabelled) {
    const rewards = Float64Array.from(labels);
    return { ...common, rewards, oofRewards: rewards, oofCalibrated: oof, weightTarget: oof, jackknifeRewards: null, index };
  }
  const jackknifeRewards = calibrator.jackknife().map((c) => points.expand(c.predict(points)));
  return { ...common, rewards: full, oofRewards: oof, oofCalibrated: oof, weightTarget: oof, jackknifeRewards, jackknifeDf: calibrator.jackknifeDf, index };
}

function targetDraws(table: EvalTable, target: string): TargetDraws | null {
  const p = table.policies.indexOf(target);
  if (p < 0) return null;
  const a = table.policyStart[p];
  const b = table.policyStart[p + 1];
  const promptIds: string[] = [];
  for (let r = a; r < b; r++) promptIds.push(table.clusterIds[table.cluster[r]]);
  return { promptIds, scores: table.scores.slice(a, b) };
}

function checkScales(logged: LoggedData, fresh: EvaluationData | null): void {
  if (fresh === null) return;
  const pairs: [string, ScaleResolution | null, ScaleResolution | null][] = [
    ["judge", logged.judgeScale, fresh.judgeScale],
    ["oracle", logged.oracleScale, fresh.oracleScale],
  ];
  for (const [what, a, b] of pairs) {
    if (a !== null && b !== null && !sameScale(a.scale, b.scale)) {
      throw new CjeInputError(
        `logged data read the ${what} scale as ${a.scale.min}–${a.scale.max} but the fresh draws as ${b.scale.min}–${b.scale.max}; declare the scale so both are read alike`,
        { file: logged.file },
      );
    }
  }
}

/** Importance-weighted (SNIPS) raw judge mean with a cluster-robust interval: the naive logs-only number. */
function weightedNaive(problem: TargetProblem, judgeScale: ScaleResolution, alpha: number): { estimate: number; ci: [number | null, number | null] } {
  const w = hajekWeights(problem.logRatio);
  let mean = 0;
  for (let i = 0; i < w.length; i++) mean += w[i] * problem.scores[i];
  mean /= w.length;
  const phi = Float64Array.from(w, (wi, i) => wi * (problem.scores[i] - mean));
  const crv = clusterRobustVariance(phi, problem.clusters, problem.nClusterCodes);
  const half = crv.nClusters >= 2 ? studentTQuantile(1 - alpha / 2, crv.nClusters - 1) * Math.sqrt(crv.variance) : Number.NaN;
  return {
    estimate: fromInternal(judgeScale.scale, mean),
    ci: [finiteOrNull(fromInternal(judgeScale.scale, mean - half)), finiteOrNull(fromInternal(judgeScale.scale, mean + half))],
  };
}

function countLabelled(logged: LoggedData, rows: Int32Array): number {
  let n = 0;
  for (const r of rows) if (!Number.isNaN(logged.oracleLabels[r])) n++;
  return n;
}

function mergeDropped(logged: LoggedData, fresh: EvaluationData | null): AnalysisResult["diagnostics"]["dropped"] {
  const byPolicy: Record<string, number> = dictCopy(fresh?.dropped.byPolicy);
  for (const [k, v] of Object.entries(logged.dropped.byPolicy)) byPolicy[k] = (own(byPolicy, k) ?? 0) + v;
  const rows = [...(fresh?.dropped.rows ?? []), ...logged.dropped.rows].map((r) => ({
    file: r.file,
    line: r.line,
    ...(r.field !== undefined ? { field: r.field } : {}),
    reason: r.reason,
  }));
  return { total: (fresh?.dropped.total ?? 0) + logged.dropped.total, by_policy: byPolicy, rows };
}
