/**
 * The result shape shared by the off-policy estimators and their analytic inference: a
 * cluster-robust (CRV1) variance of the influence function, clustered by prompt, plus the OUA
 * delete-a-group jackknife variance of the calibrator, with Welch–Satterthwaite degrees of freedom
 * and a Student-t interval.
 *
 * Deviations from the reference (method-ope §7.6, §8.3–8.4), as in Direct mode: clusters are
 * prompts, not the five cross-fitting folds, and df = Satterthwaite(CRV1 with G − 1, jackknife with
 * K − 1) instead of min(G − 1, K − 1), which caps df at 4 and over-covers whenever sampling variance
 * dominates.
 */
import { analyticInterval } from "../numeric/analytic-interval.js";
import { clusterRobustVariance } from "../numeric/cluster-robust.js";
import type { TargetProblem } from "./off-policy-problem.js";

/** What one estimator returns for one target (internal units). */
export interface OffPolicyEstimate {
  readonly estimate: number;
  /** Influence value of each problem row; its mean is zero and Var(mean) estimates Var(estimate). */
  readonly influence: Float64Array;
  /** Leave-one-group-out estimates with the calibrator refitted without jackknife group g; null = no OUA. */
  readonly replicates: Float64Array | null;
  /** The weights the estimator applied (raw ratios for IPS, mean-one otherwise). */
  readonly weights: Float64Array;
  /** Doubly-robust decomposition: outcome-model (fresh-draw) mean, weighted residual correction, untargeted logged predictions. */
  readonly dr?: { readonly dm: number; readonly correction: number; readonly outcome: Float64Array };
}

/** Interval and variance components of an estimate. */
export interface OffPolicyInterval {
  readonly se: number;
  readonly ci: readonly [number, number];
  readonly df: number;
  readonly samplingVariance: number;
  readonly calibrationVariance: number;
  readonly nClusters: number;
}

/**
 * CRV1 + OUA inference for an estimate of `problem` at level 1 − alpha. `bounded` (default false): the
 * estimate is a mean of outcomes in [0, 1] (every estimator but Horvitz–Thompson IPS), so its interval
 * is formed on the logit scale of [0, 1] (numeric/analytic-interval.ts; an estimate outside keeps its
 * symmetric interval).
 */
export function offPolicyInterval(problem: TargetProblem, est: OffPolicyEstimate, alpha: number, bounded = false): OffPolicyInterval {
  const crv = clusterRobustVariance(est.influence, problem.clusters, problem.nClusterCodes);
  const interval = analyticInterval({
    estimate: est.estimate,
    samplingVariance: crv.variance,
    samplingDf: crv.df,
    jackknife: est.replicates,
    jackknifeDf: problem.jackknifeDf,
    alpha,
    ...(bounded ? { bounds: [0, 1] as const } : {}),
  });
  return { ...interval, nClusters: crv.nClusters };
}

/** Mean of `values`. */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/** Subtracts the mean in place. */
export function centre(values: Float64Array): Float64Array {
  const m = mean(values);
  for (let i = 0; i < values.length; i++) values[i] -= m;
  return values;
}

/** mean_i w_i·R^(−g)_i for every jackknife group g (the IPS-family jackknife replicates with weights held fixed). */
export function weightedReplicates(problem: TargetProblem, weights: Float64Array): Float64Array | null {
  if (problem.jackknifeRewards === null) return null;
  return Float64Array.from(problem.jackknifeRewards, (rk) => {
    let s = 0;
    for (let i = 0; i < rk.length; i++) s += weights[i] * rk[i];
    return s / rk.length;
  });
}
