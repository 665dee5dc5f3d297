/**
 * MRDR (method-ope §7.4): the DR functional with a policy-specific outcome model, an isotonic
 * regression weighted by ω — |w| (`w`, default), w² (`w2`) or (w − 1)² (`snips`) — so that the
 * outcome model is accurate where the weighted residual has the most leverage.
 *
 * Deviations from the reference (§13 B5): folds are the shared prompt folds, not sklearn KFold
 * rows, and the default ω is `w` everywhere (the reference registry defaults to `snips`, which its
 * own documentation calls empirically problematic, while stacking uses `w`).
 */
import { drEstimate } from "./dr-shared.js";
import type { OffPolicyEstimate } from "./off-policy-inference.js";
import type { TargetProblem } from "./off-policy-problem.js";
import { IsotonicOutcomeFitter } from "./outcome-model.js";

/** Weighting of the MRDR outcome regression. */
export type OmegaMode = "w" | "w2" | "snips";

/** Smallest ω (keeps every row in the regression). */
const MIN_OMEGA = 1e-8;

/**
 * MRDR estimate with the given (mean-one) weights. `outcome` may be the problem's outcome fitter
 * shared with other estimators.
 */
export function estimateMrdr(
  problem: TargetProblem,
  weights: Float64Array,
  omegaMode: OmegaMode = "w",
  outcome: IsotonicOutcomeFitter = new IsotonicOutcomeFitter(problem),
): OffPolicyEstimate {
  const omega = new Float64Array(weights.length);
  for (let i = 0; i < omega.length; i++) {
    const w = weights[i];
    const o = omegaMode === "w" ? Math.abs(w) : omegaMode === "w2" ? w * w : (w - 1) ** 2;
    omega[i] = Math.max(o, MIN_OMEGA);
  }
  return drEstimate(problem, weights, outcome.predict(omega));
}
