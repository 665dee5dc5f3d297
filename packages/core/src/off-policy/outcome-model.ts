/**
 * Cross-fitted isotonic outcome models for the DR family (method-ope §7.2): for each fold k an
 * increasing isotonic regression of the rewards R on the outcome index (S, or the calibrated value
 * for a two-stage calibrator) over the rows of the other folds, optionally with sample weights ω
 * (MRDR), predicting fold k's logged rows and the fresh draws of those rows.
 *
 * The index is the same function at fit and predict time (the reference fits on the out-of-fold
 * index and predicts on the full-model one, method-ope §13 B8).
 *
 * {@link IsotonicOutcomeFitter} sorts the rows once and prepares each fold's regression, so that
 * the estimators of one problem (TMLE's unweighted model, MRDR's ω-weighted one) share that work.
 */
import { IsotonicFitter, isotonicOrder, subsetOrder } from "../calibration/isotonic.js";
import { CjeInputError } from "../errors/input-error.js";
import { gatherRows, rowsWith, rowsWithout } from "../numeric/rows.js";
import { requireFresh, type OutcomePredictions } from "./dr-shared.js";
import type { FreshTerm, TargetProblem } from "./off-policy-problem.js";

/** One fold's regression: its training rows (ascending), prepared fitter, and held-out rows. */
interface OutcomeFold {
  readonly train: Int32Array;
  readonly fitter: IsotonicFitter;
  readonly held: Int32Array;
}

/** The cross-fitted isotonic outcome models of a problem, prepared once and fitted per weighting. */
export class IsotonicOutcomeFitter {
  private readonly index: Float64Array;
  private readonly fresh: FreshTerm;
  private readonly folds: readonly OutcomeFold[];
  /** The unweighted predictions, computed once (TMLE and an uncalibrated DR-CPO both ask for them). */
  private unweighted: OutcomePredictions | undefined;

  constructor(problem: TargetProblem) {
    this.fresh = requireFresh(problem);
    const { folds, nFolds, index, rewards } = problem;
    this.index = index;
    const order = isotonicOrder(index, rewards);
    this.folds = Array.from({ length: nFolds }, (_, k) => {
      const train = rowsWithout(folds, k);
      if (train.length === 0) throw new CjeInputError(`outcome model: no training rows outside fold ${k}`);
      const fitter = new IsotonicFitter(gatherRows(index, train), gatherRows(rewards, train), {
        yMin: -Infinity,
        yMax: Infinity,
        order: subsetOrder(order, train),
      });
      return { train, fitter, held: rowsWith(folds, k) };
    });
  }

  /** Cross-fitted predictions, with optional positive sample weights `omega` (one per problem row); read-only. */
  predict(omega: Float64Array | null = null): OutcomePredictions {
    if (omega === null) {
      this.unweighted ??= this.fit(null);
      return this.unweighted;
    }
    return this.fit(omega);
  }

  private fit(omega: Float64Array | null): OutcomePredictions {
    const { index, fresh } = this;
    const logged = new Float64Array(index.length);
    const draws = new Float64Array(fresh.index.length);
    for (const { train, fitter, held } of this.folds) {
      const model = fitter.fit(omega === null ? null : gatherRows(omega, train));
      for (const i of held) {
        logged[i] = model.predictOne(index[i]);
        for (let d = fresh.drawStart[i]; d < fresh.drawStart[i + 1]; d++) draws[d] = model.predictOne(fresh.index[d]);
      }
    }
    return { logged, draws };
  }
}

/** Cross-fitted isotonic outcome predictions, with optional positive sample weights `omega`. */
export function isotonicOutcome(problem: TargetProblem, omega: Float64Array | null = null): OutcomePredictions {
  return new IsotonicOutcomeFitter(problem).predict(omega);
}
