/**
 * The doubly-robust functional shared by DR-CPO, TMLE and MRDR (method-ope §7.1): the outcome
 * model averaged over each logged row's fresh draws of the target (the direct-method term) plus
 * the weighted residual on the logged rows,
 *
 *   ψ = mean_i ḡ_i + mean_i w_i (R_i − ĝ_i),   φ_i = ḡ_i + w_i (R_i − ĝ_i) − ψ,
 *
 * unbiased when either the weights or the outcome model is right. The IF is built from per-row
 * means over the draws, so its variance already contains the fresh-draw Monte-Carlo noise (which is
 * therefore not added again).
 */
import { CjeInputError } from "../errors/input-error.js";
import type { OffPolicyEstimate } from "./off-policy-inference.js";
import type { TargetProblem } from "./off-policy-problem.js";

/** Outcome-model predictions at the logged rows and at every fresh draw (each with its row's fold). */
export interface OutcomePredictions {
  readonly logged: Float64Array;
  readonly draws: Float64Array;
}

/** The DR functional on plain arrays. */
export interface DrParts {
  readonly estimate: number;
  readonly influence: Float64Array;
  readonly dm: number;
  readonly correction: number;
}

/**
 * Evaluates the DR functional: `weights`, `rewards` and `logged` predictions per row, draws of row j
 * at `[drawStart[j], drawStart[j + 1])` of `draws`.
 */
export function drFunctional(
  weights: ArrayLike<number>,
  rewards: ArrayLike<number>,
  logged: ArrayLike<number>,
  drawStart: Int32Array,
  draws: ArrayLike<number>,
): DrParts {
  const n = weights.length;
  const gbar = new Float64Array(n);
  const dm = directMethodTerm(drawStart, draws, gbar);
  const c = new Float64Array(n);
  let corr = 0;
  for (let j = 0; j < n; j++) {
    c[j] = weights[j] * (rewards[j] - logged[j]);
    corr += c[j];
  }
  corr /= n;
  const estimate = dm + corr;
  const influence = new Float64Array(n);
  for (let j = 0; j < n; j++) influence[j] = gbar[j] + c[j] - estimate;
  return { estimate, influence, dm, correction: corr };
}

/**
 * The direct-method term mean_j ḡ_j of the DR functional, ḡ_j being the mean of row j's draws
 * (`[drawStart[j], drawStart[j + 1])` of `draws`), written to `rowMeans` (one entry per row).
 */
export function directMethodTerm(drawStart: Int32Array, draws: ArrayLike<number>, rowMeans: Float64Array): number {
  const n = rowMeans.length;
  let dm = 0;
  for (let j = 0; j < n; j++) {
    const a = drawStart[j];
    const b = drawStart[j + 1];
    if (b <= a) throw new CjeInputError(`logged row ${j} has no fresh draw for the direct-method term`);
    let s = 0;
    for (let d = a; d < b; d++) s += draws[d];
    rowMeans[j] = s / (b - a);
    dm += rowMeans[j];
  }
  return dm / n;
}

/**
 * DR estimate of a problem with fresh draws. The OUA replicate for jackknife group g re-evaluates the
 * functional with the calibrator refitted without group g where the calibrator enters — the rewards
 * R^(−g) and the direct-method term mean_j f^(−g)(S′) (`fresh.jackknifeDirect`, shared by the DR
 * estimators) — holding the weights fixed and moving the logged outcome predictions
 * `jackknifeOutcome` (untargeted for TMLE; also the predictions reported for the orthogonality
 * diagnostic) with the rewards (see the comment in the body: a deviation from method-ope §8.2).
 * Unlike the reference, the direct-method term of a replicate averages over logged rows, as the
 * point estimate does (§13 B7).
 */
export function drEstimate(
  problem: TargetProblem,
  weights: Float64Array,
  outcome: OutcomePredictions,
  jackknifeOutcome: Float64Array = outcome.logged,
): OffPolicyEstimate {
  const fresh = requireFresh(problem);
  const parts = drFunctional(weights, problem.rewards, outcome.logged, fresh.drawStart, outcome.draws);
  let replicates: Float64Array | null = null;
  const { jackknifeRewards, rewards } = problem;
  if (jackknifeRewards !== null && fresh.jackknifeDirect !== null) {
    // The logged outcome predictions move with the rewards (ĝ^(−g) = ĝ + R^(−g) − R): an outcome
    // model is fitted to the rewards, so a calibrator change moves both, and the weighted residual
    // R^(−g) − ĝ^(−g) = R − ĝ does not move at all — a replicate differs from another only in its
    // direct-method term. Holding ĝ fixed (the reference, method-ope §8.2) counts the calibrator's
    // change twice — once in the direct-method term, once in the correction — and in our Monte Carlo
    // doubled the calibration SE (stacked-DR intervals 1.55× the ideal width).
    const n = weights.length;
    let corr = 0;
    for (let j = 0; j < n; j++) corr += weights[j] * (rewards[j] - jackknifeOutcome[j]);
    corr /= n;
    replicates = Float64Array.from(fresh.jackknifeDirect, (dm) => dm + corr);
  }
  return {
    estimate: parts.estimate,
    influence: parts.influence,
    replicates,
    weights,
    dr: { dm: parts.dm, correction: parts.correction, outcome: jackknifeOutcome },
  };
}

/** The problem's fresh-draw term, or an error naming the target. */
export function requireFresh(problem: TargetProblem): NonNullable<TargetProblem["fresh"]> {
  if (problem.fresh === null) {
    throw new CjeInputError(
      `doubly-robust estimators need fresh draws of '${problem.target}' (the outcome-model term); use ips, snips or calibrated-ips without them`,
    );
  }
  return problem.fresh;
}
