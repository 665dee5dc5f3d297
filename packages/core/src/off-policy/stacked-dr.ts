/**
 * Stacked DR (method-ope §7.5): the convex combination of DR-CPO, TMLE and MRDR whose influence
 * function has the least variance, α = argmin αᵀΣα on the simplex with Σ the components' IF
 * covariance plus a ridge. ψ = Σ α_c ψ_c, φ = Σ α_c φ_c, OUA replicates Σ α_c ψ_c^(−k).
 *
 * All components share the target's rows and weights, so their IFs align row by row (the reference
 * aligns by prompt id and collapses duplicated prompts, §13 B11), and the ridge is relative to the
 * covariance's trace (the reference's absolute 1e−4 depends on the reward scale).
 */
import { estimateDrCpo } from "./dr-cpo.js";
import { addRelativeRidge, columnCovariance, minVarianceSimplex } from "../numeric/min-variance-simplex.js";
import { estimateMrdr } from "./mrdr.js";
import type { OffPolicyEstimate } from "./off-policy-inference.js";
import { IsotonicOutcomeFitter } from "./outcome-model.js";
import type { TargetProblem } from "./off-policy-problem.js";
import { estimateTmle } from "./tmle.js";

/** Names of the stacked components, in order. */
export const STACK_COMPONENTS = ["dr-cpo", "tmle", "mrdr"] as const;

/** Stacked estimate plus its components and mixing weights. */
export interface StackedEstimate extends OffPolicyEstimate {
  readonly components: readonly OffPolicyEstimate[];
  /** α for each of {@link STACK_COMPONENTS}. */
  readonly stackWeights: Float64Array;
}

/** Relative ridge on the components' IF covariance. */
const STACK_RIDGE = 1e-4;

/** Stacked-DR estimate with the given (mean-one) weights. */
export function estimateStackedDr(problem: TargetProblem, weights: Float64Array, calibrated: boolean): StackedEstimate {
  // The components share the problem's outcome fitter (one sort, one preparation per fold).
  const outcome = new IsotonicOutcomeFitter(problem);
  const components = [
    estimateDrCpo(problem, weights, calibrated, outcome),
    estimateTmle(problem, weights, "logit", outcome),
    estimateMrdr(problem, weights, "w", outcome),
  ];
  const K = components.length;
  const n = weights.length;
  const phi = new Float64Array(n * K);
  components.forEach((c, k) => c.influence.forEach((v, i) => (phi[i * K + k] = v)));
  const alpha = minVarianceSimplex(addRelativeRidge(columnCovariance(phi, n, K), K, STACK_RIDGE), K, { maxPasses: 50, tolerance: 1e-12 });
  const influence = new Float64Array(n);
  let estimate = 0;
  components.forEach((c, k) => {
    estimate += alpha[k] * c.estimate;
    for (let i = 0; i < n; i++) influence[i] += alpha[k] * c.influence[i];
  });
  const withReplicates = components.every((c) => c.replicates !== null);
  const replicates = withReplicates
    ? Float64Array.from(components[0].replicates as Float64Array, (_, j) => components.reduce((s, c, k) => s + alpha[k] * (c.replicates as Float64Array)[j], 0))
    : null;
  let dm = 0;
  let correction = 0;
  components.forEach((c, k) => {
    dm += alpha[k] * (c.dr?.dm ?? 0);
    correction += alpha[k] * (c.dr?.correction ?? 0);
  });
  return {
    estimate,
    influence,
    replicates,
    weights,
    dr: { dm, correction, outcome: components[0].dr?.outcome ?? new Float64Array(n) },
    components,
    stackWeights: alpha,
  };
}
