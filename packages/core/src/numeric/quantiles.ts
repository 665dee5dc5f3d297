/**
 * The project's one empirical-quantile implementation: numpy's default "linear" method
 * (Hyndman & Fan type 7), position (n − 1)·q between order statistics, with numpy's interpolation
 * formula so that results agree with `numpy.quantile` to the last bit.
 */
import { CjeInputError } from "../errors/input-error.js";

/**
 * Quantile `q` ∈ [0, 1] of `sorted`, which must already be in ascending order (not checked: this
 * is the hot path for bootstrap intervals). Throws `CjeInputError` for an empty sample and
 * `RangeError` for q outside [0, 1].
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new CjeInputError("cannot take a quantile of an empty sample", { field: "values" });
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile level must be in [0, 1], got ${q}`);
  const position = (n - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  return lerp(sorted[below], sorted[above], position - below);
}

/** numpy's `_lerp`: a + (b − a)·t, or b − (b − a)·(1 − t) when t ≥ ½ (exact at both ends, monotone in t). */
function lerp(a: number, b: number, t: number): number {
  const difference = b - a;
  return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
}

/** Ascending copy of `values`; a NaN is an error naming its index. */
function sortedCopy(values: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(values);
  for (let i = 0; i < out.length; i++) {
    if (Number.isNaN(out[i])) {
      throw new CjeInputError(`value at index ${i} is NaN; a quantile needs every value`, { field: "values" });
    }
  }
  return out.sort();
}

/** Quantile `q` ∈ [0, 1] of unsorted `values` (copied into a Float64Array and sorted; NaN throws). */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(sortedCopy(values), q);
}

/** Several quantiles of unsorted `values`, sorting once; NaN throws. */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const sorted = sortedCopy(values);
  return qs.map((q) => quantileSorted(sorted, q));
}
