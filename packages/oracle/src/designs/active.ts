/**
 * The active design: labels go where calibration uncertainty costs the estimates most, while every
 * row keeps a known inclusion probability of at least a floor, so the Horvitz–Thompson residual
 * correction and the 1/π-weighted calibrator stay unbiased.
 *
 * The judge-score range is cut into equal-width bins b. For a frame row in bin b the priority is
 *
 *   u_b = σ_b · ρ_b / N_b,   ρ_b = √(Σ_p w_pb²),
 *
 * with σ_b the residual SD of the oracle label given the judge score in the bin (from pilot labels,
 * see `regionResidualVariance`), w_pb the share of policy p's draws in bin b (over every evaluated
 * policy, labelled or not) and N_b the frame rows in the bin. The expected number of labels in the
 * bin is then ∝ σ_b ρ_b: for a single evaluated policy labelled on itself this is Neyman allocation
 * at the row level (π ∝ residual SD); with several policies it also sends labels where other
 * policies put mass but the frame has few rows — the regions whose calibration would otherwise rest
 * on too few labels. The inclusion probabilities are π_i = min(1, π_min + c·u_b(i)), c spending the
 * budget, drawn as a Poisson sample (random size with expectation equal to the budget).
 *
 * The priorities are computed once, when the design is prepared, and recorded: later rounds reuse
 * them unchanged, because priorities re-estimated from this design's own labels would make π depend
 * on the labels and break design-unbiasedness.
 */
import type { SamplingFrame } from "../frame.js";
import { proportionalInclusion } from "../inclusion.js";
import type { DesignPlan } from "../sample.js";
import { NO_PILOT_WARNING, regionResidualVariance } from "./pilot-variance.js";

/** Default number of equal-width judge-score bins. */
export const DEFAULT_ACTIVE_BINS = 10;
/** Default floor as a share of the uniform rate: π_min = 0.25 · budget / N. */
export const DEFAULT_FLOOR_SHARE = 0.25;

/** Parameters of an active design (judge scores in internal units). */
export interface ActiveSpec {
  readonly kind: "active";
  /** Judge-score range [lo, hi] cut into `priority.length` equal-width bins. */
  readonly range: readonly [number, number];
  /** Priority u_b per bin, scaled to a maximum of 1. */
  readonly priority: readonly number[];
  /** Smallest inclusion probability of any row (π_min). */
  readonly floor: number;
}

/** Options of {@link prepareActive}. */
export interface ActiveOptions {
  readonly bins?: number;
  /** π_min (default {@link DEFAULT_FLOOR_SHARE} · budget / N). */
  readonly floor?: number;
}

/** Bin of a score in an active design. */
export function activeBin(range: readonly [number, number], bins: number, score: number): number {
  const [lo, hi] = range;
  if (!(hi > lo)) return 0;
  return Math.min(bins - 1, Math.max(0, Math.floor(((score - lo) / (hi - lo)) * bins)));
}

/** Computes and freezes the priorities for a frame and a first budget. */
export function prepareActive(frame: SamplingFrame, budget: number, options: ActiveOptions = {}): { spec: ActiveSpec; warnings: string[] } {
  const bins = options.bins ?? DEFAULT_ACTIVE_BINS;
  let lo = Infinity;
  let hi = -Infinity;
  for (const scores of frame.evaluation.values()) {
    for (const s of scores) {
      lo = Math.min(lo, s);
      hi = Math.max(hi, s);
    }
  }
  const range: [number, number] = [lo, hi];
  const binOf = (s: number) => activeBin(range, bins, s);
  const frameRows = new Float64Array(bins);
  for (const row of frame.rows) frameRows[binOf(row.score)]++;
  const massSquares = new Float64Array(bins);
  for (const scores of frame.evaluation.values()) {
    const counts = new Float64Array(bins);
    for (const s of scores) counts[binOf(s)]++;
    counts.forEach((c, b) => (massSquares[b] += (c / scores.length) ** 2));
  }
  const variance = regionResidualVariance(
    frame.pilot,
    frame.rows.map((r) => r.score),
    binOf,
    bins,
  );
  const raw = Array.from(frameRows, (n, b) => (n > 0 ? (Math.sqrt(variance.variance[b]) * Math.sqrt(massSquares[b])) / n : 0));
  const top = Math.max(...raw);
  return {
    spec: {
      kind: "active",
      range,
      priority: raw.map((u) => u / top),
      floor: options.floor ?? (DEFAULT_FLOOR_SHARE * budget) / frame.rows.length,
    },
    warnings: variance.fromPilot ? [] : [`active design: ${NO_PILOT_WARNING}; priorities follow policy mass only`],
  };
}

/** Plans an active sample of expected size `budget`. */
export function planActive(frame: SamplingFrame, spec: ActiveSpec, budget: number): DesignPlan {
  const sizes = frame.rows.map((row) => spec.priority[activeBin(spec.range, spec.priority.length, row.score)]);
  const inclusion = proportionalInclusion(sizes, budget, spec.floor);
  return { inclusion, selection: { kind: "poisson" }, expectedSize: inclusion.reduce((a, p) => a + p, 0) };
}
