/** A fixed-size stratified plan from a stratum assignment and per-stratum allocation priorities. */
import { allocateStrata } from "../inclusion.js";
import type { DesignPlan, StratumSummary } from "../sample.js";

/**
 * Allocates `budget` over the strata by {@link allocateStrata} with priorities a_h =
 * `weight(h, N_h)`, and gives each row of stratum h the probability m_h/N_h.
 */
export function planFixedStrata(
  stratum: Int32Array,
  labels: readonly string[],
  budget: number,
  weight: (h: number, rows: number) => number,
  sigma?: readonly number[],
): DesignPlan {
  const H = labels.length;
  const rows = new Int32Array(H);
  for (const h of stratum) rows[h]++;
  const sizes = allocateStrata(
    Array.from(rows, (n, h) => weight(h, n)),
    rows,
    budget,
  );
  const inclusion = Float64Array.from(stratum, (h) => sizes[h] / rows[h]);
  const strata: StratumSummary[] = labels.map((label, h) => ({
    label,
    rows: rows[h],
    sampled: sizes[h],
    ...(sigma !== undefined ? { sigma: sigma[h] } : {}),
  }));
  return { inclusion, selection: { kind: "stratified", stratum, sizes }, expectedSize: budget, strata };
}
