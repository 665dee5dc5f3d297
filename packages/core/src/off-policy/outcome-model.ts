/**
 * Cross-fitted isotonic outcome models for the DR family (method-ope §7.2): for each fold k an
 * increasing isotonic regression of the rewards R on the outcome index (S, or the calibrated value
 * for a two-stage calibrator) over the rows of the other folds, optionally with sample weights ω
 * (MRDR), predicting fold k's logged rows and the fresh draws of those rows.
 *
 * The index is the same function at fit and predict time (the reference fits on the out-of-fold
 * index and predicts on the full-model one, method-ope §13 B8).
 */
import { fitIsotonic } from "../calibration/isotonic.js";
import { CjeInputError } from "../errors/input-error.js";
import { requireFresh, type OutcomePredictions } from "./dr-shared.js";
import type { TargetProblem } from "./off-policy-problem.js";

/** Cross-fitted isotonic outcome predictions, with optional positive sample weights `omega`. */
export function isotonicOutcome(problem: TargetProblem, omega: Float64Array | null = null): OutcomePredictions {
  const fresh = requireFresh(problem);
  const { folds, nFolds, index, rewards } = problem;
  const n = rewards.length;
  const logged = new Float64Array(n);
  const draws = new Float64Array(fresh.index.length);
  for (let k = 0; k < nFolds; k++) {
    const train: number[] = [];
    for (let i = 0; i < n; i++) if (folds[i] !== k) train.push(i);
    if (train.length === 0) throw new CjeInputError(`outcome model: no training rows outside fold ${k}`);
    const model = fitIsotonic(
      train.map((i) => index[i]),
      train.map((i) => rewards[i]),
      omega === null ? null : train.map((i) => omega[i]),
      { yMin: -Infinity, yMax: Infinity },
    );
    for (let i = 0; i < n; i++) {
      if (folds[i] !== k) continue;
      logged[i] = model.predictOne(index[i]);
      for (let d = fresh.drawStart[i]; d < fresh.drawStart[i + 1]; d++) draws[d] = model.predictOne(fresh.index[d]);
    }
  }
  return { logged, draws };
}
