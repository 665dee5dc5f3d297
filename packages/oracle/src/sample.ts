/**
 * Drawing a sample from a planned design with permanent random numbers (PRN).
 *
 * Every frame row gets one uniform U_i from the seed. A fixed-size (stratified) plan takes, in each
 * stratum, the m_h rows with the smallest U_i — a simple random sample without replacement of
 * size m_h, so π_i = m_h/N_h exactly. A Poisson plan takes every row with U_i < π_i, so rows are
 * included independently with probability exactly π_i. Because the U_i do not depend on the
 * budget, and the planned m_h and π_i never decrease when the budget grows, a larger budget with
 * the same seed draws a superset of the smaller sample: labelling rounds are nested samples.
 */
import { createRng } from "@cjeval/core/advanced";

/** How a plan selects rows. */
export type Selection =
  | {
      readonly kind: "stratified";
      /** Stratum of each frame row. */
      readonly stratum: Int32Array;
      /** Rows to take per stratum (m_h). */
      readonly sizes: Int32Array;
    }
  | { readonly kind: "poisson" };

/** One stratum of a fixed-size plan, as recorded. */
export interface StratumSummary {
  readonly label: string;
  /** Frame rows in the stratum (N_h). */
  readonly rows: number;
  /** Rows sampled (m_h). */
  readonly sampled: number;
  /** Residual SD used by Neyman allocation (internal units), when used. */
  readonly sigma?: number;
}

/** A design planned for one budget: every frame row's inclusion probability and the selection rule. */
export interface DesignPlan {
  /** π_i of every frame row (canonical frame order); all > 0. */
  readonly inclusion: Float64Array;
  readonly selection: Selection;
  /** Expected sample size Σπ_i (the exact size for stratified plans). */
  readonly expectedSize: number;
  readonly strata?: readonly StratumSummary[];
}

/** The seed's permanent random numbers U_i ∈ [0, 1), one per frame row in canonical order. */
export function permanentRandomNumbers(rows: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const u = new Float64Array(rows);
  for (let i = 0; i < rows; i++) u[i] = rng.nextFloat();
  return u;
}

/**
 * The frame indices a plan selects with these permanent random numbers, in labelling order
 * (ascending U_i/π_i: a random order that reveals neither policy nor stratum).
 */
export function drawSample(plan: DesignPlan, prn: Float64Array): Int32Array {
  const n = plan.inclusion.length;
  if (prn.length !== n) throw new RangeError(`${prn.length} random numbers for ${n} frame rows`);
  const chosen: number[] = [];
  if (plan.selection.kind === "poisson") {
    for (let i = 0; i < n; i++) if (prn[i] < plan.inclusion[i]) chosen.push(i);
  } else {
    const { stratum, sizes } = plan.selection;
    const taken = new Int32Array(sizes.length);
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => prn[a] - prn[b]);
    for (const i of order) {
      const h = stratum[i];
      if (taken[h] < sizes[h]) {
        taken[h]++;
        chosen.push(i);
      }
    }
  }
  const key = (i: number) => prn[i] / plan.inclusion[i];
  return Int32Array.from(chosen).sort((a, b) => key(a) - key(b));
}
