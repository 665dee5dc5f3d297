/**
 * The index model g of the two-stage calibrator (method-direct §2.3.3): a cubic B-spline basis per
 * feature column (judge score first, then covariates) followed by a weighted ridge whose penalty is
 * chosen by leave-one-out error. The caller then ranks g with a weighted ECDF and fits an isotonic
 * regression on the ranks.
 *
 * The bootstrap refits the same training rows thousands of times with new weights and predicts the
 * same evaluation rows each time, so the work is split: {@link createSplineRidgeIndexFitter} places
 * the knots (unweighted: training min/max only) and evaluates the training basis once; `fit(weights)`
 * only redoes the weighted ridge (through the single-column spline fast path when there are no
 * covariates); `basisFor` evaluates the basis of any evaluation rows once, after which every model
 * predicts them with four multiply-adds per row and feature.
 */

import { basisToDense, SplineBasis, SPLINE_DEGREE, type BasisMatrix } from "./spline-basis.js";
import { RidgeLooFitter, SplineRidgeLooFitter, type RidgeLooFit } from "./ridge-loo.js";

/** Fewer training rows than this: no index model (the calibrator ranks the raw scores instead). */
export const INDEX_MODEL_MIN_ROWS = 20;

/** Default `n_splines` of the reference (the knot count is then clamped to 5 … ⌊n/4⌋). */
export const DEFAULT_N_SPLINES = 8;

/** Options of {@link createSplineRidgeIndexFitter}. */
export interface IndexModelOptions {
  /** Requested knots per column before clamping (default {@link DEFAULT_N_SPLINES}). */
  readonly nSplines?: number;
  /** Candidate ridge penalties (default `10^-3 … 10^3`, 13 values). */
  readonly alphas?: ArrayLike<number>;
}

/** A fitted index model g(x) = intercept + spline basis(x) · coefficients. */
export interface IndexModel extends RidgeLooFit {
  /** g at rows whose basis was built by the same fitter (`basisFor` or `trainBasis`). */
  predictBasis(basis: BasisMatrix, out?: Float64Array): Float64Array;
  /** g at arbitrary rows, one array per feature column (same order as in training). */
  predict(columns: readonly ArrayLike<number>[], out?: Float64Array): Float64Array;
}

/** Precomputed index-model stage for one set of training rows. */
export interface SplineRidgeIndexFitter {
  /** Number of training rows. */
  readonly rows: number;
  /** The spline transformer (knots from the training rows). */
  readonly spline: SplineBasis;
  /** Basis of the training rows, e.g. for g(X_train) via `predictBasis`. */
  readonly trainBasis: BasisMatrix;
  /** Fits the ridge stage with per-row positive weights (`null` = unit weights). */
  fit(weights: ArrayLike<number> | null): IndexModel;
  /** Basis of evaluation rows under the training knots, reusable by every fitted model. */
  basisFor(columns: readonly ArrayLike<number>[]): BasisMatrix;
}

/** Knots per column: `min(max(5, nSplines), ⌊n/4⌋)`. */
export function indexModelKnots(rows: number, nSplines: number = DEFAULT_N_SPLINES): number {
  return Math.min(Math.max(5, nSplines), Math.floor(rows / 4));
}

/**
 * Prepares the index model for training rows `trainColumns` (one array per feature, judge score
 * first) with labels `y`. Requires at least {@link INDEX_MODEL_MIN_ROWS} rows.
 */
export function createSplineRidgeIndexFitter(
  trainColumns: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  options: IndexModelOptions = {},
): SplineRidgeIndexFitter {
  const rows = y.length;
  if (rows < INDEX_MODEL_MIN_ROWS) {
    throw new RangeError(`index model: needs at least ${INDEX_MODEL_MIN_ROWS} training rows, got ${rows}`);
  }
  const spline = new SplineBasis(trainColumns, indexModelKnots(rows, options.nSplines));
  const trainBasis = spline.transform(trainColumns);
  const ridge =
    spline.features === 1 && !spline.isConstant(0)
      ? new SplineRidgeLooFitter(trainBasis, y, options.alphas)
      : new RidgeLooFitter(basisToDense(trainBasis), rows, spline.width, y, options.alphas);
  return {
    rows,
    spline,
    trainBasis,
    fit: (weights) => new SplineRidgeModel(spline, ridge.fit(weights)),
    basisFor: (columns) => spline.transform(columns),
  };
}

/** `predictBasis` is unrolled for cubics; this stops compiling if the degree changes. */
const CUBIC: 3 = SPLINE_DEGREE;
/** Basis functions per feature that can be non-zero at a point. */
const LOCAL = CUBIC + 1;

class SplineRidgeModel implements IndexModel {
  readonly alphaIndex: number;
  readonly alpha: number;
  readonly looMse: Float64Array;
  readonly intercept: number;
  readonly coefficients: Float64Array;
  /** Coefficients laid out per full spline block (the dropped last spline gets 0). */
  private readonly blockCoefficients: Float64Array;

  constructor(
    private readonly spline: SplineBasis,
    fit: RidgeLooFit,
  ) {
    this.alphaIndex = fit.alphaIndex;
    this.alpha = fit.alpha;
    this.looMse = fit.looMse;
    this.intercept = fit.intercept;
    this.coefficients = fit.coefficients;
    const perBlock = spline.splinesPerFeature;
    this.blockCoefficients = new Float64Array(spline.features * perBlock);
    for (let f = 0; f < spline.features; f++) {
      for (let j = 0; j < perBlock - 1; j++) this.blockCoefficients[f * perBlock + j] = fit.coefficients[f * (perBlock - 1) + j];
    }
  }

  predictBasis(basis: BasisMatrix, out: Float64Array = new Float64Array(basis.rows)): Float64Array {
    if (basis.spline !== this.spline) throw new RangeError("index model: basis was built with different knots");
    const { first, values } = basis;
    const features = this.spline.features;
    const perBlock = this.spline.splinesPerFeature;
    const coef = this.blockCoefficients;
    for (let r = 0; r < basis.rows; r++) {
      let g = this.intercept;
      for (let f = 0; f < features; f++) {
        const cell = r * features + f;
        const c = f * perBlock + first[cell];
        const v = cell * LOCAL;
        g += values[v] * coef[c] + values[v + 1] * coef[c + 1] + (values[v + 2] * coef[c + 2] + values[v + 3] * coef[c + 3]);
      }
      out[r] = g;
    }
    return out;
  }

  predict(columns: readonly ArrayLike<number>[], out?: Float64Array): Float64Array {
    return this.predictBasis(this.spline.transform(columns), out);
  }
}
