/**
 * A resampled Chatbot Arena world for the interval-efficiency Monte Carlo: real judge → oracle pairs
 * with an exactly known truth. The population is the base policy's oracle-labelled rows of the Arena
 * sample (fresh_draws/base_responses.jsonl: `judge_score` S and `oracle_label` Y, both in [0, 1]);
 * its empirical distribution IS the population, so every truth is a finite sum over it.
 *
 * - `base` (labelled): n prompts drawn i.i.d. uniformly from the pairs; a simple random sample of
 *   max(2, round(share · n)) of its rows keep their oracle label. Truth: the mean of the labels.
 * - `tilted_up` / `tilted_down`: n draws i.i.d. from the pairs with probability ∝ exp(±λ·S), no
 *   labels (evaluated through the calibrator alone). Truth: the same tilted mean of the labels —
 *   exact, because drawing whole pairs keeps Y | S as it is in the population.
 *
 * Row k of every policy belongs to prompt cluster `p{k}` (as in the synthetic world); draws of
 * different policies at one prompt id are independent. Each replication is reproducible from its seed.
 */
import path from "node:path";
import { createRng, type Rng } from "../../src/numeric/rng.js";
import type { SyntheticWorld } from "../../src/simulation/world.js";
import { directCellOf, type Cell } from "./interval-grid.js";
import { readArenaRows } from "./shared-data.js";

/** The population: judge scores and oracle labels of the base policy's labelled Arena rows. */
export interface ArenaPopulation {
  readonly scores: Float64Array;
  readonly labels: Float64Array;
}

let population: ArenaPopulation | null = null;

/** The base policy's oracle-labelled rows of the Arena sample (read once). */
export function arenaPopulation(): ArenaPopulation {
  if (population !== null) return population;
  const scores: number[] = [];
  const labels: number[] = [];
  for (const row of readArenaRows(path.join("fresh_draws", "base_responses.jsonl"))) {
    if (row.oracle_label === undefined || row.oracle_label === null) continue;
    const s = row.judge_score;
    const y = row.oracle_label;
    if (typeof s !== "number" || typeof y !== "number" || !(s >= 0 && s <= 1 && y >= 0 && y <= 1)) {
      throw new Error(`arena population: judge_score and oracle_label must be numbers in [0, 1], got ${String(s)}, ${String(y)}`);
    }
    scores.push(s);
    labels.push(y);
  }
  population = { scores: Float64Array.from(scores), labels: Float64Array.from(labels) };
  return population;
}

/** The world's policies; the first carries the labels, `tilt` is the sign of λ in exp(tilt · λ · S). */
export const ARENA_POLICIES: readonly { readonly name: string; readonly tilt: -1 | 0 | 1 }[] = [
  { name: "base", tilt: 0 },
  { name: "tilted_up", tilt: 1 },
  { name: "tilted_down", tilt: -1 },
];

/** Default tilt strength λ. */
export const ARENA_LAMBDA = 3;

/** Sampling probabilities ∝ exp(t · S) over the population (uniform for t = 0). */
function tiltWeights(scores: Float64Array, t: number): Float64Array {
  const w = Float64Array.from(scores, (s) => Math.exp(t * s));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

/** Each policy's exact true value: the tilted mean of the population's labels. */
export function arenaTruth(lambda: number = ARENA_LAMBDA): Readonly<Record<string, number>> {
  const { scores, labels } = arenaPopulation();
  return Object.fromEntries(
    ARENA_POLICIES.map((p) => {
      const w = tiltWeights(scores, p.tilt * lambda);
      return [p.name, w.reduce((a, wi, i) => a + wi * labels[i], 0)];
    }),
  );
}

/** Index of the first cumulative probability above u · total (binary search). */
function drawIndex(rng: Rng, cumulative: Float64Array): number {
  const u = rng.nextFloat() * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Options of {@link simulateArenaWorld}. */
export interface ArenaWorldOptions {
  /** Prompts; every policy draws one row per prompt. */
  readonly n: number;
  /** Share of base's rows that keep their oracle label (at least 2 rows). */
  readonly share: number;
  readonly seed: number;
  /** Tilt strength λ (default {@link ARENA_LAMBDA}). */
  readonly lambda?: number;
}

/** One replication of the resampled Arena world, in the format of {@link SyntheticWorld}. */
export function simulateArenaWorld(options: ArenaWorldOptions): SyntheticWorld {
  const lambda = options.lambda ?? ARENA_LAMBDA;
  const { scores, labels } = arenaPopulation();
  const rng = createRng(options.seed);
  const records: Record<string, unknown>[] = [];
  for (const policy of ARENA_POLICIES) {
    const weights = tiltWeights(scores, policy.tilt * lambda);
    const cumulative = new Float64Array(weights.length);
    for (let i = 0, acc = 0; i < weights.length; i++) {
      acc += weights[i];
      cumulative[i] = acc;
    }
    const draws = Int32Array.from({ length: options.n }, () => (policy.tilt === 0 ? rng.nextInt(scores.length) : drawIndex(rng, cumulative)));
    let keep = new Set<number>();
    if (policy.tilt === 0) {
      const order = Int32Array.from({ length: options.n }, (_, k) => k);
      rng.shuffle(order);
      keep = new Set(order.subarray(0, Math.min(options.n, Math.max(2, Math.round(options.share * options.n)))));
    }
    draws.forEach((row, k) => {
      records.push({
        policy: policy.name,
        prompt_id: `p${k}`,
        judge_score: scores[row],
        ...(keep.has(k) ? { oracle_label: labels[row] } : {}),
      });
    });
  }
  return { records, truth: arenaTruth(lambda) };
}

/** Options of {@link arenaCell}. */
export interface ArenaCellOptions extends ArenaWorldOptions {
  readonly reps: number;
}

/** Runs `reps` replications (seeds `seed`, `seed + 1`, …) of Direct analytic on the resampled Arena world. */
export function arenaCell(options: ArenaCellOptions): Cell {
  const { reps, seed, ...world } = options;
  return directCellOf(
    ARENA_POLICIES.map((p) => p.name),
    (r) => simulateArenaWorld({ ...world, seed: seed + r }),
    { reps },
  );
}
