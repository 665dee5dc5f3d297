/**
 * Stratified sampling by judge-score bins: strata are quantile bins of the frame's judge scores
 * (equal scores always share a stratum), and a fixed number m_h of rows is drawn at random in each,
 * so π_i = m_h/N_h. Allocation is proportional (m_h ∝ N_h) or Neyman (m_h ∝ N_h σ_h, σ_h the
 * residual SD of the oracle label given the judge score in the stratum, learnt from pilot labels),
 * which minimizes the variance of the residual correction for the budget. Every stratum gets at
 * least one label, so every row keeps π > 0.
 */
import { fromInternal } from "@cjeval/core/advanced";
import type { SamplingFrame } from "../frame.js";
import type { DesignPlan } from "../sample.js";
import { planFixedStrata } from "./fixed-strata.js";
import { NO_PILOT_WARNING, regionResidualVariance } from "./pilot-variance.js";

/** Default number of judge-score strata. */
export const DEFAULT_STRATA = 5;

/** Parameters of a stratified design (judge scores in internal units). */
export interface StratifiedSpec {
  readonly kind: "stratified";
  readonly allocation: "proportional" | "neyman";
  /** Ascending cut points: stratum h holds scores in [cuts[h − 1], cuts[h]). */
  readonly cuts: readonly number[];
  /** Residual SD per stratum (Neyman allocation). */
  readonly sigma?: readonly number[];
}

/** Options of {@link prepareStratified}. */
export interface StratifiedOptions {
  /** Requested number of strata (default {@link DEFAULT_STRATA}; fewer when scores have few distinct values). */
  readonly strata?: number;
  readonly allocation?: "proportional" | "neyman";
}

/** Quantile cut points of `scores` for up to `strata` strata; ties never straddle a cut. */
export function scoreCuts(scores: ArrayLike<number>, strata: number): number[] {
  const sorted = Float64Array.from(scores).sort();
  const cuts: number[] = [];
  for (let j = 1; j < strata; j++) {
    const c = sorted[Math.min(sorted.length - 1, Math.ceil((j * sorted.length) / strata))];
    if (c > sorted[0] && (cuts.length === 0 || c > cuts[cuts.length - 1])) cuts.push(c);
  }
  return cuts;
}

/** Stratum of a score: the number of cut points ≤ score. */
export function stratumOf(cuts: readonly number[], score: number): number {
  let h = 0;
  while (h < cuts.length && cuts[h] <= score) h++;
  return h;
}

/** Fixes the strata (and the Neyman SDs) for a frame. */
export function prepareStratified(frame: SamplingFrame, options: StratifiedOptions = {}): { spec: StratifiedSpec; warnings: string[] } {
  const scores = frame.rows.map((r) => r.score);
  const cuts = scoreCuts(scores, options.strata ?? DEFAULT_STRATA);
  const allocation = options.allocation ?? "proportional";
  if (allocation === "proportional") return { spec: { kind: "stratified", allocation, cuts }, warnings: [] };
  const variance = regionResidualVariance(frame.pilot, scores, (s) => stratumOf(cuts, s), cuts.length + 1);
  return {
    spec: { kind: "stratified", allocation, cuts, sigma: Array.from(variance.variance, Math.sqrt) },
    warnings: variance.fromPilot ? [] : [`Neyman allocation: ${NO_PILOT_WARNING}, so it equals proportional allocation`],
  };
}

/** Plans a stratified sample of `budget` rows. */
export function planStratified(frame: SamplingFrame, spec: StratifiedSpec, budget: number): DesignPlan {
  const stratum = Int32Array.from(frame.rows, (r) => stratumOf(spec.cuts, r.score));
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of frame.rows) {
    lo = Math.min(lo, row.score);
    hi = Math.max(hi, row.score);
  }
  const bounds = [lo, ...spec.cuts, hi].map((c) => format(fromInternal(frame.judgeScale, c)));
  const last = spec.cuts.length;
  const labels = bounds.slice(0, -1).map((b, h) => `judge score in [${b}, ${bounds[h + 1]}${h === last ? "]" : ")"}`);
  const sigma = spec.sigma;
  return planFixedStrata(stratum, labels, budget, (h, rows) => (sigma === undefined ? rows : rows * sigma[h]), sigma);
}

function format(x: number): string {
  return String(Number(x.toPrecision(6)));
}
