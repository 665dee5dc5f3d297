/**
 * Horvitz–Thompson IPS: ψ = mean(r_i·R_i) with the unnormalised ratios r_i = exp(lp′_i − lp0_i).
 * Unbiased when the ratios are right (the reference has no such estimator; its `raw-ips` is SNIPS,
 * method-ope §13 B2) and, for the same reason, as noisy as the ratios are heavy-tailed.
 */
import { rawWeights } from "./importance-weights.js";
import { centre, mean, weightedReplicates, type OffPolicyEstimate } from "./off-policy-inference.js";
import type { TargetProblem } from "./off-policy-problem.js";

/** IPS estimate; the influence function r_i·R^oof_i − mean uses cross-fitted rewards. */
export function estimateIps(problem: TargetProblem): OffPolicyEstimate {
  const w = rawWeights(problem.logRatio);
  const wr = Float64Array.from(w, (wi, i) => wi * problem.rewards[i]);
  const influence = centre(Float64Array.from(w, (wi, i) => wi * problem.oofRewards[i]));
  return { estimate: mean(wr), influence, replicates: weightedReplicates(problem, w), weights: w };
}
