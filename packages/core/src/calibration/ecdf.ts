/**
 * Weighted mid-rank empirical CDF, the "rank" step of the two-stage calibrator (method-direct
 * §2.3.3). Training values are grouped by exact equality; a group with weight W_t whose cumulative
 * weight (itself included) is C_t has rank (C_t − W_t/2)/total. A query gets 0 below the smallest
 * training value, else the rank of the largest training value ≤ the query (a right-continuous step
 * function, no interpolation). Example: [0.1, 0.2, 0.2, 0.5] ⇒ F(0) = 0, F(0.15) = 0.125,
 * F(0.3) = 0.5, F(0.9) = 0.875.
 *
 * Only group totals enter the ranks, so the order of equal values (the reference's stable sort)
 * does not matter.
 */

/** A fitted weighted mid-rank ECDF. */
export interface Ecdf {
  /** Distinct training values, ascending. */
  readonly values: Float64Array;
  /** Mid-rank of each distinct training value, in (0, 1). */
  readonly ranks: Float64Array;
  /** F(z); NaN for a NaN query. */
  evaluate(z: number): number;
  /** F at every `zs[i]`, written into `out` (allocated when omitted; may be `zs` itself). */
  evaluateMany(zs: ArrayLike<number>, out?: Float64Array): Float64Array;
}

/**
 * Fits the ECDF of `values` (finite) with optional finite, non-negative `weights` (`null` = unit
 * weights). Values of weight zero are left out, as if absent; at least one weight must be positive.
 */
export function fitWeightedEcdf(values: ArrayLike<number>, weights: ArrayLike<number> | null): Ecdf {
  const n = values.length;
  if (n === 0) throw new RangeError("ecdf: no training values");
  if (weights !== null && weights.length !== n) throw new RangeError(`ecdf: ${weights.length} weights for ${n} values`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`ecdf: value ${i} is not finite: ${values[i]}`);
    if (weights !== null && !(weights[i] >= 0 && Number.isFinite(weights[i]))) {
      throw new RangeError(`ecdf: weight ${i} must be finite and ≥ 0, got ${weights[i]}`);
    }
  }
  if (weights !== null && Array.prototype.some.call(weights, (w: number) => w === 0)) {
    const kept = Array.prototype.filter.call(values, (_: number, i: number) => weights[i] > 0) as number[];
    if (kept.length === 0) throw new RangeError("ecdf: every weight is zero");
    return fitWeightedEcdf(kept, Array.prototype.filter.call(weights, (w: number) => w > 0) as number[]);
  }
  // Native numeric sort of a copy, then compaction to distinct values with their group weights.
  const sorted = Float64Array.from(values).sort();
  const groupWeight = new Float64Array(n);
  let groups = 0;
  for (let r = 0; r < n; r++) {
    if (r === 0 || sorted[r] !== sorted[groups - 1]) sorted[groups++] = sorted[r];
    if (weights === null) groupWeight[groups - 1] += 1;
  }
  const distinct = sorted.slice(0, groups);
  if (weights !== null) {
    for (let i = 0; i < n; i++) groupWeight[lastAtOrBelow(distinct, values[i])] += weights[i];
  }
  let total = 0;
  for (let g = 0; g < groups; g++) total += groupWeight[g];
  const ranks = new Float64Array(groups);
  let cumulative = 0;
  for (let g = 0; g < groups; g++) {
    cumulative += groupWeight[g];
    ranks[g] = (cumulative - groupWeight[g] / 2) / total;
  }
  return new StepEcdf(distinct, ranks);
}

/**
 * Index of the largest `sorted[k] ≤ z`, or −1 when z is below every value. Branch-free halving
 * (the comparison only selects the next base), which is markedly faster than a branching binary
 * search on unpredictable queries.
 */
function lastAtOrBelow(sorted: Float64Array, z: number): number {
  let base = 0;
  let length = sorted.length;
  while (length > 1) {
    const half = length >> 1;
    base = sorted[base + half] <= z ? base + half : base;
    length -= half;
  }
  return sorted[base] <= z ? base : base - 1;
}

class StepEcdf implements Ecdf {
  constructor(
    readonly values: Float64Array,
    readonly ranks: Float64Array,
  ) {}

  evaluate(z: number): number {
    if (Number.isNaN(z)) return Number.NaN;
    const k = lastAtOrBelow(this.values, z);
    return k < 0 ? 0 : this.ranks[k];
  }

  evaluateMany(zs: ArrayLike<number>, out: Float64Array = new Float64Array(zs.length)): Float64Array {
    for (let i = 0; i < zs.length; i++) out[i] = this.evaluate(zs[i]);
    return out;
  }
}
