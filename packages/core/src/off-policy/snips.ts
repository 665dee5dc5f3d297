/**
 * Self-normalised IPS (SNIPS, the reference's `raw-ips`): ψ = Σ w_i R_i / Σ w_i with Hájek weights,
 * optionally clipped (the reference clips at 100; our default is no clip).
 *
 * Deviation from the reference (method-ope §6.6): the rewards come from the calibrator, so the OUA
 * jackknife applies here too, and the influence function uses cross-fitted rewards.
 */
import { clipWeights, hajekWeights } from "./importance-weights.js";
import { centre, mean, weightedReplicates, type OffPolicyEstimate } from "./off-policy-inference.js";
import type { TargetProblem } from "./off-policy-problem.js";

/** Options of {@link estimateSnips}. */
export interface SnipsOptions {
  /** Clip mean-one weights at this value and renormalise once (default: no clip). */
  readonly clipWeight?: number;
}

/** SNIPS estimate; influence w_i(R^oof_i − ψ), centred. */
export function estimateSnips(problem: TargetProblem, options: SnipsOptions = {}): OffPolicyEstimate {
  const hajek = hajekWeights(problem.logRatio);
  const w = options.clipWeight === undefined ? hajek : clipWeights(hajek, options.clipWeight);
  const estimate = mean(Float64Array.from(w, (wi, i) => wi * problem.rewards[i]));
  const influence = centre(Float64Array.from(w, (wi, i) => wi * (problem.oofRewards[i] - estimate)));
  return { estimate, influence, replicates: weightedReplicates(problem, w), weights: w };
}
