/**
 * The two-stage calibrator of AutoCal-R (method-direct §2.3.3): index → rank → isotonic.
 *
 * With at least {@link INDEX_MODEL_MIN_ROWS} training rows an index g([S, X]) is fitted (cubic
 * B-splines per column + ridge with a leave-one-out penalty), mapped to weighted mid-ranks by an
 * ECDF, and an isotonic regression of Y on those ranks gives the calibrated value. With fewer rows
 * there is no index: the ECDF of the raw scores feeds the isotonic stage.
 *
 * Rows with identical features share g, its rank and its calibrated value, so the rank and isotonic
 * stages run on the distinct feature vectors ("design points") with summed weights — identical in
 * result to running them row by row, and much cheaper when judge scores are coarse.
 */
import { fitWeightedEcdf } from "./ecdf.js";
import { createSplineRidgeIndexFitter, INDEX_MODEL_MIN_ROWS, type IndexModel, type SplineRidgeIndexFitter } from "./index-model.js";
import { fitIsotonic } from "./isotonic.js";
import { CalibrationPoints } from "./points.js";
import type { BasisMatrix } from "./spline-basis.js";

/** A fitted two-stage model. */
export interface TwoStageModel {
  /** Calibrated value at every point, in [0, 1]. */
  predict(points: CalibrationPoints, out?: Float64Array): Float64Array;
}

/** Precomputes what depends only on the training rows; `fit(weights)` is cheap. */
export class TwoStageFitter {
  private readonly labels: Float64Array;
  private readonly design: CalibrationPoints;
  private readonly index: SplineRidgeIndexFitter | null;
  private readonly designBasis: BasisMatrix | null;
  private readonly basisCache = new WeakMap<CalibrationPoints, BasisMatrix>();
  private readonly groupIndex: Float64Array;
  private readonly groupWeight: Float64Array;
  private readonly groupLabel: Float64Array;

  constructor(scores: Float64Array, covariates: readonly Float64Array[] | undefined, labels: Float64Array, nSplines: number) {
    this.labels = labels;
    const n = scores.length;
    if (n >= INDEX_MODEL_MIN_ROWS) {
      this.design = CalibrationPoints.of(scores, covariates);
      this.index = createSplineRidgeIndexFitter([scores, ...(covariates ?? [])], labels, { nSplines });
      this.designBasis = this.index.basisFor([this.design.scores, ...(this.design.covariates ?? [])]);
    } else {
      this.design = CalibrationPoints.of(scores);
      this.index = null;
      this.designBasis = null;
    }
    const d = this.design.size;
    this.groupIndex = new Float64Array(d);
    this.groupWeight = new Float64Array(d);
    this.groupLabel = new Float64Array(d);
  }

  /** Fits with per-training-row weights (`null` = unit weights). */
  fit(weights: Float64Array | null): TwoStageModel {
    const { design, labels, groupWeight, groupLabel } = this;
    let indexModel: IndexModel | null = null;
    let g: Float64Array;
    if (this.index !== null && this.designBasis !== null) {
      indexModel = this.index.fit(weights);
      g = indexModel.predictBasis(this.designBasis, this.groupIndex);
    } else {
      g = design.scores;
    }
    groupWeight.fill(0);
    groupLabel.fill(0);
    const map = design.rowToPoint;
    for (let i = 0; i < map.length; i++) {
      const w = weights === null ? 1 : weights[i];
      groupWeight[map[i]] += w;
      groupLabel[map[i]] += w * labels[i];
    }
    const ybar = new Float64Array(groupWeight.length);
    // A design point whose rows all have weight zero (deleted by the jackknife) is left out by the
    // ECDF and the isotonic fit; its label mean is never read.
    for (let k = 0; k < ybar.length; k++) ybar[k] = groupWeight[k] > 0 ? groupLabel[k] / groupWeight[k] : 0;
    const ecdf = fitWeightedEcdf(g, groupWeight);
    const ranks = ecdf.evaluateMany(g);
    const iso = fitIsotonic(ranks, ybar, groupWeight);
    const index = this.index;
    const cache = this.basisCache;
    return {
      predict(points: CalibrationPoints, out: Float64Array = new Float64Array(points.size)): Float64Array {
        // `out` may be a longer scratch buffer: rank and calibrate only the points' own entries.
        const values = out.length === points.size ? out : out.subarray(0, points.size);
        if (indexModel !== null && index !== null) {
          let basis = cache.get(points);
          if (basis === undefined) {
            basis = index.basisFor([points.scores, ...(points.covariates ?? [])]);
            cache.set(points, basis);
          }
          indexModel.predictBasis(basis, values);
        } else {
          values.set(points.scores);
        }
        ecdf.evaluateMany(values, values);
        iso.predict(values, values);
        return out;
      },
    };
  }
}
