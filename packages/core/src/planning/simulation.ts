/**
 * Planning without a pilot (method-direct §2.15): when no labels exist yet, the variance model is
 * measured on a synthetic world whose judge explains a chosen share r² of the oracle's variance, with
 * the same grid, instrument and fitter as a real pilot.
 *
 * The world (`binary_oracle_monotone_judge_v1`): oracle quality o ~ U(0, 1), noise ε ~ U(0, 1), judge
 * score √w·o + √(1−w)·ε min–max normalised to [0, 1], oracle label 1{o > 0.5} on a random
 * ⌊N·fraction⌋ of the prompts. The mixing weight w is set by bisection on a 20 000-point probe so that
 * the isotonic R² of the labels on the judge score is r².
 */
import { fitIsotonic } from "../calibration/isotonic.js";
import { CjeInputError } from "../errors/input-error.js";
import { checkLimit, seedSchema, simulatedPromptsSchema } from "../numeric/resource-limits.js";
import { createRng, type Rng } from "../numeric/rng.js";
import type { Pilot, PilotPrompt } from "./pilot.js";

/** Name of the synthetic data-generating process. */
export const SIMULATION_DGP = "binary_oracle_monotone_judge_v1";
/** Default prompts of the synthetic pilot. */
export const DEFAULT_SIMULATION_PROMPTS = 1000;
/** Default labelled share of the synthetic pilot. */
export const DEFAULT_SIMULATION_ORACLE_FRACTION = 0.4;
/** Size of the probe the mixing weight is calibrated on. */
const PROBE_SIZE = 20_000;
/** Bisection steps and tolerance of the mixing-weight calibration. */
const BISECTION_STEPS = 10;
const BISECTION_TOLERANCE = 0.02;

/** How the judge relates to the oracle, for {@link correlationToR2}. */
export type JudgeRelationship = "linear" | "monotone";

/**
 * R² implied by a judge–oracle correlation r: r² for a linear relationship; for a monotone one the
 * reference's heuristic min(1, r² + ½(1 − r²)), since isotonic calibration recovers more than a linear fit.
 */
export function correlationToR2(r: number, relationship: JudgeRelationship = "linear"): number {
  if (!(r >= -1 && r <= 1)) throw new CjeInputError("a correlation lies in [−1, 1]", { field: "correlation", value: r });
  const r2 = r * r;
  return relationship === "linear" ? r2 : Math.min(1, r2 + 0.5 * (1 - r2));
}

/** Uniform draws of the world: oracle qualities and judge noise. */
interface Draws {
  readonly oracle: Float64Array;
  readonly noise: Float64Array;
}

function uniformDraws(rng: Rng, n: number): Draws {
  const oracle = new Float64Array(n);
  const noise = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    oracle[i] = rng.nextFloat();
    noise[i] = rng.nextFloat();
  }
  return { oracle, noise };
}

/** Judge scores √w·o + √(1−w)·ε, min–max normalised to [0, 1]. */
function judgeScores(draws: Draws, w: number): Float64Array {
  const a = Math.sqrt(w);
  const b = Math.sqrt(1 - w);
  const raw = draws.oracle.map((o, i) => a * o + b * draws.noise[i]);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of raw) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return hi > lo ? raw.map((v) => (v - lo) / (hi - lo)) : raw.fill(0.5);
}

/** Isotonic R² of binary labels 1{o > 0.5} on the judge scores of mixing weight `w`. */
function isotonicR2(draws: Draws, w: number): number {
  const scores = judgeScores(draws, w);
  const labels = draws.oracle.map((o) => (o > 0.5 ? 1 : 0));
  const fitted = fitIsotonic(scores, labels).predict(scores);
  let mean = 0;
  for (const y of labels) mean += y / labels.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < labels.length; i++) {
    ssRes += (labels[i] - fitted[i]) ** 2;
    ssTot += (labels[i] - mean) ** 2;
  }
  return ssTot > 0 ? 1 - ssRes / ssTot : 0;
}

/**
 * The mixing weight w whose judge explains `r2` of the labels' variance: bisection on [r², min(1, 2r²)]
 * (widened to 1 when its top falls short), 10 steps, stopping within 0.02; 0 and 1 are used as they are.
 */
export function mixingWeightFor(r2: number, seed: number): number {
  if (!(r2 >= 0 && r2 <= 1)) throw new CjeInputError("r² lies in [0, 1]", { field: "r2", value: r2 });
  if (r2 === 0 || r2 === 1) return r2;
  const probe = uniformDraws(createRng(seed).fork(0), PROBE_SIZE);
  let lo = r2;
  let hi = Math.min(1, 2 * r2);
  if (isotonicR2(probe, hi) < r2) hi = 1;
  let mid = (lo + hi) / 2;
  for (let step = 0; step < BISECTION_STEPS; step++) {
    mid = (lo + hi) / 2;
    const realised = isotonicR2(probe, mid);
    if (Math.abs(realised - r2) < BISECTION_TOLERANCE) return mid;
    if (realised < r2) lo = mid;
    else hi = mid;
  }
  return mid;
}

/** A synthetic planning scenario. */
export interface SimulationScenario {
  /** Share of the oracle's variance the judge explains (isotonic R²). */
  readonly r2: number;
  /** Prompts of the synthetic pilot (default 1000). */
  readonly prompts?: number;
  /** Labelled share of the synthetic pilot (default 0.4). */
  readonly oracleFraction?: number;
  readonly seed?: number;
}

/** A synthetic pilot and the mixing weight it was drawn with. */
export interface SyntheticPilot {
  readonly pilot: Pilot;
  readonly mixingWeight: number;
}

/** Draws the synthetic pilot of `scenario` (one judged draw per prompt, labels on a random subset). */
export function syntheticPilot(scenario: SimulationScenario, seed: number): SyntheticPilot {
  const n = scenario.prompts ?? DEFAULT_SIMULATION_PROMPTS;
  const fraction = scenario.oracleFraction ?? DEFAULT_SIMULATION_ORACLE_FRACTION;
  if (!Number.isInteger(n) || n < 50) throw new CjeInputError("a synthetic pilot needs an integer number of prompts ≥ 50", { field: "prompts", value: n });
  checkLimit(simulatedPromptsSchema, "prompts", n);
  checkLimit(seedSchema, "seed", seed);
  if (!(fraction > 0 && fraction <= 1)) throw new CjeInputError("the oracle fraction lies in (0, 1]", { field: "oracleFraction", value: fraction });
  const mixingWeight = mixingWeightFor(scenario.r2, seed);
  const rng = createRng(seed).fork(1);
  const draws = uniformDraws(rng, n);
  const scores = judgeScores(draws, mixingWeight);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  rng.shuffle(order);
  const labelledSet = new Set(order.subarray(0, Math.floor(n * fraction)));
  const labelled: PilotPrompt[] = [];
  const unlabelled: PilotPrompt[] = [];
  for (let i = 0; i < n; i++) {
    const isLabelled = labelledSet.has(i);
    (isLabelled ? labelled : unlabelled).push({ id: `prompt_${i}`, scores: [scores[i]], labels: [isLabelled ? (draws.oracle[i] > 0.5 ? 1 : 0) : Number.NaN] });
  }
  return { pilot: { policy: "simulated", labelled, unlabelled, nRows: n, span: 1 }, mixingWeight };
}

/**
 * The n grid of a synthetic pilot of N prompts: the distinct values of max(50, ⌊0.2N⌋), max(100, ⌊0.4N⌋),
 * max(150, ⌊0.6N⌋) that are ≤ 0.8N.
 */
export function simulationNGrid(nPrompts: number): number[] {
  const candidates = [
    [50, 0.2],
    [100, 0.4],
    [150, 0.6],
  ].map(([floor, f]) => Math.max(floor, Math.floor(f * nPrompts)));
  return [...new Set(candidates)].filter((n) => n <= 0.8 * nPrompts).sort((a, b) => a - b);
}
