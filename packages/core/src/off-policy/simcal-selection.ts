/**
 * Bias-aware SIMCal-W selection (a deliberate deviation from method-ope §6.4 step 7, issue 14).
 *
 * The reference mixes the increasing and decreasing isotonic projections of the weights to
 * minimise the out-of-fold influence-function variance alone. The flattest candidate always has
 * the smallest variance, so when the weights rise with the ordering index the variance criterion
 * picks the (flat) decreasing projection and calibrated IPS returns the logger's value: in the
 * synthetic off-policy world 0.36 instead of 0.47.
 *
 * Here the mixture π over [baseline (the raw Hájek weights), increasing, decreasing] minimises an
 * estimate of the mean squared error of the resulting Hájek estimate, cap included:
 *
 *   MSE(π) = max(d(π)² − Var d(π), 0) + Var ψ(π),
 *
 * computed with candidates cross-fitted over the inner folds (each fold's isotonic maps are fitted
 * without it, as the outer fold's weights are), where
 * - ψ_f(π) = mean_f(w_π·t) with w_π = γ(π) + (1 − γ(π))·Σ_k π_k c_k, the candidates made mean-one
 *   on fold f, and γ(π) the variance-cap shrinkage of the in-sample mixture — exactly what
 *   `predict` applies;
 * - d(π) = Σ_f n_f (ψ_f(π) − ψ_f^base)/n, the estimate's difference from SNIPS on the same rows:
 *   SNIPS is consistent whatever the shape of E[w | index], so d estimates the projection's bias;
 * - Var ψ and Var d are sums of squared ratio-IF values, w(t − ψ_f) and its difference from the
 *   baseline's, over n².
 *
 * The squared bias is estimated without bias: d² over-states it by Var d on average, so max(d² −
 * Var d, 0) is charged (as in Stein's unbiased risk estimate). The plug-in d², which an earlier
 * version used, charges a candidate for the noise of SNIPS: with heavy-tailed weights it pulled the
 * mixture toward the raw weights. Measured (holdout-like resampling of the Arena sample: label
 * subsets of 5% and 25% at n 500 and 1000, 100 each; truth = Direct mode's estimate with every
 * label), calibrated IPS of `parallel_universe_prompt` at 1000 × 25% averaged 0.752 with the plug-in
 * d² (Direct: 0.765), 0.766 with the debiased one and 0.767 with the variance-only rule; RMSE over
 * clone and parallel_universe_prompt and the four cells: 0.036, 0.034 and 0.033. In the synthetic
 * world where the weights matter (bench/simcal-selection.mc.ts) both MSE criteria give the same
 * RMSE, 0.067, where the variance-only rule gives 0.121: a candidate whose bias SNIPS is precise
 * enough to see is still charged for it.
 * Every term is a polynomial in (γ, (1 − γ)π), so the criterion is evaluated from moments summed
 * over the folds (simcal-mse-criterion.ts) on a 1/100 grid of the simplex (5,151 points, O(1) each).
 */
import { IsotonicFitter, isotonicOrder, subsetOrder } from "../calibration/isotonic.js";
import { gatherRows, rowsWith, rowsWithout } from "../numeric/rows.js";
import { type FoldBasis, mseEvaluator, NO_BOUND, type SimcalMseTerms } from "./simcal-mse-criterion.js";

/** Result of {@link selectSimcalMixtureByMse}. */
export interface SimcalMseSelection {
  /** Mixture over [baseline, increasing, decreasing]. */
  readonly mixture: Float64Array;
  /** Variance-cap shrinkage of the chosen mixture on the training rows. */
  readonly gamma: number;
  /** Criterion terms at the chosen mixture. */
  readonly terms: SimcalMseTerms;
  /** Evaluates the criterion at any mixture (for tests and diagnostics). */
  criterion(pi: ArrayLike<number>): SimcalMseTerms;
}

/** Inputs of {@link selectSimcalMixtureByMse}. */
export interface SimcalMseInputs {
  /** Mean-one raw weights of the training rows. */
  readonly base: Float64Array;
  /** Ordering index. */
  readonly s: ArrayLike<number>;
  /** IF target (rewards). */
  readonly t: ArrayLike<number>;
  /** Inner fold ids. */
  readonly folds: ArrayLike<number>;
  /** In-sample candidates [baseline, increasing, decreasing] (floored, mean-one): γ(π) is computed on them. */
  readonly candidates: readonly Float64Array[];
  readonly epsilon: number;
  /** γ(π) from the in-sample mixture's population variance. */
  readonly shrinkage: (variance: number) => number;
  /** Grid resolution of the simplex (default 100). */
  readonly gridSteps?: number;
  /** The rows' ascending (s, base) order (`isotonicOrder`), when the caller has it; sorted here otherwise. */
  readonly order?: Int32Array;
}

/** Mixture components: baseline, increasing, decreasing. */
const K = 3;

/** Chooses the SIMCal-W mixture that minimises the estimated MSE (see the module comment). */
export function selectSimcalMixtureByMse(inputs: SimcalMseInputs): SimcalMseSelection {
  const { base, s, t, folds, candidates, epsilon } = inputs;
  const n = base.length;
  const order = inputs.order ?? isotonicOrder(s, base);
  const bases: FoldBasis[] = [...new Set(Array.from(folds))]
    .sort((a, b) => a - b)
    .map((f) => {
      const test = rowsWith(folds, f);
      return { basis: crossFittedBasis(base, s, test, rowsWithout(folds, f), epsilon, order), t: gatherRows(t, test) };
    });
  // Population covariance of the in-sample candidates: Var(Σ π_k c_k) = πᵀCπ (each has mean one).
  const cov = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += (candidates[a][i] - 1) * (candidates[b][i] - 1);
      cov[a * K + b] = cov[b * K + a] = acc / n;
    }
  }
  const evaluate = mseEvaluator(bases, n, cov, inputs.shrinkage);
  const criterion = (pi: ArrayLike<number>): SimcalMseTerms => {
    const out = new Float64Array(5);
    evaluate(pi[0], pi[1], pi[2], out, NO_BOUND);
    return { bias: out[0], biasVariance: out[1], variance: out[2], mse: out[3] };
  };
  // The 1/steps grid of the simplex; nothing is allocated per point.
  const steps = inputs.gridSteps ?? 100;
  const fraction = Float64Array.from({ length: steps + 1 }, (_, k) => k / steps);
  const at = new Float64Array(5);
  const best = new Float64Array(5);
  const bestPi = new Float64Array(K);
  let found = false;
  for (let a = 0; a <= steps; a++) {
    for (let b = 0; a + b <= steps; b++) {
      const pi0 = fraction[a];
      const pi1 = fraction[b];
      const pi2 = fraction[steps - a - b];
      // Ties (to 1e-12 relative) keep the earlier point: less baseline, then less increasing. A point
      // whose lower bound already reaches the best mse is not evaluated further.
      if (evaluate(pi0, pi1, pi2, at, found ? best[3] : NO_BOUND) && (!found || at[3] < best[3] * (1 - 1e-12))) {
        found = true;
        best.set(at);
        bestPi[0] = pi0;
        bestPi[1] = pi1;
        bestPi[2] = pi2;
      }
    }
  }
  return {
    mixture: bestPi,
    gamma: best[4],
    terms: { bias: best[0], biasVariance: best[1], variance: best[2], mse: best[3] },
    criterion,
  };
}

/**
 * The basis (1, baseline, increasing, decreasing) on the `test` rows: candidates are fitted on the
 * `train` rows (isotonic projections of the weights on the index, both directions from one sort),
 * floored at ε and made mean-one over the test rows, as `predict` does; the baseline is the test
 * rows' weights made mean-one.
 */
function crossFittedBasis(base: Float64Array, s: ArrayLike<number>, test: Int32Array, train: Int32Array, epsilon: number, order: Int32Array): Float64Array[] {
  const one = new Float64Array(test.length).fill(1);
  const baseline = meanOneCopy(gatherRows(base, test));
  if (train.length < 2) return [one, baseline, Float64Array.from(baseline), Float64Array.from(baseline)];
  const fitter = new IsotonicFitter(gatherRows(s, train), gatherRows(base, train), { yMin: -Infinity, yMax: Infinity, order: subsetOrder(order, train) });
  const sTest = gatherRows(s, test);
  const project = (increasing: boolean): Float64Array => {
    const p = fitter.fit(null, increasing).predict(sTest);
    for (let r = 0; r < p.length; r++) if (p[r] < epsilon) p[r] = epsilon;
    return meanOneCopy(p);
  };
  return [one, baseline, project(true), project(false)];
}

function meanOneCopy(values: Float64Array): Float64Array {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  if (mean > 0) for (let i = 0; i < values.length; i++) values[i] /= mean;
  return values;
}
