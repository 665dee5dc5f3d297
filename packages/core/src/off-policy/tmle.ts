/**
 * TMLE (method-ope §7.3): the cross-fitted isotonic outcome model, targeted by a one-parameter
 * fluctuation along the clever covariate h(S) = E[w | S] (per fold, interpolated between the
 * fold's distinct logged scores and clamped outside them), with the same ε applied to the logged
 * rows and to the fresh draws (shifting only the logged side would cancel the correction).
 */
import { CjeInputError } from "../errors/input-error.js";
import { drEstimate, requireFresh } from "./dr-shared.js";
import type { OffPolicyEstimate } from "./off-policy-inference.js";
import type { TargetProblem } from "./off-policy-problem.js";
import { IsotonicOutcomeFitter } from "./outcome-model.js";

/** Fluctuation link. */
export type TmleLink = "logit" | "identity";

/** Result of a fluctuation fit. */
export interface Fluctuation {
  readonly epsilon: number;
  readonly converged: boolean;
  /** Newton loop passes, the converging score evaluation included (the reference's count). */
  readonly iterations: number;
}

const CLIP = 1e-7;

/**
 * Logistic fluctuation: Newton's method on ε for the score Σ h(R − expit(logit ĝ⁰ + εh)) from ε = 0,
 * steps capped at ±5, stopping when |score|/√information ≤ tol (ĝ⁰ clipped to [1e−7, 1 − 1e−7]).
 */
export function solveLogisticFluctuation(g0: ArrayLike<number>, R: ArrayLike<number>, h: ArrayLike<number>, tol = 1e-8, maxIter = 50): Fluctuation {
  const n = g0.length;
  const eta = Float64Array.from({ length: n }, (_, i) => logit(g0[i]));
  let sumAbsH = 0;
  for (let i = 0; i < n; i++) sumAbsH += Math.abs(h[i]);
  if (sumAbsH === 0) return { epsilon: 0, converged: true, iterations: 0 };
  let epsilon = 0;
  for (let iter = 0; iter < maxIter; iter++) {
    let score = 0;
    let info = 0;
    for (let i = 0; i < n; i++) {
      const mu = expit(eta[i] + epsilon * h[i]);
      score += h[i] * (R[i] - mu);
      info += h[i] * h[i] * mu * (1 - mu);
    }
    if (!(info > 1e-12)) return { epsilon, converged: Math.abs(score) <= tol, iterations: iter + 1 };
    if (Math.abs(score) / Math.sqrt(info) <= tol) return { epsilon, converged: true, iterations: iter + 1 };
    epsilon += Math.max(-5, Math.min(5, score / info));
  }
  return { epsilon, converged: false, iterations: maxIter };
}

/** Identity-link fluctuation ε = Σ h(R − ĝ⁰) / Σ h² (0 when Σ h² ≤ 1e−12). */
export function solveIdentityFluctuation(g0: ArrayLike<number>, R: ArrayLike<number>, h: ArrayLike<number>): Fluctuation {
  let num = 0;
  let den = 0;
  for (let i = 0; i < g0.length; i++) {
    num += h[i] * (R[i] - g0[i]);
    den += h[i] * h[i];
  }
  return { epsilon: den > 1e-12 ? num / den : 0, converged: true, iterations: 1 };
}

/**
 * TMLE estimate and its fluctuation; the OUA replicates use the untargeted outcome predictions.
 * `outcome` may be the problem's outcome fitter shared with other estimators.
 */
export function estimateTmle(
  problem: TargetProblem,
  weights: Float64Array,
  link: TmleLink = "logit",
  outcome: IsotonicOutcomeFitter = new IsotonicOutcomeFitter(problem),
): OffPolicyEstimate & { fluctuation: Fluctuation } {
  const initial = outcome.predict();
  const { h, hDraws } = cleverCovariate(problem, weights);
  const fluctuation =
    link === "logit" ? solveLogisticFluctuation(initial.logged, problem.rewards, h) : solveIdentityFluctuation(initial.logged, problem.rewards, h);
  const eps = fluctuation.epsilon;
  const shift = (g: number, hv: number) => (link === "logit" ? expit(logit(g) + eps * hv) : Math.min(1, Math.max(0, g + eps * hv)));
  const logged = new Float64Array(initial.logged.length);
  for (let i = 0; i < logged.length; i++) logged[i] = shift(initial.logged[i], h[i]);
  const draws = new Float64Array(initial.draws.length);
  for (let d = 0; d < draws.length; d++) draws[d] = shift(initial.draws[d], hDraws[d]);
  return { ...drEstimate(problem, weights, { logged, draws }, initial.logged), fluctuation };
}

/**
 * h at every logged row and draw: per fold, the mean weight at each distinct logged score of the
 * fold, linearly interpolated (clamped) at the row's or draw's score, using the row's fold.
 */
export function cleverCovariate(problem: TargetProblem, weights: Float64Array): { h: Float64Array; hDraws: Float64Array } {
  const fresh = requireFresh(problem);
  const { folds, nFolds, scores } = problem;
  const n = scores.length;
  const h = new Float64Array(n);
  const hDraws = new Float64Array(fresh.scores.length);
  for (let k = 0; k < nFolds; k++) {
    const sums = new Map<number, { w: number; c: number }>();
    for (let i = 0; i < n; i++) {
      if (folds[i] !== k) continue;
      const e = sums.get(scores[i]);
      if (e === undefined) sums.set(scores[i], { w: weights[i], c: 1 });
      else {
        e.w += weights[i];
        e.c++;
      }
    }
    if (sums.size === 0) continue;
    const xs = Float64Array.from([...sums.keys()].sort((a, b) => a - b));
    const ys = Float64Array.from(xs, (x) => {
      const e = sums.get(x) as { w: number; c: number };
      return e.w / e.c;
    });
    for (let i = 0; i < n; i++) {
      if (folds[i] !== k) continue;
      h[i] = interp(scores[i], xs, ys);
      for (let d = fresh.drawStart[i]; d < fresh.drawStart[i + 1]; d++) hDraws[d] = interp(fresh.scores[d], xs, ys);
    }
  }
  if (h.some((v) => !Number.isFinite(v))) throw new CjeInputError(`TMLE: non-finite clever covariate for '${problem.target}'`);
  return { h, hDraws };
}

/** numpy `interp`: linear between knots, clamped to the end values. */
function interp(x: number, xs: Float64Array, ys: Float64Array): number {
  const last = xs.length - 1;
  if (x <= xs[0]) return ys[0];
  if (x >= xs[last]) return ys[last];
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  return ys[lo] + ((ys[hi] - ys[lo]) * (x - xs[lo])) / (xs[hi] - xs[lo]);
}

function logit(p: number): number {
  const q = Math.min(1 - CLIP, Math.max(CLIP, p));
  return Math.log(q / (1 - q));
}

function expit(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
