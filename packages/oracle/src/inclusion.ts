/**
 * Inclusion probabilities and stratum allocations: the two ways a design spends its budget.
 *
 * - {@link proportionalInclusion}: π_i = min(1, floor + c·size_i) with c chosen so Σπ_i equals the
 *   budget (probability proportional to size with a floor, capped at 1). It increases with the
 *   budget for every row, so samples drawn with permanent random numbers are nested across budgets.
 * - {@link allocateStrata}: integer stratum sizes by the sequential priority rule
 *   a_h / √(m_h (m_h + 1)) (Huntington–Hill). With a_h = N_h σ_h it is the exact optimal integer
 *   Neyman allocation (Wright 2012); with a_h = N_h it is proportional allocation; with a_h = 1 it
 *   spreads the budget equally. Being sequential, a larger budget never shrinks a stratum's share.
 */
import { CjeInputError } from "@cjeval/core";

/**
 * π_i = min(1, floor + c·sizes_i) with Σπ_i = `expected`. Sizes must be finite and ≥ 0 (a zero
 * size gets the floor only); `floor · n ≤ expected ≤ n` is required.
 */
export function proportionalInclusion(sizes: ArrayLike<number>, expected: number, floor = 0): Float64Array {
  const n = sizes.length;
  if (!(expected > 0 && expected <= n))
    throw new CjeInputError(`the budget must lie in (0, ${n}] (the frame has ${n} rows)`, { field: "budget", value: expected });
  if (!(floor >= 0 && floor * n <= expected + 1e-9)) {
    throw new CjeInputError(`the floor times the ${n} frame rows exceeds the budget ${expected}`, { field: "floor", value: floor });
  }
  for (let i = 0; i < n; i++) {
    if (!(sizes[i] >= 0 && Number.isFinite(sizes[i]))) throw new RangeError(`size ${i} is ${sizes[i]}; sizes must be finite and non-negative`);
  }
  const capped = new Uint8Array(n);
  let nCapped = 0;
  let c = 0;
  for (;;) {
    let sizeSum = 0;
    for (let i = 0; i < n; i++) if (!capped[i]) sizeSum += sizes[i];
    const need = expected - nCapped - floor * (n - nCapped);
    if (need <= 1e-12 || sizeSum === 0) {
      if (need > 1e-9 && nCapped < n) throw new RangeError("the budget cannot be spent: every row with a positive size is already certain");
      c = 0;
      break;
    }
    c = need / sizeSum;
    let added = 0;
    for (let i = 0; i < n; i++) {
      if (!capped[i] && floor + c * sizes[i] >= 1) {
        capped[i] = 1;
        added++;
      }
    }
    if (added === 0) break;
    nCapped += added;
  }
  const pi = new Float64Array(n);
  for (let i = 0; i < n; i++) pi[i] = capped[i] ? 1 : Math.min(1, floor + c * sizes[i]);
  return pi;
}

/**
 * Integer stratum sizes m_h summing to `budget`, with 1 ≤ m_h ≤ N_h (every stratum keeps a positive
 * inclusion probability), by the sequential priority rule a_h / √(m_h (m_h + 1)); ties go to the
 * lower stratum index. `priorities` a_h must be finite and ≥ 0.
 */
export function allocateStrata(priorities: ArrayLike<number>, sizes: ArrayLike<number>, budget: number): Int32Array {
  const H = sizes.length;
  let total = 0;
  for (let h = 0; h < H; h++) total += sizes[h];
  if (!Number.isInteger(budget) || budget < H || budget > total) {
    throw new CjeInputError(`the budget must be an integer between ${H} (one label per stratum) and ${total} (every row)`, { field: "budget", value: budget });
  }
  const m = new Int32Array(H).fill(1);
  for (let given = H; given < budget; given++) {
    let best = -1;
    let bestPriority = -1;
    for (let h = 0; h < H; h++) {
      if (m[h] >= sizes[h]) continue;
      const priority = priorities[h] / Math.sqrt(m[h] * (m[h] + 1));
      if (priority > bestPriority) {
        best = h;
        bestPriority = priority;
      }
    }
    m[best]++;
  }
  return m;
}
