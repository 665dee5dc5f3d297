/**
 * Weighted ridge regression with an unpenalised intercept whose penalty is chosen by exact
 * leave-one-out error, with scikit-learn `RidgeCV(alphas, fit_intercept=True)` semantics (default
 * `gcv_mode`, `scoring=None`, `alpha_per_target=False`), as used by the two-stage calibrator
 * (method-direct §2.3.3).
 *
 * What scikit-learn's `_RidgeGCV` computes, and how it is reproduced here. With weights w (unit
 * weights when none are given) and W = Σw:
 *
 * 1. X and y are centred with their w-weighted means x̄, ȳ, then every row is multiplied by √wᵢ:
 *    X̃ = diag(√w)(X − 1x̄ᵀ), ỹ = diag(√w)(y − ȳ).
 * 2. The intercept is emulated by the extra design column u = √w / ‖√w‖. Weighted centring makes
 *    every column of X̃ orthogonal to u (Σ wᵢ(xᵢ − x̄) = 0), so u is an exact singular direction of
 *    the augmented design, and scikit-learn cancels the penalty on exactly that direction. The
 *    resulting linear smoother of the rescaled problem is the hat matrix
 *    H(α) = uuᵀ + X̃(X̃ᵀX̃ + αI)⁻¹X̃ᵀ — an intercept that is free and a slope vector penalised by α.
 * 3. Its "dual coefficients" c = (I − H)ỹ/α and diag(G⁻¹) = (1 − hᵢᵢ)/α give the LOO residuals of
 *    the rescaled problem eᵢ = cᵢ / G⁻¹ᵢᵢ = (ỹ − Hỹ)ᵢ / (1 − hᵢᵢ). Because the intercept is free,
 *    dropping row i of the rescaled problem is the same as refitting the weighted ridge without row
 *    i, so eᵢ = √wᵢ (yᵢ − ŷ₋ᵢ(xᵢ)) — the held-out error scaled by √wᵢ.
 * 4. The criterion is the plain mean of eᵢ² over all rows (`-squared_errors.mean()`); the first
 *    alpha with the smallest criterion wins (a later alpha must be strictly better).
 * 5. Coefficients β = (X̃ᵀX̃ + αI)⁻¹X̃ᵀỹ and intercept ȳ − x̄ᵀβ; the penalty is not rescaled by the
 *    weights, so the fit depends on the overall scale of w.
 *
 * scikit-learn obtains H from an SVD of the n × (p+1) augmented design. Here the same H comes from
 * ONE eigendecomposition of the small p × p centred, weighted Gram matrix X̃ᵀX̃ = VΛVᵀ: with
 * qᵢ = Vᵀ(xᵢ − x̄) and z = VᵀX̃ᵀỹ, hᵢᵢ = wᵢ(1/W + κᵢ) with κᵢ = Σₑ qᵢₑ²/(λₑ + α), and
 * (Hỹ)ᵢ = √wᵢ fᵢ with fᵢ = Σₑ qᵢₑzₑ/(λₑ + α), so eᵢ² = wᵢ(yᵢ − ȳ − fᵢ)²/(1 − hᵢᵢ)² and every alpha
 * costs O(n·p).
 *
 * Two fitters share that algebra: {@link RidgeLooFitter} for any dense design (rows with identical
 * design rows share qᵢ), and {@link SplineRidgeLooFitter} for the design of one uniform cubic
 * B-spline column, where every row is a cubic polynomial of its position u in its knot span, so κ
 * and f are polynomials in u (degrees 6 and 3) whose coefficients are formed once per span and
 * alpha, leaving 11 multiply-adds per row and alpha.
 */

import { UNIFORM_CUBIC_PIECES, type BasisMatrix } from "./spline-basis.js";

/** The 13 candidate penalties `10^-3 … 10^3` (numpy `logspace(-3, 3, 13)`). */
export const DEFAULT_RIDGE_ALPHAS: Float64Array = Float64Array.from({ length: 13 }, (_, k) => 10 ** (k * 0.5 - 3));

/** A ridge fit at the penalty chosen by leave-one-out error. */
export interface RidgeLooFit {
  /** Index of the chosen penalty in the candidate list. */
  readonly alphaIndex: number;
  /** The chosen penalty. */
  readonly alpha: number;
  /** Mean squared (√w-rescaled) leave-one-out error for every candidate penalty. */
  readonly looMse: Float64Array;
  /** Unpenalised intercept. */
  readonly intercept: number;
  /** Slope per design column. */
  readonly coefficients: Float64Array;
}

/**
 * The p × p part shared by both fitters. A fitter accumulates, for its current weights, the upper
 * triangle of Σ wᵢxᵢxᵢᵀ into `gram`, Σ wᵢxᵢ into `mean` and Σ wᵢ(yᵢ − ȳ)xᵢ into `cross`; `solve`
 * then centres, diagonalises and tabulates 1/(λₑ + αₐ); `finish` picks the penalty and forms the
 * coefficients.
 */
class RidgeCore {
  readonly gram: Float64Array;
  readonly mean: Float64Array;
  readonly cross: Float64Array;
  /** Eigenvectors in the columns (row-major), and eigenvalues. */
  readonly vectors: Float64Array;
  readonly eigenvalues: Float64Array;
  /** Vᵀx̄ and z = VᵀX̃ᵀỹ. */
  readonly rotatedMean: Float64Array;
  readonly projection: Float64Array;
  /** `inverse[a * cols + e] = 1 / (λₑ + αₐ)`. */
  readonly inverse: Float64Array;

  constructor(
    readonly cols: number,
    readonly alphas: Float64Array,
  ) {
    if (alphas.length === 0) throw new RangeError("ridge: no candidate penalties");
    alphas.forEach((a, k) => {
      if (!(a > 0) || !Number.isFinite(a)) throw new RangeError(`ridge: penalty ${k} must be positive and finite, got ${a}`);
    });
    this.gram = new Float64Array(cols * cols);
    this.mean = new Float64Array(cols);
    this.cross = new Float64Array(cols);
    this.vectors = new Float64Array(cols * cols);
    this.eigenvalues = new Float64Array(cols);
    this.rotatedMean = new Float64Array(cols);
    this.projection = new Float64Array(cols);
    this.inverse = new Float64Array(alphas.length * cols);
  }

  reset(): void {
    this.gram.fill(0);
    this.mean.fill(0);
    this.cross.fill(0);
  }

  /** Centres with total weight `total` (X̃ᵀX̃ = Σ wᵢxᵢxᵢᵀ − W x̄x̄ᵀ), diagonalises, tabulates. */
  solve(total: number): void {
    const { cols, gram, mean, cross, vectors, eigenvalues, rotatedMean, projection, inverse, alphas } = this;
    for (let j = 0; j < cols; j++) mean[j] /= total;
    for (let j = 0; j < cols; j++) {
      for (let k = j; k < cols; k++) gram[j * cols + k] -= total * mean[j] * mean[k];
    }
    symmetricEigen(gram, cols, eigenvalues, vectors);
    for (let e = 0; e < cols; e++) {
      let sz = 0;
      let sm = 0;
      for (let j = 0; j < cols; j++) {
        sz += vectors[j * cols + e] * cross[j];
        sm += vectors[j * cols + e] * mean[j];
      }
      projection[e] = sz;
      rotatedMean[e] = sm;
    }
    for (let a = 0; a < alphas.length; a++) {
      for (let e = 0; e < cols; e++) inverse[a * cols + e] = 1 / (eigenvalues[e] + alphas[a]);
    }
  }

  /** First penalty with the smallest LOO error; β = V diag(1/(λ + α)) z and intercept ȳ − x̄ᵀβ. */
  finish(looMse: Float64Array, yMean: number): RidgeLooFit {
    const { cols, vectors, projection, inverse, mean, alphas } = this;
    let best = 0;
    for (let a = 1; a < looMse.length; a++) if (looMse[a] < looMse[best]) best = a;
    const coefficients = new Float64Array(cols);
    let intercept = yMean;
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let e = 0; e < cols; e++) s += vectors[j * cols + e] * projection[e] * inverse[best * cols + e];
      coefficients[j] = s;
      intercept -= mean[j] * s;
    }
    return { alphaIndex: best, alpha: alphas[best], looMse, intercept, coefficients };
  }
}

/**
 * Copies `weights` (`null` = unit weights) into `out` in the order `order`, checking that each is
 * finite and ≥ 0 and that some are positive; returns the total. A zero weight removes its row from
 * the fit (the calibration jackknife deletes groups of rows that way): it adds nothing to the
 * normal equations or to the weighted leave-one-out error.
 */
function readWeights(weights: ArrayLike<number> | null, order: Int32Array, out: Float64Array): number {
  if (weights !== null && weights.length !== order.length) throw new RangeError(`ridge: ${weights.length} weights for ${order.length} rows`);
  let total = 0;
  for (let r = 0; r < order.length; r++) {
    const w = weights === null ? 1 : weights[order[r]];
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`ridge: row ${order[r]}: weight must be finite and ≥ 0, got ${w}`);
    out[r] = w;
    total += w;
  }
  if (!(total > 0)) throw new RangeError("ridge: every weight is zero");
  return total;
}

function checkTargets(y: ArrayLike<number>, rows: number): void {
  if (y.length !== rows) throw new RangeError(`ridge: y has ${y.length} rows, expected ${rows}`);
  for (let i = 0; i < rows; i++) if (!Number.isFinite(y[i])) throw new RangeError(`ridge: row ${i}: non-finite target ${y[i]}`);
}

/**
 * Ridge LOO for any dense design. Construction groups identical design rows and stores their
 * non-zero entries; `fit(weights)` selects the penalty and fits for any positive weight vector,
 * reusing internal buffers: it allocates only the returned `looMse` and `coefficients` arrays.
 */
export class RidgeLooFitter {
  /** Number of training rows. */
  readonly rows: number;
  /** Number of design columns. */
  readonly cols: number;
  private readonly core: RidgeCore;
  private readonly groups: number;
  /** Training rows ordered by group (group g owns positions `groupStart[g] .. groupStart[g+1]`). */
  private readonly rowOrder: Int32Array;
  private readonly groupStart: Int32Array;
  /** Group of each position of `rowOrder`, and the targets in that order. */
  private readonly rowGroup: Int32Array;
  private readonly orderedY: Float64Array;
  /** Non-zero entries of each distinct row (columns ascending): `nzStart[g] .. nzStart[g+1]`. */
  private readonly nzStart: Int32Array;
  private readonly nzCol: Int32Array;
  private readonly nzVal: Float64Array;
  /** Number of groups rounded up to a multiple of 4 (the LOO loop takes four groups at a time). */
  private readonly padded: number;
  // Scratch reused by every fit.
  private readonly orderedW: Float64Array;
  /** Eigen-coordinate e of group g at `e * padded + g`: qₑ² and qₑzₑ. */
  private readonly squared: Float64Array;
  private readonly mixed: Float64Array;
  private readonly rotatedRow: Float64Array;
  private readonly groupLeverage: Float64Array;
  private readonly groupFitted: Float64Array;

  /**
   * @param design row-major `rows × cols` design matrix (finite)
   * @param rows number of rows
   * @param cols number of columns
   * @param y targets (finite)
   * @param alphas candidate penalties (positive; default {@link DEFAULT_RIDGE_ALPHAS})
   */
  constructor(design: ArrayLike<number>, rows: number, cols: number, y: ArrayLike<number>, alphas: ArrayLike<number> = DEFAULT_RIDGE_ALPHAS) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 2 || cols < 1) {
      throw new RangeError(`ridge: need at least 2 rows and 1 column, got ${rows} × ${cols}`);
    }
    if (design.length !== rows * cols) throw new RangeError(`ridge: design has ${design.length} entries, expected ${rows} × ${cols}`);
    checkTargets(y, rows);
    for (let i = 0; i < rows * cols; i++) {
      if (!Number.isFinite(design[i])) {
        throw new RangeError(`ridge: row ${Math.floor(i / cols)}, column ${i % cols}: non-finite design value ${design[i]}`);
      }
    }
    this.rows = rows;
    this.cols = cols;
    this.core = new RidgeCore(cols, Float64Array.from(alphas));
    // Group identical design rows (first-occurrence order).
    const groupOf = new Int32Array(rows);
    const keys = new Map<string, number>();
    const firstRow: number[] = [];
    for (let i = 0; i < rows; i++) {
      const key = Array.prototype.slice.call(design, i * cols, (i + 1) * cols).join(",");
      let g = keys.get(key);
      if (g === undefined) {
        g = firstRow.length;
        keys.set(key, g);
        firstRow.push(i);
      }
      groupOf[i] = g;
    }
    const groups = firstRow.length;
    this.groups = groups;
    this.groupStart = new Int32Array(groups + 1);
    for (let i = 0; i < rows; i++) this.groupStart[groupOf[i] + 1]++;
    for (let g = 0; g < groups; g++) this.groupStart[g + 1] += this.groupStart[g];
    this.rowOrder = new Int32Array(rows);
    const fill = this.groupStart.slice(0, groups);
    for (let i = 0; i < rows; i++) this.rowOrder[fill[groupOf[i]]++] = i;
    this.rowGroup = this.rowOrder.map((i) => groupOf[i]);
    this.orderedY = Float64Array.from(this.rowOrder, (i) => y[i]);
    const nzCol: number[] = [];
    const nzVal: number[] = [];
    this.nzStart = new Int32Array(groups + 1);
    firstRow.forEach((i, g) => {
      for (let j = 0; j < cols; j++) {
        const v = design[i * cols + j];
        if (v !== 0) {
          nzCol.push(j);
          nzVal.push(v);
        }
      }
      this.nzStart[g + 1] = nzCol.length;
    });
    this.nzCol = Int32Array.from(nzCol);
    this.nzVal = Float64Array.from(nzVal);
    this.padded = 4 * Math.ceil(groups / 4);
    this.orderedW = new Float64Array(rows);
    this.squared = new Float64Array(cols * this.padded);
    this.mixed = new Float64Array(cols * this.padded);
    this.rotatedRow = new Float64Array(cols);
    this.groupLeverage = new Float64Array(this.padded);
    this.groupFitted = new Float64Array(this.padded);
  }

  /** Selects the penalty by leave-one-out error and fits with `weights` (`null` = unit weights). */
  fit(weights: ArrayLike<number> | null = null): RidgeLooFit {
    const { rows, cols, groups, padded, core, rowOrder, rowGroup, groupStart, orderedY, orderedW, nzStart, nzCol, nzVal } = this;
    const { squared, mixed, groupLeverage, groupFitted, rotatedRow } = this;
    const total = readWeights(weights, rowOrder, orderedW);
    let yMean = 0;
    for (let r = 0; r < rows; r++) yMean += orderedW[r] * orderedY[r];
    yMean /= total;
    core.reset();
    const { gram, mean, cross } = core;
    for (let g = 0; g < groups; g++) {
      let gw = 0;
      let gr = 0;
      for (let r = groupStart[g]; r < groupStart[g + 1]; r++) {
        gw += orderedW[r];
        gr += orderedW[r] * (orderedY[r] - yMean);
      }
      for (let a = nzStart[g]; a < nzStart[g + 1]; a++) {
        const ca = nzCol[a];
        const wa = gw * nzVal[a];
        mean[ca] += wa;
        cross[ca] += gr * nzVal[a];
        for (let b = a; b < nzStart[g + 1]; b++) gram[ca * cols + nzCol[b]] += wa * nzVal[b];
      }
    }
    core.solve(total);
    const { vectors, rotatedMean, projection, inverse, alphas } = core;
    // Per distinct row, q = Vᵀ(x − x̄): store q² and q·z.
    for (let g = 0; g < groups; g++) {
      for (let e = 0; e < cols; e++) rotatedRow[e] = -rotatedMean[e];
      for (let a = nzStart[g]; a < nzStart[g + 1]; a++) {
        const v = nzVal[a];
        const row = nzCol[a] * cols;
        for (let e = 0; e < cols; e++) rotatedRow[e] += v * vectors[row + e];
      }
      for (let e = 0; e < cols; e++) {
        const q = rotatedRow[e];
        squared[e * padded + g] = q * q;
        mixed[e * padded + g] = q * projection[e];
      }
    }
    // Leave-one-out error for every alpha; four groups at a time (padding groups are never read back).
    const looMse = new Float64Array(alphas.length);
    const baseLeverage = 1 / total;
    for (let a = 0; a < alphas.length; a++) {
      const d0 = a * cols;
      for (let g = 0; g < groups; g += 4) {
        let h0 = baseLeverage;
        let h1 = baseLeverage;
        let h2 = baseLeverage;
        let h3 = baseLeverage;
        let f0 = 0;
        let f1 = 0;
        let f2 = 0;
        let f3 = 0;
        for (let e = 0; e < cols; e++) {
          const d = inverse[d0 + e];
          const b = e * padded + g;
          h0 += squared[b] * d;
          h1 += squared[b + 1] * d;
          h2 += squared[b + 2] * d;
          h3 += squared[b + 3] * d;
          f0 += mixed[b] * d;
          f1 += mixed[b + 1] * d;
          f2 += mixed[b + 2] * d;
          f3 += mixed[b + 3] * d;
        }
        groupLeverage[g] = h0;
        groupLeverage[g + 1] = h1;
        groupLeverage[g + 2] = h2;
        groupLeverage[g + 3] = h3;
        groupFitted[g] = f0;
        groupFitted[g + 1] = f1;
        groupFitted[g + 2] = f2;
        groupFitted[g + 3] = f3;
      }
      let sum = 0;
      for (let r = 0; r < rows; r++) {
        const g = rowGroup[r];
        const w = orderedW[r];
        const residual = orderedY[r] - yMean - groupFitted[g];
        const denominator = 1 - w * groupLeverage[g];
        sum += (w * residual * residual) / (denominator * denominator);
      }
      looMse[a] = sum / rows;
    }
    return core.finish(looMse, yMean);
  }
}

/** Coefficients per span and alpha: 7 of the leverage polynomial κ(u) + 1/W, then 4 of f(u). */
const SPAN_TERMS = 11;

/**
 * Ridge LOO for the design of ONE feature column expanded by a `SplineBasis`: row i holds the four
 * cubic B-splines of its knot span sᵢ (minus the column's dropped last spline) at position uᵢ in the
 * span, i.e. cubic polynomials in uᵢ ({@link UNIFORM_CUBIC_PIECES}). Weighted moments Σ w·u^k per span give the Gram matrix, and κ, f
 * are evaluated as polynomials in u. Same results as {@link RidgeLooFitter} on the dense design (up
 * to rounding), at a fraction of the cost; allocates only the returned arrays per fit.
 */
export class SplineRidgeLooFitter {
  /** Number of training rows. */
  readonly rows: number;
  /** Number of design columns (`nKnots + 1`). */
  readonly cols: number;
  private readonly core: RidgeCore;
  private readonly spans: number;
  /** Rows ordered by span (span s owns positions `spanStart[s] .. spanStart[s+1]`). */
  private readonly rowOrder: Int32Array;
  private readonly spanStart: Int32Array;
  private readonly orderedU: Float64Array;
  private readonly orderedY: Float64Array;
  // Scratch reused by every fit.
  private readonly orderedW: Float64Array;
  private readonly moments: Float64Array;
  /** Per eigen-coordinate of one span: the 11 polynomial coefficients of qₑ² and qₑzₑ. */
  private readonly spanPolynomials: Float64Array;
  /** `table[(s * alphas + a) * SPAN_TERMS + k]`: coefficients of κ + 1/W and f on span s at alpha a. */
  private readonly table: Float64Array;
  private readonly sums: Float64Array;
  /** Ordered rows of point p are `pointStart[p] .. pointStart[p+1]` (same span, same position). */
  private readonly pointStart: number[];

  /**
   * @param basis single-feature basis of the training rows (from `SplineBasis.transform`)
   * @param y targets (finite)
   * @param alphas candidate penalties (positive; default {@link DEFAULT_RIDGE_ALPHAS})
   */
  constructor(basis: BasisMatrix, y: ArrayLike<number>, alphas: ArrayLike<number> = DEFAULT_RIDGE_ALPHAS) {
    if (basis.spline.features !== 1) throw new RangeError(`ridge: spline fitter needs one feature, got ${basis.spline.features}`);
    if (basis.spline.isConstant(0)) throw new RangeError("ridge: spline fitter needs a non-constant column");
    const rows = basis.rows;
    if (rows < 2) throw new RangeError(`ridge: need at least 2 rows, got ${rows}`);
    checkTargets(y, rows);
    this.rows = rows;
    this.cols = basis.spline.width;
    this.core = new RidgeCore(this.cols, Float64Array.from(alphas));
    this.spans = this.cols - 2;
    this.spanStart = new Int32Array(this.spans + 1);
    for (let i = 0; i < rows; i++) this.spanStart[basis.first[i] + 1]++;
    for (let s = 0; s < this.spans; s++) this.spanStart[s + 1] += this.spanStart[s];
    this.rowOrder = new Int32Array(rows);
    const next = this.spanStart.slice(0, this.spans);
    for (let i = 0; i < rows; i++) this.rowOrder[next[basis.first[i]]++] = i;
    // Within a span, order rows by position so rows at the same point (tied judge scores) are adjacent.
    for (let s = 0; s < this.spans; s++) {
      this.rowOrder.subarray(this.spanStart[s], this.spanStart[s + 1]).sort((a, b) => basis.local[a] - basis.local[b] || a - b);
    }
    this.orderedU = Float64Array.from(this.rowOrder, (i) => basis.local[i]);
    this.orderedY = Float64Array.from(this.rowOrder, (i) => y[i]);
    // Distinct points: κ and f are evaluated once per point and alpha, not once per row.
    this.pointStart = [];
    for (let r = 0; r < rows; r++) {
      const newSpan = this.spanStart.includes(r);
      if (r === 0 || newSpan || this.orderedU[r] !== this.orderedU[r - 1]) this.pointStart.push(r);
    }
    this.pointStart.push(rows);
    this.orderedW = new Float64Array(rows);
    this.moments = new Float64Array(7);
    this.spanPolynomials = new Float64Array(this.cols * SPAN_TERMS);
    this.table = new Float64Array(this.spans * this.core.alphas.length * SPAN_TERMS);
    this.sums = new Float64Array(this.core.alphas.length);
  }

  /** Selects the penalty by leave-one-out error and fits with `weights` (`null` = unit weights). */
  fit(weights: ArrayLike<number> | null = null): RidgeLooFit {
    const { rows, cols, spans, core, rowOrder, spanStart, orderedU, orderedY, orderedW, spanPolynomials, table, sums } = this;
    const total = readWeights(weights, rowOrder, orderedW);
    let yMean = 0;
    for (let r = 0; r < rows; r++) yMean += orderedW[r] * orderedY[r];
    yMean /= total;
    core.reset();
    const { gram, mean, cross } = core;
    const P = UNIFORM_CUBIC_PIECES;
    const moments = this.moments;
    // Per span: moments Σ w·u^k (k ≤ 6) and Σ w(y − ȳ)u^k (k ≤ 3), mapped through the pieces.
    for (let s = 0; s < spans; s++) {
      let m0 = 0,
        m1 = 0,
        m2 = 0,
        m3 = 0,
        m4 = 0,
        m5 = 0,
        m6 = 0;
      let n0 = 0,
        n1 = 0,
        n2 = 0,
        n3 = 0;
      for (let r = spanStart[s]; r < spanStart[s + 1]; r++) {
        const u = orderedU[r];
        const w = orderedW[r];
        const wy = w * (orderedY[r] - yMean);
        const wu = w * u;
        const wu2 = wu * u;
        const wu3 = wu2 * u;
        m0 += w;
        m1 += wu;
        m2 += wu2;
        m3 += wu3;
        m4 += wu3 * u;
        m5 += wu3 * u * u;
        m6 += wu3 * u * u * u;
        n0 += wy;
        n1 += wy * u;
        n2 += wy * u * u;
        n3 += wy * u * u * u;
      }
      if (spanStart[s + 1] === spanStart[s]) continue;
      moments[0] = m0;
      moments[1] = m1;
      moments[2] = m2;
      moments[3] = m3;
      moments[4] = m4;
      moments[5] = m5;
      moments[6] = m6;
      for (let a = 0; a < 4 && s + a < cols; a++) {
        const ca = s + a;
        mean[ca] += P[4 * a] * m0 + P[4 * a + 1] * m1 + P[4 * a + 2] * m2 + P[4 * a + 3] * m3;
        cross[ca] += P[4 * a] * n0 + P[4 * a + 1] * n1 + P[4 * a + 2] * n2 + P[4 * a + 3] * n3;
        for (let b = a; b < 4 && s + b < cols; b++) {
          // Σ w·Bₐ(u)·B_b(u) = Σ_{d,d'} Pₐ[d]·P_b[d']·m_{d+d'}.
          let v = 0;
          for (let d = 0; d < 4; d++) {
            for (let e = 0; e < 4; e++) v += P[4 * a + d] * P[4 * b + e] * moments[d + e];
          }
          gram[ca * cols + s + b] += v;
        }
      }
    }
    core.solve(total);
    const { vectors, rotatedMean, projection, inverse, alphas } = core;
    const nAlphas = alphas.length;
    const baseLeverage = 1 / total;
    // Per span: q(u) = Vᵀ(B(u) − x̄) has cubic coordinates r₀..r₃; tabulate κ + 1/W and f per alpha.
    for (let s = 0; s < spans; s++) {
      if (spanStart[s + 1] === spanStart[s]) continue;
      for (let e = 0; e < cols; e++) {
        let r0 = -rotatedMean[e],
          r1 = 0,
          r2 = 0,
          r3 = 0;
        for (let a = 0; a < 4 && s + a < cols; a++) {
          const v = vectors[(s + a) * cols + e];
          r0 += v * P[4 * a];
          r1 += v * P[4 * a + 1];
          r2 += v * P[4 * a + 2];
          r3 += v * P[4 * a + 3];
        }
        const z = projection[e];
        const o = e * SPAN_TERMS;
        spanPolynomials[o] = r0 * r0;
        spanPolynomials[o + 1] = 2 * r0 * r1;
        spanPolynomials[o + 2] = r1 * r1 + 2 * r0 * r2;
        spanPolynomials[o + 3] = 2 * (r0 * r3 + r1 * r2);
        spanPolynomials[o + 4] = r2 * r2 + 2 * r1 * r3;
        spanPolynomials[o + 5] = 2 * r2 * r3;
        spanPolynomials[o + 6] = r3 * r3;
        spanPolynomials[o + 7] = r0 * z;
        spanPolynomials[o + 8] = r1 * z;
        spanPolynomials[o + 9] = r2 * z;
        spanPolynomials[o + 10] = r3 * z;
      }
      for (let a = 0; a < nAlphas; a++) {
        let k0 = baseLeverage,
          k1 = 0,
          k2 = 0,
          k3 = 0,
          k4 = 0,
          k5 = 0,
          k6 = 0;
        let f0 = 0,
          f1 = 0,
          f2 = 0,
          f3 = 0;
        for (let e = 0; e < cols; e++) {
          const d = inverse[a * cols + e];
          const o = e * SPAN_TERMS;
          k0 += spanPolynomials[o] * d;
          k1 += spanPolynomials[o + 1] * d;
          k2 += spanPolynomials[o + 2] * d;
          k3 += spanPolynomials[o + 3] * d;
          k4 += spanPolynomials[o + 4] * d;
          k5 += spanPolynomials[o + 5] * d;
          k6 += spanPolynomials[o + 6] * d;
          f0 += spanPolynomials[o + 7] * d;
          f1 += spanPolynomials[o + 8] * d;
          f2 += spanPolynomials[o + 9] * d;
          f3 += spanPolynomials[o + 10] * d;
        }
        const t = (s * nAlphas + a) * SPAN_TERMS;
        table[t] = k0;
        table[t + 1] = k1;
        table[t + 2] = k2;
        table[t + 3] = k3;
        table[t + 4] = k4;
        table[t + 5] = k5;
        table[t + 6] = k6;
        table[t + 7] = f0;
        table[t + 8] = f1;
        table[t + 9] = f2;
        table[t + 10] = f3;
      }
    }
    // eᵢ² = wᵢ(yᵢ − ȳ − f(uᵢ))² / (1 − wᵢ(1/W + κ(uᵢ)))², every alpha per row; κ and f once per point.
    sums.fill(0);
    const { pointStart } = this;
    let span = 0;
    for (let p = 0; p + 1 < pointStart.length; p++) {
      const first = pointStart[p];
      while (spanStart[span + 1] <= first) span++;
      const u = orderedU[first];
      const u2 = u * u;
      const u3 = u2 * u;
      const u4 = u2 * u2;
      const u5 = u3 * u2;
      const u6 = u3 * u3;
      for (let a = 0, t = span * nAlphas * SPAN_TERMS; a < nAlphas; a++, t += SPAN_TERMS) {
        const leverage = table[t] + table[t + 1] * u + table[t + 2] * u2 + table[t + 3] * u3 + (table[t + 4] * u4 + table[t + 5] * u5 + table[t + 6] * u6);
        const fitted = yMean + table[t + 7] + table[t + 8] * u + table[t + 9] * u2 + table[t + 10] * u3;
        let sum = 0;
        for (let r = first; r < pointStart[p + 1]; r++) {
          const w = orderedW[r];
          const residual = orderedY[r] - fitted;
          const denominator = 1 - w * leverage;
          sum += (w * residual * residual) / (denominator * denominator);
        }
        sums[a] += sum;
      }
    }
    const looMse = new Float64Array(nAlphas);
    for (let a = 0; a < nAlphas; a++) looMse[a] = sums[a] / rows;
    return core.finish(looMse, yMean);
  }
}

/** Fits once (see {@link RidgeLooFitter} for repeated fits of the same rows). */
export function fitRidgeLoo(
  design: ArrayLike<number>,
  rows: number,
  cols: number,
  y: ArrayLike<number>,
  weights: ArrayLike<number> | null = null,
  alphas: ArrayLike<number> = DEFAULT_RIDGE_ALPHAS,
): RidgeLooFit {
  return new RidgeLooFitter(design, rows, cols, y, alphas).fit(weights);
}

/** Safety cap on Jacobi sweeps (convergence is quadratic; a handful normally suffice). */
const MAX_SWEEPS = 50;
/** Off-diagonal entries below this fraction of ‖A‖_F count as zero (about ε/20). */
const NEGLIGIBLE = Number.EPSILON / 20;

/**
 * Eigendecomposition of a real symmetric `n × n` matrix by the cyclic Jacobi method: plane
 * rotations annihilate each off-diagonal entry in turn, sweep after sweep, until every off-diagonal
 * entry is negligible against the matrix norm. Only the upper triangle of `a` (row-major) is read
 * and it is overwritten; eigenvalues go to `values` (unsorted) and the matching orthonormal
 * eigenvectors to the COLUMNS of `vectors` (row-major `n × n`).
 */
export function symmetricEigen(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): void {
  vectors.fill(0);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    vectors[i * n + i] = 1;
    norm += a[i * n + i] * a[i * n + i];
    for (let j = i + 1; j < n; j++) norm += 2 * a[i * n + j] * a[i * n + j];
  }
  const tolerance = NEGLIGIBLE * Math.sqrt(norm);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotations = 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) <= tolerance) {
          a[p * n + q] = 0;
          continue;
        }
        rotations++;
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        // t = tan of the angle that zeroes a_pq: the smaller root of t² + 2θt − 1 = 0.
        const theta = (aqq - app) / (2 * apq);
        const t = Math.abs(theta) > 1e150 ? 1 / (2 * theta) : (theta < 0 ? -1 : 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        a[p * n + p] = app - t * apq;
        a[q * n + q] = aqq + t * apq;
        a[p * n + q] = 0;
        // Rows/columns p and q of the other indices k, addressed in the upper triangle.
        for (let k = 0; k < p; k++) rotate(a, k * n + p, k * n + q, c, s);
        for (let k = p + 1; k < q; k++) rotate(a, p * n + k, k * n + q, c, s);
        for (let k = q + 1; k < n; k++) rotate(a, p * n + k, q * n + k, c, s);
        for (let k = 0; k < n; k++) rotate(vectors, k * n + p, k * n + q, c, s);
      }
    }
    if (rotations === 0) break;
  }
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
}

/** (m[i], m[j]) ← (c·m[i] − s·m[j], s·m[i] + c·m[j]). */
function rotate(m: Float64Array, i: number, j: number, c: number, s: number): void {
  const x = m[i];
  const y = m[j];
  m[i] = c * x - s * y;
  m[j] = s * x + c * y;
}
