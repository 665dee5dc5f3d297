/**
 * The planning variance model (paper Appendix F, method-direct §2.14): the variance of a policy's
 * calibrated estimate with n evaluated prompts and m oracle labels is
 *
 *     V(n, m) = σ²_eval / n + σ²_cal / m,
 *
 * sampling noise of the evaluation prompts plus calibration noise of the labelled slice. The two
 * components are fitted to measured variances by non-negative least squares on the columns
 * [1/n, 1/m], solved exactly (two columns: the unconstrained solution when both coefficients are
 * non-negative, else the best single-column fit, else zero).
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
  /** 1 − SS_res / SS_tot of the fit (0 when the measurements do not vary). */
  readonly rSquared: number;
  readonly nMeasurements: number;
  /** R² ≥ {@link MIN_FIT_R_SQUARED}. */
  readonly fitOk: boolean;
}

/** V(n, m) = σ²_eval/n + σ²_cal/m. */
export function predictVariance(model: Pick<VarianceModel, "sigma2Eval" | "sigma2Cal">, n: number, m: number): number {
  return model.sigma2Eval / n + model.sigma2Cal / m;
}

/**
 * Fits σ²_eval and σ²_cal ≥ 0 to at least three measurements (exact two-column NNLS). Throws a
 * `CjeInputError` with fewer than three finite measurements.
 */
export function fitVarianceComponents(measurements: readonly VarianceMeasurement[]): VarianceModel {
  const usable = measurements.filter((x) => x.n > 0 && x.m > 0 && Number.isFinite(x.variance));
  if (usable.length < 3) {
    throw new CjeInputError(`fitting the variance model needs at least 3 valid measurements, got ${usable.length}`);
  }
  const a = usable.map((x) => 1 / x.n);
  const b = usable.map((x) => 1 / x.m);
  const v = usable.map((x) => x.variance);
  const [sigma2Eval, sigma2Cal] = nnls2(a, b, v);
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  let ssTot = 0;
  let ssRes = 0;
  v.forEach((x, i) => {
    ssTot += (x - mean) ** 2;
    ssRes += (x - sigma2Eval * a[i] - sigma2Cal * b[i]) ** 2;
  });
  const rSquared = ssTot > 0 ? 1 - ssRes / ssTot : 0;
  return { sigma2Eval, sigma2Cal, rSquared, nMeasurements: usable.length, fitOk: rSquared >= MIN_FIT_R_SQUARED };
}

/**
 * argmin_{x, y ≥ 0} ‖v − x·a − y·b‖²: the unconstrained solution of the 2 × 2 normal equations if
 * feasible; otherwise the optimum lies on a face (x = 0 or y = 0) or at the origin, and the best
 * feasible candidate of those is returned.
 */
export function nnls2(a: readonly number[], b: readonly number[], v: readonly number[]): [number, number] {
  let aa = 0;
  let ab = 0;
  let bb = 0;
  let av = 0;
  let bv = 0;
  for (let i = 0; i < v.length; i++) {
    aa += a[i] * a[i];
    ab += a[i] * b[i];
    bb += b[i] * b[i];
    av += a[i] * v[i];
    bv += b[i] * v[i];
  }
  const det = aa * bb - ab * ab;
  if (det > 1e-12 * aa * bb) {
    const x = (av * bb - bv * ab) / det;
    const y = (bv * aa - av * ab) / det;
    if (x >= 0 && y >= 0) return [x, y];
  }
  const sse = (x: number, y: number) => v.reduce((s, vi, i) => s + (vi - x * a[i] - y * b[i]) ** 2, 0);
  const candidates: [number, number][] = [
    [aa > 0 ? Math.max(av / aa, 0) : 0, 0],
    [0, bb > 0 ? Math.max(bv / bb, 0) : 0],
  ];
  return candidates.reduce((best, c) => (sse(c[0], c[1]) < sse(best[0], best[1]) ? c : best), [0, 0] as [number, number]);
}
