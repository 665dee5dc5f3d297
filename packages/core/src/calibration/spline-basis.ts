/**
 * Cubic B-spline features per column with scikit-learn `SplineTransformer(knots="uniform",
 * degree=3, include_bias=False, extrapolation="constant")` semantics (method-direct §2.3.3):
 *
 * * per column, `nKnots` base knots are spaced uniformly between the column's minimum and maximum
 *   over the training rows (numpy `linspace` arithmetic), then `degree` more knots are added beyond
 *   each end with the spacing of the two outermost base knots — the knots are never repeated;
 * * a column then has `nKnots + degree − 1` B-splines; `include_bias=False` drops the last one, so
 *   the design has `nKnots + degree − 2` (= `nKnots + 1` for cubics) columns per feature;
 * * constant extrapolation: a value outside the training range gets the basis values at the nearest
 *   end of the range (equivalently, the query is clamped into the range).
 *
 * A column that is constant over the training rows has no uniform knot grid (scikit-learn would
 * produce NaN features); here its basis values are all zero, so it carries no information.
 */

/** Polynomial degree of the index-model splines (scikit-learn's default, cubic). */
export const SPLINE_DEGREE = 3;

/** Basis functions of one column that can be non-zero at a point (degree + 1). */
const LOCAL = SPLINE_DEGREE + 1;

/**
 * The four cubic B-splines that are non-zero on a span [t_l, t_{l+1}] of a uniform knot vector, as
 * polynomials in the local coordinate u = (x − t_l)/(t_{l+1} − t_l) ∈ [0, 1]:
 * `B_{l−3+m}(x) = Σ_d UNIFORM_CUBIC_PIECES[4m + d]·u^d` (the cardinal cubic B-spline pieces).
 */
export const UNIFORM_CUBIC_PIECES: Float64Array = Float64Array.of(
  1 / 6,
  -1 / 2,
  1 / 2,
  -1 / 6,
  2 / 3,
  0,
  -1,
  1 / 2,
  1 / 6,
  1 / 2,
  1 / 2,
  -1 / 2,
  0,
  0,
  0,
  1 / 6,
);

/**
 * B-spline basis values of some rows, in banded form: for each row and feature only the
 * `SPLINE_DEGREE + 1` basis functions that can be non-zero there are stored. Produced by
 * {@link SplineBasis.transform}; {@link basisToDense} gives scikit-learn's dense output.
 */
export interface BasisMatrix {
  /** The transformer (and hence the knots) that produced these values. */
  readonly spline: SplineBasis;
  /** Number of rows. */
  readonly rows: number;
  /**
   * `first[r * features + f]`: index, within feature `f`'s full block of
   * `spline.splinesPerFeature` functions, of the first locally non-zero basis function of row `r`.
   */
  readonly first: Int32Array;
  /** `values[(r * features + f) * (SPLINE_DEGREE + 1) + m]`: value of basis function `first + m`. */
  readonly values: Float64Array;
  /** `local[r * features + f]`: position of the (clamped) value within its knot span, in [0, 1]. */
  readonly local: Float64Array;
}

/** Uniform-knot cubic B-spline transformer fitted to training columns. */
export class SplineBasis {
  /** Number of feature columns. */
  readonly features: number;
  /** Base knots per column (before the extension beyond each end). */
  readonly nKnots: number;
  /** B-splines per column including the one dropped by `include_bias=False`. */
  readonly splinesPerFeature: number;
  /** Design columns: `features × (splinesPerFeature − 1)`. */
  readonly width: number;
  /** Full knot vector per column (`nKnots + 2·SPLINE_DEGREE` knots), or all-equal for a constant column. */
  readonly knots: readonly Float64Array[];

  /**
   * @param trainColumns training rows, one array per feature (equal lengths, finite values)
   * @param nKnots number of base knots per column (at least 2)
   */
  constructor(trainColumns: readonly ArrayLike<number>[], nKnots: number) {
    if (trainColumns.length === 0) throw new RangeError("spline basis: no feature columns");
    if (!Number.isInteger(nKnots) || nKnots < 2) throw new RangeError(`spline basis: nKnots must be an integer ≥ 2, got ${nKnots}`);
    const n = trainColumns[0].length;
    if (n === 0) throw new RangeError("spline basis: no training rows");
    this.features = trainColumns.length;
    this.nKnots = nKnots;
    this.splinesPerFeature = nKnots + SPLINE_DEGREE - 1;
    this.width = this.features * (this.splinesPerFeature - 1);
    this.knots = trainColumns.map((column, f) => {
      checkColumn(column, n, f, "training");
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        if (column[i] < lo) lo = column[i];
        if (column[i] > hi) hi = column[i];
      }
      return knotVector(lo, hi, nKnots);
    });
  }

  /** Whether feature `f` is constant over the training rows (its basis is then all zero). */
  isConstant(f: number): boolean {
    const t = this.knots[f];
    return !(t[this.splinesPerFeature] > t[SPLINE_DEGREE]);
  }

  /** Basis values of arbitrary rows (one array per feature, equal lengths, finite values). */
  transform(columns: readonly ArrayLike<number>[]): BasisMatrix {
    if (columns.length !== this.features) {
      throw new RangeError(`spline basis: expected ${this.features} feature columns, got ${columns.length}`);
    }
    const rows = columns[0].length;
    const first = new Int32Array(rows * this.features);
    const values = new Float64Array(rows * this.features * LOCAL);
    const local = new Float64Array(rows * this.features);
    for (let f = 0; f < this.features; f++) {
      const column = columns[f];
      checkColumn(column, rows, f, "evaluation");
      if (this.isConstant(f)) continue;
      const t = this.knots[f];
      const lo = t[SPLINE_DEGREE];
      const hi = t[this.splinesPerFeature];
      for (let r = 0; r < rows; r++) {
        const x = column[r] < lo ? lo : column[r] > hi ? hi : column[r];
        const cell = r * this.features + f;
        const l = localBasis(t, this.splinesPerFeature, x, values, cell * LOCAL);
        first[cell] = l - SPLINE_DEGREE;
        local[cell] = (x - t[l]) / (t[l + 1] - t[l]);
      }
    }
    return { spline: this, rows, first, values, local };
  }
}

/**
 * scikit-learn's dense `SplineTransformer` output for `basis`: row-major `rows × width`, feature
 * blocks side by side, the last B-spline of each block dropped.
 */
export function basisToDense(basis: BasisMatrix): Float64Array {
  const { spline, rows, first, values } = basis;
  const kept = spline.splinesPerFeature - 1;
  const out = new Float64Array(rows * spline.width);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < spline.features; f++) {
      const cell = r * spline.features + f;
      for (let m = 0; m < LOCAL; m++) {
        const j = first[cell] + m;
        if (j < kept) out[r * spline.width + f * kept + j] += values[cell * LOCAL + m];
      }
    }
  }
  return out;
}

/** numpy `linspace(start, stop, num)` element `k`: `k·step + start`, the last one exactly `stop`. */
function linspaceAt(start: number, stop: number, num: number, k: number): number {
  return k === num - 1 ? stop : k * ((stop - start) / (num - 1)) + start;
}

function knotVector(lo: number, hi: number, nKnots: number): Float64Array {
  const t = new Float64Array(nKnots + 2 * SPLINE_DEGREE);
  for (let k = 0; k < nKnots; k++) t[SPLINE_DEGREE + k] = linspaceAt(lo, hi, nKnots, k);
  const first = t[SPLINE_DEGREE];
  const last = t[SPLINE_DEGREE + nKnots - 1];
  const dMin = t[SPLINE_DEGREE + 1] - first;
  const dMax = last - t[SPLINE_DEGREE + nKnots - 2];
  for (let k = 0; k < SPLINE_DEGREE; k++) {
    t[k] = linspaceAt(first - SPLINE_DEGREE * dMin, first - dMin, SPLINE_DEGREE, k);
    t[SPLINE_DEGREE + nKnots + k] = linspaceAt(last + dMax, last + SPLINE_DEGREE * dMax, SPLINE_DEGREE, k);
  }
  return t;
}

/**
 * Writes the `SPLINE_DEGREE + 1` B-splines that can be non-zero at `x` (with
 * `t[degree] ≤ x ≤ t[nSplines]`) into `out[at..]` and returns the span `l`. Uses the
 * knot span `t[l] ≤ x < t[l+1]` (the last span for `x = t[nSplines]`) and the triangular de Boor
 * recurrence, which raises the degree one step at a time by redistributing each value between
 * its two neighbours in proportion to the distance of `x` from the knots.
 */
function localBasis(t: Float64Array, nSplines: number, x: number, out: Float64Array, at: number): number {
  const k = SPLINE_DEGREE;
  let l = k + Math.floor((x - t[k]) / (t[k + 1] - t[k]));
  if (l > nSplines - 1) l = nSplines - 1;
  if (l < k) l = k;
  while (l > k && x < t[l]) l--;
  while (l < nSplines - 1 && x >= t[l + 1]) l++;
  out[at] = 1;
  for (let j = 1; j <= k; j++) {
    let carry = 0;
    for (let r = 0; r < j; r++) {
      const right = t[l + r + 1];
      const left = t[l + r + 1 - j];
      const share = out[at + r] / (right - left);
      out[at + r] = carry + share * (right - x);
      carry = share * (x - left);
    }
    out[at + j] = carry;
  }
  return l;
}

function checkColumn(column: ArrayLike<number>, rows: number, f: number, what: string): void {
  if (column.length !== rows) {
    throw new RangeError(`spline basis: ${what} column ${f} has ${column.length} rows, expected ${rows}`);
  }
  for (let i = 0; i < rows; i++) {
    if (!Number.isFinite(column[i])) throw new RangeError(`spline basis: ${what} column ${f}, row ${i}: non-finite value ${column[i]}`);
  }
}
