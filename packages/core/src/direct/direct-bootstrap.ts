/**
 * The Direct-mode bootstrap, run in this thread or, through a registered thread pool, split across
 * threads.
 *
 * Replicate b always draws its weights from stream b of the seed, so the replicate matrix is the
 * same whatever the number of threads. This file imports no Node built-in: in browsers and edge
 * runtimes (and in Node until `@cjeval/core/node` is loaded) every replicate of the synchronous
 * `estimateDirect` and `analyze` runs in the calling thread. `@cjeval/core/node` registers the
 * worker-thread pool of `direct-bootstrap-threads.ts`: the calling thread and `threads − 1` workers
 * pull chunks of replicates from a shared counter, write their rows into a shared matrix and signal
 * through `Atomics`, which lets the caller wait synchronously: `estimateDirect` and `analyze` stay
 * synchronous functions. A browser's main thread cannot wait like that; the asynchronous run
 * (`direct-bootstrap-async.ts`, behind `analyzeAsync`) splits the replicates across Web Workers instead.
 */
import { runWeightBootstrap, type WeightBootstrapOptions } from "../numeric/bootstrap.js";
import { CalibrationPoints } from "../calibration/points.js";
import { DirectWorld, type DirectWorldSpec } from "./direct-world.js";

/** Replicates claimed at a time, from the shared counter of the thread pool or by a Web Worker. */
export const CHUNK = 8;

/** Replicates × evaluation rows below which threads cost more than they save. */
export const PARALLEL_WORK_THRESHOLD = 4_000_000;

/** Most threads chosen by default (an explicit `threads` option may ask for more). */
const MAX_DEFAULT_THREADS = 8;

/** Status slots shared with the workers (`contributors`: threads that claimed at least one chunk). */
export const STATUS = { done: 0, failed: 1, progress: 2, next: 3, contributors: 4 } as const;

/** Message a bootstrap worker receives as `workerData`. */
export interface BootstrapWorkerData {
  readonly spec: DirectWorldSpec;
  readonly seed: number;
  readonly replicates: number;
  readonly matrix: SharedArrayBuffer;
  readonly status: SharedArrayBuffer;
  readonly error: SharedArrayBuffer;
}

/** The replicate matrix of a finished bootstrap, and how many threads computed its rows. */
export interface BootstrapMatrix {
  /** B × P, row-major. */
  readonly matrix: Float64Array;
  /** Threads that computed at least one replicate (1: the calling thread alone). */
  readonly threads: number;
}

/** A Direct bootstrap whose worker threads, if any, are already starting. */
export interface DirectBootstrapRun {
  /**
   * Runs this thread's share of the replicates in `world` (built from the spec the run was started
   * with), waits for the workers and returns the B × P matrix.
   */
  finish(world: DirectWorld): BootstrapMatrix;
  /** Stops the workers (when the caller fails before `finish`); harmless after `finish`. */
  abandon(): void;
}

/**
 * Runs bootstrap replicates on other threads. `@cjeval/core/node` registers the worker-thread pool;
 * without one, every replicate runs in the calling thread (the same matrix for a given seed).
 */
export interface BootstrapThreadPool {
  /** Threads to use for `replicates` × `rows` work, `requested` when given; 1 runs in this thread. */
  threads(replicates: number, rows: number, requested?: number): number;
  /** Starts a run on `threads` (> 1) threads; see {@link startBootstrapDirect}. */
  start(spec: DirectWorldSpec, replicates: number, seed: number, threads: number): DirectBootstrapRun;
}

let pool: BootstrapThreadPool | null = null;

/** Registers (or, with null, removes) the thread pool the Direct bootstrap uses. */
export function registerBootstrapThreadPool(next: BootstrapThreadPool | null): void {
  pool = next;
}

/**
 * Threads to use: 1 without a registered pool, else the pool's choice (`requested` when given, else
 * all cores, up to 8, for large problems and 1 for small ones; see {@link chooseThreads}).
 */
export function bootstrapThreads(replicates: number, rows: number, requested?: number): number {
  return pool === null ? 1 : pool.threads(replicates, rows, requested);
}

/**
 * Starts `replicates` Direct bootstrap replicates of the problem `spec` on `threads` threads (in
 * this thread when `threads` ≤ 1 or no pool is registered). A pool's workers are spawned at once, so
 * that their start-up (loading modules, building their world) overlaps what the caller computes
 * before {@link DirectBootstrapRun.finish}; no replicate runs before `finish` is called.
 */
export function startBootstrapDirect(spec: DirectWorldSpec, replicates: number, seed: number, threads: number): DirectBootstrapRun {
  if (threads > 1 && pool !== null) return pool.start(spec, replicates, seed, threads);
  return {
    finish: (world) => ({ matrix: runWeightBootstrap(bootstrapOptions(world, replicates, seed), (w, out) => world.replicate(w, out)), threads: 1 }),
    abandon: () => {},
  };
}

/**
 * Threads for `replicates` × `rows` work on `cores` cores: `requested` (at most one per replicate) when
 * given, else all cores, up to 8, when the work reaches {@link PARALLEL_WORK_THRESHOLD}, and 1 below it.
 */
export function chooseThreads(replicates: number, rows: number, cores: number, requested?: number): number {
  if (requested !== undefined) return Math.max(1, Math.min(Math.floor(requested), replicates));
  return replicates * rows >= PARALLEL_WORK_THRESHOLD ? Math.max(1, Math.min(cores, MAX_DEFAULT_THREADS, replicates)) : 1;
}

/**
 * Rebuilds the {@link DirectWorld} of a spec received by structured clone (by a worker thread or a Web
 * Worker): the clone drops class prototypes, so the calibration points are restored first.
 */
export function restoreDirectWorld(spec: DirectWorldSpec): DirectWorld {
  return new DirectWorld({ ...spec, table: { ...spec.table, points: CalibrationPoints.restore(spec.table.points) } });
}

/** The bootstrap options of `replicates` replicates of `world` from `seed`. */
export function bootstrapOptions(world: DirectWorld, replicates: number, seed: number): WeightBootstrapOptions {
  return { replicates, seed, nWeights: world.nWeights, nOutputs: world.spec.table.policies.length };
}

/**
 * Claims chunks of replicates from the shared counter until none are left, running each into the
 * shared matrix (used by the calling thread and by every worker).
 */
export function runClaimedChunks(
  flags: Int32Array,
  matrix: Float64Array,
  options: WeightBootstrapOptions,
  replicate: (weights: Float64Array, out: Float64Array) => void,
): void {
  const onReplicate = () => Atomics.add(flags, STATUS.progress, 1);
  let claimed = false;
  for (;;) {
    const from = Atomics.add(flags, STATUS.next, CHUNK);
    if (from >= options.replicates) return;
    if (!claimed) {
      claimed = true;
      Atomics.add(flags, STATUS.contributors, 1);
    }
    runWeightBootstrap(options, replicate, { from, to: Math.min(from + CHUNK, options.replicates), matrix, onReplicate });
  }
}

/** Writes an error message into the shared error buffer (truncated, NUL-terminated). */
export function reportWorkerError(error: SharedArrayBuffer, message: string): void {
  const bytes = new Uint8Array(error);
  const encoded = new TextEncoder().encode(message).subarray(0, bytes.length - 1);
  bytes.set(encoded);
  bytes[encoded.length] = 0;
}
