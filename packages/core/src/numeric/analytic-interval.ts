/**
 * The analytic interval every estimator reports: a cluster-robust (CRV1) sampling variance plus the
 * OUA delete-a-group jackknife variance of the calibrator, Welch–Satterthwaite degrees of freedom,
 * and a Student-t interval. One implementation for the Direct and the off-policy estimators and
 * their paired comparisons.
 */
import { studentTQuantile } from "./distributions.js";
import { foldJackknifeVariance, satterthwaiteDegreesOfFreedom } from "./jackknife.js";

/** Inputs of {@link analyticInterval}. */
export interface AnalyticIntervalInputs {
  readonly estimate: number;
  /** CRV1 variance of the estimate (NaN when unavailable). */
  readonly samplingVariance: number;
  /** Degrees of freedom of the sampling variance (`ClusterRobustVariance.df`). */
  readonly samplingDf: number;
  /** Leave-one-group-out estimates of the calibrator's jackknife, or null when it does not apply. */
  readonly jackknife: ArrayLike<number> | null;
  /** Degrees of freedom of the jackknife variance (the calibrator's `jackknifeDf`; default J − 1). */
  readonly jackknifeDf?: number;
  readonly alpha: number;
  /** Parameter space to clip the interval to (e.g. [0, 1] for a mean of bounded outcomes). */
  readonly bounds?: readonly [number, number];
}

/** An analytic interval and its variance components. */
export interface AnalyticInterval {
  readonly se: number;
  readonly ci: readonly [number, number];
  readonly df: number;
  readonly samplingVariance: number;
  readonly calibrationVariance: number;
}

/** Computes the interval (see the module comment). */
export function analyticInterval(inputs: AnalyticIntervalInputs): AnalyticInterval {
  const groups = inputs.jackknife === null ? 0 : inputs.jackknife.length;
  const calibrationVariance = inputs.jackknife === null || groups < 2 ? 0 : foldJackknifeVariance(inputs.jackknife);
  const se = Math.sqrt(inputs.samplingVariance + calibrationVariance);
  const calibrationDf = groups < 2 ? 0 : (inputs.jackknifeDf ?? groups - 1);
  const df = satterthwaiteDegreesOfFreedom(inputs.samplingVariance, inputs.samplingDf, calibrationVariance, calibrationDf);
  const half = studentTQuantile(1 - inputs.alpha / 2, df) * se;
  let lo = inputs.estimate - half;
  let hi = inputs.estimate + half;
  if (inputs.bounds !== undefined) {
    lo = Math.max(inputs.bounds[0], lo);
    hi = Math.min(inputs.bounds[1], hi);
  }
  return { se, ci: [lo, hi], df, samplingVariance: inputs.samplingVariance, calibrationVariance };
}
