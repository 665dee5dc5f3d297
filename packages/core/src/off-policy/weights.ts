/**
 * Importance-weight diagnostics (method-ope §9.1): effective sample size, top-share mass
 * concentration and the Hill estimator of the weights' tail index.
 */

/** Kish effective sample size (Σw)² / Σw² (denominator floored at 1e−12). */
export function effectiveSampleSize(weights: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i];
    s2 += weights[i] * weights[i];
  }
  return (s * s) / Math.max(s2, 1e-12);
}

/** Share of the total weight held by the largest max(1, ⌊n·topShare⌋) weights (default top 1%). */
export function massConcentration(weights: ArrayLike<number>, topShare = 0.01): number {
  const sorted = Float64Array.from(weights).sort().reverse();
  const k = Math.max(1, Math.floor(sorted.length * topShare));
  let top = 0;
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    total += sorted[i];
    if (i < k) top += sorted[i];
  }
  return top / total;
}

/** Options of {@link hillTailIndex}. */
export interface HillOptions {
  /** Share of n used as tail order statistics (default 0.05). */
  readonly kFraction?: number;
  /** Smallest k (default 10; fewer rows than this gives NaN). */
  readonly minK?: number;
  /** Largest k (default ⌊0.1·n⌋). */
  readonly maxK?: number;
}

/**
 * Hill estimator α̂ = k / (Σ_{j≤k} ln x_(j) − k·ln x_(k+1)) over the k largest weights, with
 * k = min(max(minK, ⌊kFraction·n⌋), maxK). α̂ < 2 means infinite variance, < 1 infinite mean. NaN
 * means the estimate failed (too few rows, non-positive order statistics) and is never read as
 * "light"; a flat tail (L ≈ 0) gives +∞.
 */
export function hillTailIndex(weights: ArrayLike<number>, options: HillOptions = {}): number {
  const n = weights.length;
  const minK = options.minK ?? 10;
  if (n < minK) return Number.NaN;
  let k = Math.max(minK, Math.floor((options.kFraction ?? 0.05) * n));
  k = Math.min(k, options.maxK ?? Math.floor(0.1 * n));
  if (k < 1 || k >= n) return Number.NaN;
  const sorted = Float64Array.from(weights).sort().reverse();
  if (!(sorted[k] > 0) || !(sorted[0] > 0)) return Number.NaN;
  let L = 0;
  for (let j = 0; j < k; j++) L += Math.log(sorted[j]);
  L -= k * Math.log(sorted[k]);
  if (!Number.isFinite(L)) return Number.NaN;
  if (Math.abs(L) < 1e-10) return Infinity;
  const alpha = k / L;
  return alpha > 0 && Number.isFinite(alpha) ? alpha : Number.NaN;
}
