/**
 * The two-stage calibrator of AutoCal-R (method-direct §2.3.3): index → rank → isotonic.
 *
 * With at least {@link TWO_STAGE_MIN_ROWS} training rows an index g([S, X]) is fitted (cubic
 * B-splines per column + ridge with a leave-one-out penalty), mapped to weighted mid-ranks by an
 * ECDF, and an isotonic regression of Y on those ranks gives the calibrated value. With fewer rows
 * there is no index: the ECDF of the raw scores feeds the isotonic stage.
 */
import { fitWeightedEcdf } from "./ecdf.js";
import { createSplineRidgeIndexFitter, type IndexModel, type SplineRidgeIndexFitter } from "./index-model.js";
import { fitIsotonic, type IsotonicModel } from "./isotonic.js";
import type { CalibrationPoints } from "./points.js";
import type { BasisMatrix } from "./spline-basis.js";

/** Minimum training rows for the spline + ridge index (fewer ⇒ rank-space isotonic on S). */
export const TWO_STAGE_MIN_ROWS = 20;

/** A fitted two-stage model. */
export interface TwoStageModel {
  /** Calibrated value at every point, in [0, 1]. */
  predict(points: CalibrationPoints, out?: Float64Array): Float64Array;
}

/** Precomputes what depends only on the training rows; `fit(weights)` is cheap. */
export class TwoStageFitter {
  private readonly scores: Float64Array;
  private readonly labels: Float64Array;
  private readonly index: SplineRidgeIndexFitter | null;
  private readonly trainBasis: BasisMatrix | null;
  private readonly basisCache = new WeakMap<CalibrationPoints, BasisMatrix>();
  private readonly trainIndexValues: Float64Array;
  private readonly ranks: Float64Array;

  constructor(
    scores: Float64Array,
    covariates: readonly Float64Array[] | undefined,
    labels: Float64Array,
    nSplines: number,
  ) {
    this.scores = scores;
    this.labels = labels;
    const n = scores.length;
    if (n >= TWO_STAGE_MIN_ROWS) {
      const columns = [scores, ...(covariates ?? [])];
      this.index = createSplineRidgeIndexFitter(columns, labels, { nSplines });
      this.trainBasis = this.index.trainBasis;
    } else {
      this.index = null;
      this.trainBasis = null;
    }
    this.trainIndexValues = new Float64Array(n);
    this.ranks = new Float64Array(n);
  }

  /** Fits with per-training-row weights (`null` = unit weights). */
  fit(weights: Float64Array | null): TwoStageModel {
    let indexModel: IndexModel | null = null;
    let g: Float64Array;
    if (this.index !== null && this.trainBasis !== null) {
      indexModel = this.index.fit(weights);
      g = indexModel.predictBasis(this.trainBasis, this.trainIndexValues);
    } else {
      g = this.scores;
    }
    const ecdf = fitWeightedEcdf(g, weights);
    ecdf.evaluateMany(g, this.ranks);
    const iso: IsotonicModel = fitIsotonic(this.ranks, this.labels, weights);
    const index = this.index;
    const cache = this.basisCache;
    return {
      predict(points: CalibrationPoints, out: Float64Array = new Float64Array(points.size)): Float64Array {
        if (indexModel !== null && index !== null) {
          let basis = cache.get(points);
          if (basis === undefined) {
            basis = index.basisFor([points.scores, ...(points.covariates ?? [])]);
            cache.set(points, basis);
          }
          indexModel.predictBasis(basis, out);
        } else {
          out.set(points.scores);
        }
        ecdf.evaluateMany(out, out);
        return iso.predict(out, out);
      },
    };
  }
}
