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
 * qᵢ = Vᵀ(xᵢ − x̄) and z = VᵀX̃ᵀỹ, hᵢᵢ = wᵢ/W + wᵢ Σⱼ qᵢⱼ²/(λⱼ + α) and
 * (Hỹ)ᵢ = √wᵢ Σⱼ qᵢⱼ zⱼ/(λⱼ + α), so every alpha costs O(n·p). Rows with identical design rows share
 * qᵢ, so the work per alpha is O(distinct rows · p + n).
 */

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
 * Precomputed distinct design rows for one training set. `fit(weights)` selects the penalty and
 * fits for any positive weight vector, reusing internal buffers: it allocates only the returned
 * `looMse` and `coefficients` arrays.
 */
export class RidgeLooFitter {
  /** Number of training rows. */
  readonly rows: number;
  /** Number of design columns. */
  readonly cols: number;
  /** Candidate penalties, in the order ties are broken. */
  readonly alphas: Float64Array;
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
  /** The same entries by column: `colStart[j] .. colStart[j+1]` index `colGroup`/`colVal`. */
  private readonly colStart: Int32Array;
  private readonly colGroup: Int32Array;
  private readonly colVal: Float64Array;
  /** Number of groups rounded up to a multiple of 4 (the LOO loop takes four groups at a time). */
  private readonly padded: number;
  // Scratch reused by every fit.
  private readonly orderedW: Float64Array;
  private readonly groupWeight: Float64Array;
  private readonly groupResidual: Float64Array;
  private readonly mean: Float64Array;
  private readonly crossProduct: Float64Array;
  private readonly gram: Float64Array;
  private readonly vectors: Float64Array;
  private readonly eigenvalues: Float64Array;
  private readonly rotatedMean: Float64Array;
  private readonly projection: Float64Array;
  /** Eigen-coordinate e of group g at `e * padded + g`: qₑ² and qₑzₑ with q = Vᵀ(x − x̄). */
  private readonly squared: Float64Array;
  private readonly mixed: Float64Array;
  /** `inverse[a * cols + e] = 1 / (λₑ + αₐ)`. */
  private readonly inverse: Float64Array;
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
    if (y.length !== rows) throw new RangeError(`ridge: y has ${y.length} rows, expected ${rows}`);
    if (alphas.length === 0) throw new RangeError("ridge: no candidate penalties");
    for (let a = 0; a < alphas.length; a++) {
      if (!(alphas[a] > 0) || !Number.isFinite(alphas[a])) throw new RangeError(`ridge: penalty ${a} must be positive and finite, got ${alphas[a]}`);
    }
    for (let i = 0; i < rows; i++) {
      if (!Number.isFinite(y[i])) throw new RangeError(`ridge: row ${i}: non-finite target ${y[i]}`);
      for (let j = 0; j < cols; j++) {
        const v = design[i * cols + j];
        if (!Number.isFinite(v)) throw new RangeError(`ridge: row ${i}, column ${j}: non-finite design value ${v}`);
      }
    }
    this.rows = rows;
    this.cols = cols;
    this.alphas = Float64Array.from(alphas);
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
    this.colStart = new Int32Array(cols + 1);
    for (const j of nzCol) this.colStart[j + 1]++;
    for (let j = 0; j < cols; j++) this.colStart[j + 1] += this.colStart[j];
    this.colGroup = new Int32Array(nzCol.length);
    this.colVal = new Float64Array(nzCol.length);
    const next = this.colStart.slice(0, cols);
    for (let g = 0; g < groups; g++) {
      for (let a = this.nzStart[g]; a < this.nzStart[g + 1]; a++) {
        const k = next[nzCol[a]]++;
        this.colGroup[k] = g;
        this.colVal[k] = nzVal[a];
      }
    }

    const padded = 4 * Math.ceil(groups / 4);
    this.padded = padded;
    this.orderedW = new Float64Array(rows);
    this.groupWeight = new Float64Array(groups);
    this.groupResidual = new Float64Array(groups);
    this.mean = new Float64Array(cols);
    this.crossProduct = new Float64Array(cols);
    this.gram = new Float64Array(cols * cols);
    this.vectors = new Float64Array(cols * cols);
    this.eigenvalues = new Float64Array(cols);
    this.rotatedMean = new Float64Array(cols);
    this.projection = new Float64Array(cols);
    this.squared = new Float64Array(cols * padded);
    this.mixed = new Float64Array(cols * padded);
    this.inverse = new Float64Array(this.alphas.length * cols);
    this.groupLeverage = new Float64Array(padded);
    this.groupFitted = new Float64Array(padded);
  }

  /** Selects the penalty by leave-one-out error and fits with `weights` (`null` = unit weights). */
  fit(weights: ArrayLike<number> | null = null): RidgeLooFit {
    const { rows, cols, groups, rowOrder, groupStart, orderedY, orderedW, nzStart, nzCol, nzVal } = this;
    const { groupWeight, groupResidual, mean, crossProduct, gram, vectors, eigenvalues } = this;
    if (weights !== null && weights.length !== rows) throw new RangeError(`ridge: ${weights.length} weights for ${rows} rows`);
    // Weights in group order; weighted means.
    let total = 0;
    let yMean = 0;
    for (let r = 0; r < rows; r++) {
      const i = rowOrder[r];
      const w = weights === null ? 1 : weights[i];
      if (!(w > 0) || !Number.isFinite(w)) throw new RangeError(`ridge: row ${i}: weight must be positive and finite, got ${w}`);
      orderedW[r] = w;
      total += w;
      yMean += w * orderedY[r];
    }
    yMean /= total;
    // Per group: total weight and Σ wᵢ(yᵢ − ȳ); uncentred weighted Gram Σ wᵢxᵢxᵢᵀ (upper triangle),
    // Σ wᵢxᵢ and Xᵀ(w ⊙ (y − ȳ)), all from the sparse distinct rows.
    mean.fill(0);
    crossProduct.fill(0);
    gram.fill(0);
    for (let g = 0; g < groups; g++) {
      let gw = 0;
      let gr = 0;
      for (let r = groupStart[g]; r < groupStart[g + 1]; r++) {
        gw += orderedW[r];
        gr += orderedW[r] * (orderedY[r] - yMean);
      }
      groupWeight[g] = gw;
      groupResidual[g] = gr;
      for (let a = nzStart[g]; a < nzStart[g + 1]; a++) {
        const ca = nzCol[a];
        const va = nzVal[a];
        mean[ca] += gw * va;
        crossProduct[ca] += gr * va;
        const wa = gw * va;
        for (let b = a; b < nzStart[g + 1]; b++) gram[ca * cols + nzCol[b]] += wa * nzVal[b];
      }
    }
    for (let j = 0; j < cols; j++) mean[j] /= total;
    // Centre: X̃ᵀX̃ = Σ wᵢxᵢxᵢᵀ − W x̄x̄ᵀ (Σ wᵢ(yᵢ − ȳ) = 0 already centres the cross product).
    for (let j = 0; j < cols; j++) {
      for (let k = j; k < cols; k++) {
        const v = gram[j * cols + k] - total * mean[j] * mean[k];
        gram[j * cols + k] = v;
        gram[k * cols + j] = v;
      }
    }
    symmetricEigen(gram, cols, eigenvalues, vectors);
    const { rotatedMean, projection, squared, mixed, inverse, groupLeverage, groupFitted, alphas, rowGroup, padded, colStart, colGroup, colVal } = this;
    // z = VᵀX̃ᵀỹ and Vᵀx̄.
    for (let e = 0; e < cols; e++) {
      let sz = 0;
      let sm = 0;
      for (let j = 0; j < cols; j++) {
        sz += vectors[j * cols + e] * crossProduct[j];
        sm += vectors[j * cols + e] * mean[j];
      }
      projection[e] = sz;
      rotatedMean[e] = sm;
    }
    // Per distinct row, q = Vᵀ(x − x̄) (column by column over the sparse entries): store q² and q·z.
    for (let e = 0; e < cols; e++) squared.fill(-rotatedMean[e], e * padded, e * padded + groups);
    for (let j = 0; j < cols; j++) {
      for (let e = 0; e < cols; e++) {
        const v = vectors[j * cols + e];
        const base = e * padded;
        for (let k = colStart[j]; k < colStart[j + 1]; k++) squared[base + colGroup[k]] += colVal[k] * v;
      }
    }
    for (let e = 0; e < cols; e++) {
      const z = projection[e];
      for (let g = e * padded, end = g + groups; g < end; g++) {
        const q = squared[g];
        squared[g] = q * q;
        mixed[g] = q * z;
      }
    }
    for (let a = 0; a < alphas.length; a++) {
      for (let e = 0; e < cols; e++) inverse[a * cols + e] = 1 / (eigenvalues[e] + alphas[a]);
    }
    // Leave-one-out error for every alpha; four groups at a time (the padding groups are zeros).
    const looMse = new Float64Array(alphas.length);
    const baseLeverage = 1 / total;
    let best = 0;
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
      // eᵢ² = wᵢ(yᵢ − ȳ − fᵢ)² / (1 − hᵢᵢ)², hᵢᵢ = wᵢ(1/W + κᵢ).
      let sum = 0;
      for (let r = 0; r < rows; r++) {
        const g = rowGroup[r];
        const w = orderedW[r];
        const residual = orderedY[r] - yMean - groupFitted[g];
        const denominator = 1 - w * groupLeverage[g];
        sum += (w * residual * residual) / (denominator * denominator);
      }
      looMse[a] = sum / rows;
      if (looMse[a] < looMse[best]) best = a;
    }
    // Coefficients at the chosen alpha: β = V diag(1/(λ + α)) z, intercept ȳ − x̄ᵀβ.
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
 * entry is negligible against the matrix norm. `a` (row-major, both triangles) is overwritten;
 * eigenvalues go to `values` (unsorted) and the matching orthonormal eigenvectors to the COLUMNS of
 * `vectors` (row-major `n × n`).
 */
export function symmetricEigen(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): void {
  vectors.fill(0);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    vectors[i * n + i] = 1;
    for (let j = 0; j < n; j++) norm += a[i * n + j] * a[i * n + j];
  }
  const tolerance = NEGLIGIBLE * Math.sqrt(norm);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotations = 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) <= tolerance) {
          a[p * n + q] = 0;
          a[q * n + p] = 0;
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
        a[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          if (k !== p && k !== q) {
            const akp = a[k * n + p];
            const akq = a[k * n + q];
            const np = c * akp - s * akq;
            const nq = s * akp + c * akq;
            a[k * n + p] = np;
            a[p * n + k] = np;
            a[k * n + q] = nq;
            a[q * n + k] = nq;
          }
          const vkp = vectors[k * n + p];
          const vkq = vectors[k * n + q];
          vectors[k * n + p] = c * vkp - s * vkq;
          vectors[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
    if (rotations === 0) break;
  }
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
}
