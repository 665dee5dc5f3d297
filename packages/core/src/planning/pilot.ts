/**
 * Measuring the variance model on a pilot (method-direct §2.14): a fresh-draws data set of one
 * policy with judge scores on every prompt and oracle labels on some. For each (n, m) of a grid,
 * sub-samples m labelled and n − m unlabelled prompts (without replacement, all draws of each
 * chosen prompt), runs the production estimator — `calibratedMeanCI` with analytic inference
 * (cluster-robust + OUA jackknife), the instrument the reference found to track realised SEs — and
 * records the squared median reported SE. σ²_eval and σ²_cal are then fitted by exact NNLS.
 */
import { calibratedMeanCI } from "../direct/calibrated-mean.js";
import { CjeInputError } from "../errors/input-error.js";
import type { EvaluationData } from "../data/evaluation-data.js";
import { scaleSpan } from "../data/scales.js";
import { ksTwoSample } from "../numeric/ks-test.js";
import { quantile } from "../numeric/quantiles.js";
import { checkLimit, MAX_BOOTSTRAP_REPLICATES, seedSchema } from "../numeric/resource-limits.js";
import { createRng, type Rng } from "../numeric/rng.js";
import { fitVarianceComponents, type VarianceModel } from "./variance-model.js";

/** Default oracle fractions of the measurement grid. */
export const DEFAULT_ORACLE_FRACTIONS: readonly number[] = [0.15, 0.25, 0.4];
/** Default replicates per grid cell. */
export const DEFAULT_PILOT_REPLICATES = 50;
/** Default seed of the pilot sub-sampling. */
export const DEFAULT_PILOT_SEED = 42;
/** Smallest number of labels in a grid cell. */
export const MIN_GRID_LABELS = 15;

/** One prompt of the pilot: its draws' judge scores and labels (internal units; NaN = unlabelled). */
export interface PilotPrompt {
  readonly id: string;
  readonly scores: readonly number[];
  readonly labels: readonly number[];
  /**
   * Judge scores of each partner policy's draws on this prompt, in {@link Pilot.partners} order, or
   * `null` when some partner did not answer it. Absent in a one-policy pilot.
   */
  readonly partnerScores?: readonly (readonly number[])[] | null;
}

/** A pilot policy split into labelled prompts (≥ 1 labelled draw) and unlabelled ones. */
export interface Pilot {
  readonly policy: string;
  readonly labelled: readonly PilotPrompt[];
  readonly unlabelled: readonly PilotPrompt[];
  readonly nRows: number;
  /** Oracle-scale span: internal → oracle units (variances scale by its square). */
  readonly span: number;
  /**
   * The data's other policies, evaluated through the pilot policy's calibrator when paired
   * comparisons are measured (absent or `[]`: one policy).
   */
  readonly partners?: readonly string[];
  /** Oracle labels on the partners' draws: not used, since a plan buys labels for the pilot policy only. */
  readonly partnerLabels?: number;
}

/**
 * Extracts the pilot policy from evaluation data: `policy`, or by default the policy with the most
 * oracle labels. A separate calibration file is not part of a pilot (its rows have no evaluation
 * prompts to sub-sample) and is an error.
 */
export function pilotFromData(data: EvaluationData, policy?: string): Pilot {
  if (data.calibration.length > 0) {
    throw new CjeInputError("a planning pilot is one policy's fresh draws with some oracle labels; a separate calibration file is not used");
  }
  if (data.oracleScale === null) throw new CjeInputError("the pilot has no oracle labels: label some of its prompts first");
  const labelCount = new Map<string, number>();
  for (const d of data.draws) if (d.oracleLabel !== null) labelCount.set(d.policy, (labelCount.get(d.policy) ?? 0) + 1);
  const chosen = policy ?? [...labelCount.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
  if (!data.policies.includes(chosen)) {
    throw new CjeInputError(`pilot policy '${chosen}' is not in the data (policies: ${data.policies.join(", ")})`, { field: "policy", value: chosen });
  }
  const partners = data.policies.filter((p) => p !== chosen);
  const partnerIndex = new Map(partners.map((p, k) => [p, k]));
  const prompts = new Map<string, { scores: number[]; labels: number[] }>();
  const partnerScores = new Map<string, number[][]>();
  let nRows = 0;
  let partnerLabels = 0;
  for (const d of data.draws) {
    if (d.policy !== chosen) {
      const k = partnerIndex.get(d.policy) as number;
      let scores = partnerScores.get(d.promptId);
      if (scores === undefined) partnerScores.set(d.promptId, (scores = partners.map(() => [])));
      scores[k].push(d.judgeScore);
      if (d.oracleLabel !== null) partnerLabels++;
      continue;
    }
    nRows++;
    let p = prompts.get(d.promptId);
    if (p === undefined) prompts.set(d.promptId, (p = { scores: [], labels: [] }));
    p.scores.push(d.judgeScore);
    p.labels.push(d.oracleLabel ?? Number.NaN);
  }
  const labelled: PilotPrompt[] = [];
  const unlabelled: PilotPrompt[] = [];
  for (const [id, p] of prompts) {
    const scores = partnerScores.get(id);
    const shared = scores?.every((s) => s.length > 0) ? scores : null;
    (p.labels.some((y) => !Number.isNaN(y)) ? labelled : unlabelled).push({ id, ...p, ...(partners.length > 0 ? { partnerScores: shared } : {}) });
  }
  if (labelled.length === 0) throw new CjeInputError(`pilot policy '${chosen}' has no oracle labels`);
  return { policy: chosen, labelled, unlabelled, nRows, span: scaleSpan(data.oracleScale.scale), partners, partnerLabels };
}

/** Fewest labelled and unlabelled draws the balance check runs on. */
export const BALANCE_MIN_DRAWS = 10;
/** Level of the balance check. */
export const BALANCE_ALPHA = 0.05;

/** Whether the labelled draws' judge scores look like the unlabelled ones'. */
export interface LabelBalance {
  readonly status: "BALANCE_NOT_REJECTED" | "SHIFT_DETECTED" | "INSUFFICIENT_DATA";
  /** Kolmogorov–Smirnov D and its p-value (`null` with too few draws). */
  readonly statistic: number | null;
  readonly pValue: number | null;
  readonly nLabelled: number;
  readonly nUnlabelled: number;
}

/**
 * Informational balance check of a pilot (method-direct §2.14): a two-sample Kolmogorov–Smirnov test of
 * the labelled draws' judge scores against the unlabelled draws' (at least {@link BALANCE_MIN_DRAWS}
 * each), `SHIFT_DETECTED` when p ≤ {@link BALANCE_ALPHA}. Not rejecting balance does not establish that
 * the labels were chosen at random, representatively or ignorably.
 */
export function labelBalance(pilot: Pilot): LabelBalance {
  const labelled: number[] = [];
  const unlabelled: number[] = [];
  for (const p of [...pilot.labelled, ...pilot.unlabelled]) {
    p.scores.forEach((s, j) => (Number.isNaN(p.labels[j]) ? unlabelled : labelled).push(s));
  }
  const counts = { nLabelled: labelled.length, nUnlabelled: unlabelled.length };
  if (labelled.length < BALANCE_MIN_DRAWS || unlabelled.length < BALANCE_MIN_DRAWS) {
    return { status: "INSUFFICIENT_DATA", statistic: null, pValue: null, ...counts };
  }
  const test = ksTwoSample(labelled, unlabelled);
  return { status: test.pValue <= BALANCE_ALPHA ? "SHIFT_DETECTED" : "BALANCE_NOT_REJECTED", statistic: test.statistic, pValue: test.pValue, ...counts };
}

/**
 * Default n grid for a pilot of N prompts: the distinct values of max(50, ⌊0.15N⌋), max(100,
 * ⌊0.30N⌋), max(150, ⌊0.45N⌋), max(200, ⌊0.60N⌋) that are ≤ 0.8N.
 */
export function defaultNGrid(nPrompts: number): number[] {
  const candidates = [
    [50, 0.15],
    [100, 0.3],
    [150, 0.45],
    [200, 0.6],
  ].map(([floor, f]) => Math.max(floor, Math.floor(f * nPrompts)));
  return [...new Set(candidates)].filter((n) => n <= 0.8 * nPrompts).sort((a, b) => a - b);
}

/**
 * The measurement grid: with n_ref = min(max n, labels available) and m_cap = min(labels available,
 * ⌊0.9·min n⌋), the m levels are the distinct min(max(15, ⌊n_ref·f⌋), m_cap); the points are all
 * (n, m) with m < n. Needs at least two distinct n and two distinct m.
 */
export function measurementGrid(nGrid: readonly number[], fractions: readonly number[], labelsAvailable: number): { n: number; m: number }[] {
  const ns = [...new Set(nGrid)].sort((a, b) => a - b);
  for (const n of ns) {
    if (!Number.isInteger(n) || n < 20) throw new CjeInputError("grid sizes n must be integers ≥ 20", { field: "nGrid", value: n });
  }
  for (const f of fractions) {
    if (!(f > 0 && f <= 1)) throw new CjeInputError("oracle fractions must lie in (0, 1]", { field: "oracleFractions", value: f });
  }
  const nRef = Math.min(ns[ns.length - 1] ?? 0, labelsAvailable);
  const mCap = Math.min(labelsAvailable, Math.floor(0.9 * (ns[0] ?? 0)));
  const ms = [...new Set(fractions.map((f) => Math.min(Math.max(MIN_GRID_LABELS, Math.floor(nRef * f)), mCap)))].sort((a, b) => a - b);
  if (ns.length < 2 || ms.length < 2) {
    throw new CjeInputError(
      `the measurement grid has insufficient variation (n = [${ns.join(", ")}], m = [${ms.join(", ")}]); a pilot of 200+ prompts ` +
        "with 100+ oracle labels is recommended",
    );
  }
  return ns.flatMap((n) => ms.filter((m) => m < n && m <= labelsAvailable).map((m) => ({ n, m })));
}

/** Options of {@link measureVarianceModel}. */
export interface PilotOptions {
  /** Grid of evaluated prompts n (default {@link defaultNGrid}). */
  readonly nGrid?: readonly number[];
  /** Oracle fractions defining the label levels (default 0.15, 0.25, 0.40). */
  readonly oracleFractions?: readonly number[];
  /** Sub-samples per grid cell (default 50). */
  readonly replicates?: number;
  readonly seed?: number;
}

/** One measured grid cell (variances in oracle units²). */
export interface PilotMeasurement {
  /** Requested sizes. */
  readonly nRequested: number;
  readonly mRequested: number;
  /** Sizes used (smaller when the pilot's labelled or unlabelled pool was too small). */
  readonly n: number;
  readonly m: number;
  /** Squared median SE of the valid replicates. */
  readonly variance: number;
  readonly validReplicates: number;
}

/** A variance model measured on a pilot. */
export interface PilotVarianceModel {
  /** σ² components in oracle units². */
  readonly model: VarianceModel;
  readonly measurements: readonly PilotMeasurement[];
  readonly warnings: readonly string[];
}

/** Measures σ²_eval and σ²_cal on a pilot (see the module comment). */
export function measureVarianceModel(pilot: Pilot, options: PilotOptions = {}): PilotVarianceModel {
  const nPrompts = pilot.labelled.length + pilot.unlabelled.length;
  const grid = measurementGrid(options.nGrid ?? defaultNGrid(nPrompts), options.oracleFractions ?? DEFAULT_ORACLE_FRACTIONS, pilot.labelled.length);
  const { series, warnings } = measureOnGrid(pilot.labelled, pilot.unlabelled, pilot.span, grid, options, 1, (prompts) => [estimateOnPrompts(prompts).se]);
  return { model: fitVarianceComponents(series[0]), measurements: series[0], warnings };
}

/**
 * The measurement loop shared by the level and the comparison models: for each (n, m) of `grid`,
 * `replicates` sub-samples (from `options`) of m of the `labelled` and n − m of the `unlabelled`
 * prompts, each giving `count` SEs (internal units) through `seOf`; series k holds, per cell, the
 * squared median of the k-th SEs that are positive and finite, in oracle units².
 */
export function measureOnGrid(
  labelled: readonly PilotPrompt[],
  unlabelled: readonly PilotPrompt[],
  span: number,
  grid: readonly { readonly n: number; readonly m: number }[],
  options: PilotOptions,
  count: number,
  seOf: (prompts: PilotPrompt[]) => ArrayLike<number>,
): { series: PilotMeasurement[][]; warnings: string[] } {
  const replicates = options.replicates ?? DEFAULT_PILOT_REPLICATES;
  if (!Number.isInteger(replicates) || replicates < 1)
    throw new CjeInputError("replicates must be a positive integer", { field: "replicates", value: replicates });
  if (replicates > MAX_BOOTSTRAP_REPLICATES)
    throw new CjeInputError(`replicates must be at most ${MAX_BOOTSTRAP_REPLICATES}`, { field: "replicates", value: replicates });
  const seed = options.seed ?? DEFAULT_PILOT_SEED;
  checkLimit(seedSchema, "seed", seed);
  const series: PilotMeasurement[][] = Array.from({ length: count }, () => []);
  let clamped = 0;
  grid.forEach(({ n, m }, i) => {
    const mUsed = Math.min(m, labelled.length);
    const rest = Math.min(n - m, unlabelled.length);
    if (mUsed !== m || rest !== n - m) clamped++;
    const rng = createRng(seed + 100 * i);
    const ses: number[][] = Array.from({ length: count }, () => []);
    for (let r = 0; r < replicates; r++) {
      const out = seOf([...sample(labelled, mUsed, rng), ...sample(unlabelled, rest, rng)]);
      for (let k = 0; k < count; k++) if (out[k] > 0 && Number.isFinite(out[k])) ses[k].push(out[k] * span);
    }
    ses.forEach((valid, k) => {
      if (valid.length > 0)
        series[k].push({ nRequested: n, mRequested: m, n: mUsed + rest, m: mUsed, variance: quantile(valid, 0.5) ** 2, validReplicates: valid.length });
    });
  });
  const warnings =
    clamped > 0
      ? [
          `${clamped} of ${grid.length} measurement cells were clamped to the pilot's ${labelled.length} labelled and ` +
            `${unlabelled.length} unlabelled prompts; the fit uses the sizes actually measured`,
        ]
      : [];
  return { series, warnings };
}

/**
 * The production estimator with analytic inference (`calibratedMeanCI`) on the draws of `prompts`,
 * in internal units. Each entry is one cluster: a prompt chosen twice gets a fresh id per copy.
 */
export function estimateOnPrompts(prompts: readonly PilotPrompt[]): { estimate: number; se: number; ci: readonly [number, number] } {
  const scores: number[] = [];
  const labels: number[] = [];
  const clusterIds: string[] = [];
  prompts.forEach((p, k) => {
    for (let j = 0; j < p.scores.length; j++) {
      scores.push(p.scores[j]);
      labels.push(p.labels[j]);
      clusterIds.push(`${k}`);
    }
  });
  return calibratedMeanCI(scores, labels, { clusterIds, inference: "analytic" });
}

/** `k` distinct elements of `pool`, uniformly (partial Fisher–Yates on an index copy). */
function sample<T>(pool: readonly T[], k: number, rng: Rng): T[] {
  const idx = Int32Array.from({ length: pool.length }, (_, i) => i);
  const out: T[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + rng.nextInt(pool.length - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
    out.push(pool[idx[i]]);
  }
  return out;
}
