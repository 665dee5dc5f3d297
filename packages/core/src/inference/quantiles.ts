/**
 * The project's one empirical-quantile implementation: numpy's default "linear" method (type 7),
 * position (n − 1)·q between order statistics. Used for bootstrap percentile intervals and every
 * other empirical quantile.
 */

/** Quantile `q` ∈ [0, 1] of values already sorted ascending. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError("quantile of an empty sample");
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile level must be in [0, 1], got ${q}`);
  const position = (n - 1) * q;
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, n - 1);
  const frac = position - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  return frac === 0 ? a : a + (b - a) * frac;
}

/** Sorted copy of `values`; throws on NaN. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(values);
  for (let i = 0; i < out.length; i++) {
    if (Number.isNaN(out[i])) throw new RangeError(`quantile input contains NaN at index ${i}`);
  }
  return out.sort();
}

/** Quantile `q` of unsorted `values` (copies and sorts; NaN is an error). */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(sortedCopy(values), q);
}

/** Several quantiles of unsorted `values`, sorting once. */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const sorted = sortedCopy(values);
  return qs.map((q) => quantileSorted(sorted, q));
}
