/**
 * Weighted isotonic regression with scikit-learn `IsotonicRegression(y_min=0, y_max=1,
 * out_of_bounds="clip")` semantics (method-direct §2.3.2):
 *
 * 1. rows with weight ≤ 0 are dropped; rows are sorted by (x, y);
 * 2. rows whose x differ by less than float64 resolution (1e-15) from the first x of their group are
 *    merged into one point (weighted mean of y, summed weight);
 * 3. weighted pool-adjacent-violators (least squares, monotone);
 * 4. fitted values are clipped into [yMin, yMax];
 * 5. knots keep the first and last points and every interior point whose value differs from a
 *    neighbour;
 * 6. prediction clips the query into the training x-range and interpolates linearly between knots.
 *
 * The fit is split into a one-off {@link IsotonicFitter} (sort order and tie groups, which depend
 * only on the training rows) and a cheap {@link IsotonicFitter.fit} per weight vector, because the
 * bootstrap refits the same rows with new positive weights thousands of times. Fitters of the same
 * rows, or of subsets of them (cross-fitting folds), can share one sort: {@link isotonicOrder} once,
 * {@link subsetOrder} per subset, passed as `order`.
 */

/** Resolution under which two x values are the same point (numpy float64 `finfo.resolution`). */
const X_RESOLUTION = 1e-15;

/** A fitted isotonic function: piecewise-linear through `knotX`/`knotY`, constant outside. */
export interface IsotonicModel {
  /** Knot abscissae, strictly increasing. */
  readonly knotX: Float64Array;
  /** Knot values (monotone in the fitted direction). */
  readonly knotY: Float64Array;
  /** Evaluates the function at one point. */
  predictOne(x: number): number;
  /** Evaluates the function at every `xs[i]`, writing into `out` (allocated when omitted). */
  predict(xs: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** Evaluates at ascending `sortedXs` by one merge walk (O(n + knots)). */
  predictSorted(sortedXs: ArrayLike<number>, out?: Float64Array): Float64Array;
}

/** Options shared by the isotonic fitters. */
export interface IsotonicOptions {
  /** Fit a non-decreasing (default) or non-increasing function. */
  readonly increasing?: boolean;
  /** Lower clip of fitted values (default 0). */
  readonly yMin?: number;
  /** Upper clip of fitted values (default 1). */
  readonly yMax?: number;
  /**
   * The rows' ascending (x, then y) order, ties in row order ({@link isotonicOrder}, or a
   * {@link subsetOrder} of it): the fitter then does not sort. Checked, not trusted.
   */
  readonly order?: Int32Array;
}

/**
 * The ascending (x, then y) order of the rows, ties in row order: the order an {@link IsotonicFitter}
 * sorts its rows into. With `hint`, a permutation of the rows close to that order (e.g. the order of
 * the same rows by a slightly different y), the rows are insertion-sorted from it: the same order in
 * O(n) for a hint that is only out of place at a few ties.
 */
export function isotonicOrder(x: ArrayLike<number>, y: ArrayLike<number>, hint?: Int32Array): Int32Array {
  const n = x.length;
  if (hint === undefined) {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // Typed-array sort is stable: equal (x, y) keep row order.
    return order.sort((a, b) => x[a] - x[b] || y[a] - y[b]);
  }
  checkPermutation(hint, n);
  const order = Int32Array.from(hint);
  for (let r = 1; r < n; r++) {
    const i = order[r];
    let k = r - 1;
    for (; k >= 0; k--) {
      const j = order[k];
      if (!comesAfter(x, y, j, i)) break;
      order[k + 1] = j;
    }
    order[k + 1] = i;
  }
  return order;
}

/** Whether row a comes after row b in the (x, then y, then row) order. */
function comesAfter(x: ArrayLike<number>, y: ArrayLike<number>, a: number, b: number): boolean {
  return x[a] > x[b] || (x[a] === x[b] && (y[a] > y[b] || (y[a] === y[b] && a > b)));
}

/** Throws unless `order` is a permutation of 0 … n − 1. */
function checkPermutation(order: Int32Array, n: number): void {
  if (order.length !== n) throw new RangeError(`isotonic: order has ${order.length} rows, x has ${n}`);
  const seen = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const i = order[r];
    if (!(i >= 0 && i < n) || seen[i] === 1) throw new RangeError("isotonic: order is not a permutation of the rows");
    seen[i] = 1;
  }
}

/**
 * The {@link isotonicOrder} of the rows `rows` (ascending row numbers) of a set whose order is
 * `order`, numbered by position in `rows` — what sorting the gathered rows would give, in O(n).
 */
export function subsetOrder(order: Int32Array, rows: ArrayLike<number>): Int32Array {
  const position = new Int32Array(order.length).fill(-1);
  for (let k = 0; k < rows.length; k++) {
    if (k > 0 && !(rows[k] > rows[k - 1])) throw new RangeError("isotonic: subset rows must be strictly ascending");
    position[rows[k]] = k;
  }
  const out = new Int32Array(rows.length);
  let at = 0;
  for (let r = 0; r < order.length; r++) {
    const k = position[order[r]];
    if (k >= 0) out[at++] = k;
  }
  return out;
}

/**
 * Precomputed sort order and tie groups for one set of training rows. `fit(weights)` runs the
 * weighted PAVA for any positive weight vector aligned with the rows given at construction.
 */
export class IsotonicFitter {
  /** Number of training rows. */
  readonly n: number;
  private readonly order: Int32Array;
  /** groupStart[g] .. groupStart[g+1]-1 index into `order` for the g-th distinct x. */
  private readonly groupStart: Int32Array;
  private readonly groupX: Float64Array;
  private readonly y: Float64Array;
  private readonly increasing: boolean;
  private readonly yMin: number;
  private readonly yMax: number;
  // Scratch buffers reused by every fit.
  private readonly blockValue: Float64Array;
  private readonly blockWeight: Float64Array;
  private readonly blockEnd: Int32Array;
  private readonly pointValue: Float64Array;
  private readonly pointWeight: Float64Array;
  private readonly pointX: Float64Array;

  /**
   * @param x training inputs (finite)
   * @param y training targets (finite)
   */
  constructor(x: ArrayLike<number>, y: ArrayLike<number>, options: IsotonicOptions = {}) {
    if (x.length !== y.length) throw new RangeError(`isotonic: x has ${x.length} rows but y has ${y.length}`);
    if (x.length === 0) throw new RangeError("isotonic: no training rows");
    this.n = x.length;
    this.increasing = options.increasing ?? true;
    this.yMin = options.yMin ?? 0;
    this.yMax = options.yMax ?? 1;
    this.y = Float64Array.from(y);
    const xs = Float64Array.from(x);
    for (let i = 0; i < this.n; i++) {
      if (!Number.isFinite(xs[i]) || !Number.isFinite(this.y[i])) {
        throw new RangeError(`isotonic: non-finite training value at row ${i}`);
      }
    }
    const order = options.order === undefined ? isotonicOrder(xs, this.y) : checkedOrder(options.order, xs, this.y);
    this.order = order;
    const starts: number[] = [];
    const groupXs: number[] = [];
    let current = Number.NaN;
    for (let r = 0; r < this.n; r++) {
      const xv = xs[order[r]];
      if (r === 0 || xv - current >= X_RESOLUTION) {
        starts.push(r);
        groupXs.push(xv);
        current = xv;
      }
    }
    starts.push(this.n);
    this.groupStart = Int32Array.from(starts);
    this.groupX = Float64Array.from(groupXs);
    const groups = groupXs.length;
    this.blockValue = new Float64Array(groups);
    this.blockWeight = new Float64Array(groups);
    this.blockEnd = new Int32Array(groups);
    this.pointValue = new Float64Array(groups);
    this.pointWeight = new Float64Array(groups);
    this.pointX = new Float64Array(groups);
  }

  /**
   * Fits with per-row weights aligned with the construction rows (`null` = unit weights). Rows with
   * weight ≤ 0 are ignored; at least one positive weight is required. `increasing` overrides the
   * direction given at construction (the sort and tie groups serve both directions).
   */
  fit(weights: ArrayLike<number> | null = null, increasing: boolean = this.increasing): IsotonicModel {
    const { order, groupStart, y } = this;
    const groups = this.groupX.length;
    // 1. Collapse tie groups into weighted points (groups whose total weight is 0 vanish).
    let m = 0;
    for (let g = 0; g < groups; g++) {
      let sw = 0;
      let swy = 0;
      for (let r = groupStart[g]; r < groupStart[g + 1]; r++) {
        const i = order[r];
        const w = weights === null ? 1 : weights[i];
        if (w > 0) {
          sw += w;
          swy += w * y[i];
        }
      }
      if (sw > 0) {
        this.pointX[m] = this.groupX[g];
        this.pointWeight[m] = sw;
        this.pointValue[m] = swy / sw;
        m++;
      }
    }
    if (m === 0) throw new RangeError("isotonic: every training weight is zero");
    // 2. Weighted PAVA (sign flip gives the decreasing fit).
    const sign = increasing ? 1 : -1;
    const bv = this.blockValue;
    const bw = this.blockWeight;
    const be = this.blockEnd;
    let blocks = 0;
    for (let j = 0; j < m; j++) {
      let v = sign * this.pointValue[j];
      let w = this.pointWeight[j];
      while (blocks > 0 && bv[blocks - 1] >= v) {
        const pw = bw[blocks - 1];
        v = (bv[blocks - 1] * pw + v * w) / (pw + w);
        w += pw;
        blocks--;
      }
      bv[blocks] = v;
      bw[blocks] = w;
      be[blocks] = j + 1;
      blocks++;
    }
    // 3. Expand, clip, and keep knots where the value changes.
    const fitted = new Float64Array(m);
    let start = 0;
    for (let b = 0; b < blocks; b++) {
      const v = clip(sign * bv[b], this.yMin, this.yMax);
      for (let j = start; j < be[b]; j++) fitted[j] = v;
      start = be[b];
    }
    return buildModel(this.pointX.subarray(0, m), fitted);
  }
}

/** Fits a weighted isotonic regression once (see {@link IsotonicFitter} for repeated fits). */
export function fitIsotonic(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  weights: ArrayLike<number> | null = null,
  options: IsotonicOptions = {},
): IsotonicModel {
  return new IsotonicFitter(x, y, options).fit(weights);
}

/** `order` if it is a permutation of the rows in ascending (x, y) order with ties in row order. */
function checkedOrder(order: Int32Array, x: Float64Array, y: Float64Array): Int32Array {
  checkPermutation(order, x.length);
  for (let r = 1; r < order.length; r++) {
    if (comesAfter(x, y, order[r - 1], order[r])) throw new RangeError(`isotonic: order is not ascending in (x, y) at position ${r}`);
  }
  return order;
}

function clip(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function buildModel(xs: Float64Array, fitted: Float64Array): IsotonicModel {
  const m = xs.length;
  const keep: number[] = [];
  for (let j = 0; j < m; j++) {
    if (j === 0 || j === m - 1 || fitted[j] !== fitted[j - 1] || fitted[j] !== fitted[j + 1]) keep.push(j);
  }
  const knotX = new Float64Array(keep.length);
  const knotY = new Float64Array(keep.length);
  for (let k = 0; k < keep.length; k++) {
    knotX[k] = xs[keep[k]];
    knotY[k] = fitted[keep[k]];
  }
  return new PiecewiseLinear(knotX, knotY);
}

/** Clipped linear interpolation through knots (numpy `interp` semantics). */
class PiecewiseLinear implements IsotonicModel {
  constructor(
    readonly knotX: Float64Array,
    readonly knotY: Float64Array,
  ) {}

  predictOne(x: number): number {
    const kx = this.knotX;
    const ky = this.knotY;
    const last = kx.length - 1;
    if (!(x > kx[0])) return ky[0];
    if (x >= kx[last]) return ky[last];
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (kx[mid] <= x) lo = mid;
      else hi = mid;
    }
    return interpolate(kx, ky, lo, x);
  }

  predict(xs: ArrayLike<number>, out: Float64Array = new Float64Array(xs.length)): Float64Array {
    for (let i = 0; i < xs.length; i++) out[i] = this.predictOne(xs[i]);
    return out;
  }

  predictSorted(sortedXs: ArrayLike<number>, out: Float64Array = new Float64Array(sortedXs.length)): Float64Array {
    const kx = this.knotX;
    const ky = this.knotY;
    const last = kx.length - 1;
    let seg = 0;
    for (let i = 0; i < sortedXs.length; i++) {
      const x = sortedXs[i];
      if (!(x > kx[0])) {
        out[i] = ky[0];
      } else if (x >= kx[last]) {
        out[i] = ky[last];
      } else {
        while (kx[seg + 1] <= x) seg++;
        out[i] = interpolate(kx, ky, seg, x);
      }
    }
    return out;
  }
}

function interpolate(kx: Float64Array, ky: Float64Array, seg: number, x: number): number {
  const x0 = kx[seg];
  const y0 = ky[seg];
  const slope = (ky[seg + 1] - y0) / (kx[seg + 1] - x0);
  return y0 + slope * (x - x0);
}
