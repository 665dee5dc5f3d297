/**
 * The positive-exponential-weight cluster bootstrap (a Bayesian cluster bootstrap, method-direct
 * §2.6): every replicate draws an Exponential(1) weight per cluster, so no cluster is ever dropped
 * and no replicate is ever discarded or retried. The estimator supplies the replicate function,
 * which refits whatever it needs (the calibrator included) under those weights.
 */
import { createRng } from "./rng.js";
import { quantileSorted } from "./quantiles.js";

/** Settings of a weight bootstrap. */
export interface WeightBootstrapOptions {
  /** Number of replicates B (≥ 2). */
  readonly replicates: number;
  /** RNG seed. */
  readonly seed: number;
  /** Number of independent weights drawn per replicate (clusters). */
  readonly nWeights: number;
  /** Number of statistics each replicate writes. */
  readonly nOutputs: number;
}

/** A slice of the replicates to run, and where to write them (for parallel workers). */
export interface BootstrapSlice {
  /** First replicate index (inclusive). */
  readonly from: number;
  /** Last replicate index (exclusive). */
  readonly to: number;
  /** The B × nOutputs matrix (row-major) that rows `from..to` are written into. */
  readonly matrix: Float64Array;
  /** Called after each replicate (progress reporting). */
  readonly onReplicate?: () => void;
}

/**
 * Runs the bootstrap. `replicate(weights, out)` must write `nOutputs` statistics into `out`;
 * `weights` (length `nWeights`) is reused between calls. Replicate b draws its weights from its own
 * stream `createRng(seed).fork(b)`, so the matrix does not depend on how the replicates are split
 * across threads. Returns the B × nOutputs matrix, row-major.
 */
export function runWeightBootstrap(
  options: WeightBootstrapOptions,
  replicate: (weights: Float64Array, out: Float64Array) => void,
  slice?: BootstrapSlice,
): Float64Array {
  const { replicates: B, nWeights, nOutputs } = options;
  if (!Number.isInteger(B) || B < 2) throw new RangeError(`bootstrap replicates must be an integer ≥ 2, got ${B}`);
  const root = createRng(options.seed);
  const weights = new Float64Array(nWeights);
  const matrix = slice?.matrix ?? new Float64Array(B * nOutputs);
  for (let b = slice?.from ?? 0; b < (slice?.to ?? B); b++) {
    root.fork(b).fillExponential(weights);
    const row = matrix.subarray(b * nOutputs, (b + 1) * nOutputs);
    replicate(weights, row);
    for (let j = 0; j < nOutputs; j++) {
      if (!Number.isFinite(row[j])) {
        throw new Error(`bootstrap replicate ${b} produced a non-finite statistic (column ${j}); no replicate is discarded or retried`);
      }
    }
    slice?.onReplicate?.();
  }
  return matrix;
}

/** Standard deviation (n−1) and linear-percentile interval of one bootstrap column. */
export interface BootstrapColumnSummary {
  readonly se: number;
  readonly lower: number;
  readonly upper: number;
}

/** Summarises column `j` of a B × nOutputs matrix at level 1 − alpha. */
export function summarizeBootstrapColumn(matrix: Float64Array, nOutputs: number, j: number, alpha = 0.05): BootstrapColumnSummary {
  return summarizeDraws(column(matrix, nOutputs, j), alpha);
}

/** Standard deviation (n − 1 denominator) of a sample; NaN with fewer than two values. */
export function sampleSd(values: ArrayLike<number>): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/** Standard deviation (n−1) and percentile interval of a sample of bootstrap draws. */
export function summarizeDraws(draws: Float64Array, alpha = 0.05): BootstrapColumnSummary {
  const sorted = Float64Array.from(draws).sort();
  return {
    se: sampleSd(draws),
    lower: quantileSorted(sorted, alpha / 2),
    upper: quantileSorted(sorted, 1 - alpha / 2),
  };
}

/** Extracts column `j` of a row-major matrix with `nOutputs` columns. */
export function column(matrix: Float64Array, nOutputs: number, j: number): Float64Array {
  const B = matrix.length / nOutputs;
  const out = new Float64Array(B);
  for (let b = 0; b < B; b++) out[b] = matrix[b * nOutputs + j];
  return out;
}
