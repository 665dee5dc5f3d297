/**
 * The planning variance model (paper Appendix F, method-direct §2.14): the variance of a policy's
 * calibrated estimate with n evaluated prompts and m oracle labels is
 *
 *     V(n, m) = σ²_eval / n + σ²_cal / m,
 *
 * sampling noise of the evaluation prompts plus calibration noise of the labelled slice. The two
 * components are fitted to measured variances by non-negative least squares on the columns
 * [1/n, 1/m], solved exactly (the best of the unconstrained least-squares fits on every subset of
 * columns whose coefficients are all non-negative).
 *
 * Comparison models (comparison-model.ts) add a third term σ²_small/m²: the reported SE of a paired
 * difference with few labels grows faster than 1/√m (the label jackknife's small-sample inflation;
 * on the synthetic world, from 135 to 20 labels the reported variance grows 9.5× where 1/m gives 6.75×),
 * and a plan whose labels fall below the measured range would otherwise be optimistic.
 */
import { CjeInputError } from "../errors/input-error.js";

/** R² at or above which the fitted model is considered to describe the measurements. */
export const MIN_FIT_R_SQUARED = 0.5;

/** One measured variance at an allocation. */
export interface VarianceMeasurement {
  /** Evaluated prompts. */
  readonly n: number;
  /** Oracle-labelled prompts. */
  readonly m: number;
  /** Measured variance of the estimate. */
  readonly variance: number;
}

/** A fitted variance model. */
export interface VarianceModel {
  readonly sigma2Eval: number;
  readonly sigma2Cal: number;
  /** Coefficient of 1/m² (comparison models); absent = 0. */
  readonly sigma2Small?: number;
  /** 1 − SS_res / SS_tot of the fit (0 when the measurements do not vary). */
  readonly rSquared: number;
  readonly nMeasurements: number;
  /** R² ≥ {@link MIN_FIT_R_SQUARED}. */
  readonly fitOk: boolean;
}

/** V(n, m) = σ²_eval/n + σ²_cal/m (+ σ²_small/m²). */
export function predictVariance(model: Pick<VarianceModel, "sigma2Eval" | "sigma2Cal" | "sigma2Small">, n: number, m: number): number {
  return model.sigma2Eval / n + model.sigma2Cal / m + (model.sigma2Small ?? 0) / (m * m);
}

/** Options of {@link fitVarianceComponents}. */
export interface VarianceFitOptions {
  /** Also fit σ²_small/m² (comparison models). */
  readonly smallSample?: boolean;
}

/**
 * Fits σ²_eval and σ²_cal ≥ 0 (and σ²_small ≥ 0 with `smallSample`) by exact NNLS. Throws a
 * `CjeInputError` with fewer finite measurements than coefficients + 1.
 */
export function fitVarianceComponents(measurements: readonly VarianceMeasurement[], options: VarianceFitOptions = {}): VarianceModel {
  const usable = measurements.filter((x) => x.n > 0 && x.m > 0 && Number.isFinite(x.variance));
  const columns = [usable.map((x) => 1 / x.n), usable.map((x) => 1 / x.m), ...(options.smallSample ? [usable.map((x) => 1 / (x.m * x.m))] : [])];
  if (usable.length < columns.length + 1) {
    throw new CjeInputError(`fitting the variance model needs at least ${columns.length + 1} valid measurements, got ${usable.length}`);
  }
  const v = usable.map((x) => x.variance);
  const coefficients = nnls(columns, v);
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  let ssTot = 0;
  let ssRes = 0;
  v.forEach((x, i) => {
    ssTot += (x - mean) ** 2;
    ssRes += (x - columns.reduce((s, col, k) => s + coefficients[k] * col[i], 0)) ** 2;
  });
  const rSquared = ssTot > 0 ? 1 - ssRes / ssTot : 0;
  return {
    sigma2Eval: coefficients[0],
    sigma2Cal: coefficients[1],
    ...(options.smallSample ? { sigma2Small: coefficients[2] } : {}),
    rSquared,
    nMeasurements: usable.length,
    fitOk: rSquared >= MIN_FIT_R_SQUARED,
  };
}

/** argmin_{x, y ≥ 0} ‖v − x·a − y·b‖² (see {@link nnls}). */
export function nnls2(a: readonly number[], b: readonly number[], v: readonly number[]): [number, number] {
  const [x, y] = nnls([a, b], v);
  return [x, y];
}

/**
 * argmin_{x ≥ 0} ‖v − Σ_k x_k·columns[k]‖² for a few columns, exactly: the optimum is the
 * unconstrained least-squares fit on the columns it leaves positive, so it is the best of the
 * subsets' fits that are feasible (2^k normal-equation solves; subsets whose normal matrix is
 * singular are skipped, and the empty subset gives zero).
 */
export function nnls(columns: readonly (readonly number[])[], v: readonly number[]): number[] {
  const k = columns.length;
  const gram = columns.map((ci) => columns.map((cj) => ci.reduce((s, x, t) => s + x * cj[t], 0)));
  const rhs = columns.map((c) => c.reduce((s, x, t) => s + x * v[t], 0));
  const sse = (x: readonly number[]) => v.reduce((s, vt, t) => s + (vt - columns.reduce((u, c, j) => u + x[j] * c[t], 0)) ** 2, 0);
  let best = new Array<number>(k).fill(0);
  let bestSse = sse(best);
  for (let mask = 1; mask < 1 << k; mask++) {
    const active = columns.map((_, j) => j).filter((j) => mask & (1 << j));
    const solved = solveLinear(
      active.map((i) => active.map((j) => gram[i][j])),
      active.map((i) => rhs[i]),
    );
    if (solved === null || solved.some((x) => x < 0)) continue;
    const x = new Array<number>(k).fill(0);
    active.forEach((j, i) => (x[j] = solved[i]));
    const e = sse(x);
    if (e < bestSse) {
      best = x;
      bestSse = e;
    }
  }
  return best;
}

/** Solves A·x = b by Gaussian elimination with partial pivoting; `null` when A is (numerically) singular. */
function solveLinear(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const scale = Math.max(...a.map((row, i) => Math.abs(row[i])));
  if (!(scale > 0)) return null;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    if (Math.abs(a[pivot][col]) <= 1e-12 * scale) return null;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    [b[col], b[pivot]] = [b[pivot], b[col]];
    for (let r = col + 1; r < n; r++) {
      const f = a[r][col] / a[col][col];
      for (let c = col; c < n; c++) a[r][c] -= f * a[col][c];
      b[r] -= f * b[col];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let c = r + 1; c < n; c++) s -= a[r][c] * x[c];
    x[r] = s / a[r][r];
  }
  return x;
}
