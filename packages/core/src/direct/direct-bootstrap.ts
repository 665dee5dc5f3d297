/**
 * The Direct-mode bootstrap, run in this thread or split across worker threads.
 *
 * Replicate b always draws its weights from stream b of the seed, so the replicate matrix is the
 * same whatever the number of threads. The calling thread and `threads − 1` workers pull chunks of
 * replicates from a shared counter (so a worker that starts late simply takes fewer chunks); workers
 * rebuild the {@link DirectWorld} from its plain-data spec, write their rows into a shared matrix and
 * signal through `Atomics`, which lets the caller wait synchronously: `estimateDirect` and `analyze`
 * stay synchronous functions.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { runWeightBootstrap, type WeightBootstrapOptions } from "../numeric/bootstrap.js";
import type { DirectWorld, DirectWorldSpec } from "./direct-world.js";

/** Replicates × evaluation rows below which threads cost more than they save. */
export const PARALLEL_WORK_THRESHOLD = 4_000_000;
/** A worker that makes no progress for this long is considered dead. */
const STALL_TIMEOUT_MS = 120_000;
const ERROR_BYTES = 4096;

/** Replicates claimed at a time from the shared counter. */
const CHUNK = 8;

/** Status slots shared with the workers. */
export const STATUS = { done: 0, failed: 1, progress: 2, next: 3 } as const;

/** Message a bootstrap worker receives as `workerData`. */
export interface BootstrapWorkerData {
  readonly spec: DirectWorldSpec;
  readonly seed: number;
  readonly replicates: number;
  readonly matrix: SharedArrayBuffer;
  readonly status: SharedArrayBuffer;
  readonly error: SharedArrayBuffer;
}

const workerUrl = new URL("./direct-bootstrap-worker.js", import.meta.url);

/**
 * Threads to use: `requested` when given, else all cores (up to 8) for large problems and 1 for
 * small ones. Running from TypeScript sources (tests) always uses this thread: a worker needs the
 * compiled module.
 */
export function bootstrapThreads(replicates: number, rows: number, requested?: number): number {
  const compiled = workerUrl.pathname.endsWith(".js") && existsSync(fileURLToPath(workerUrl));
  if (!compiled) return 1;
  if (requested !== undefined) return Math.max(1, Math.min(Math.floor(requested), replicates));
  return replicates * rows >= PARALLEL_WORK_THRESHOLD ? Math.min(availableParallelism(), 8, replicates) : 1;
}

/** A Direct bootstrap whose worker threads, if any, are already starting. */
export interface DirectBootstrapRun {
  /**
   * Runs this thread's share of the replicates in `world` (built from the spec the run was started
   * with), waits for the workers and returns the B × P matrix.
   */
  finish(world: DirectWorld): Float64Array;
  /** Stops the workers (when the caller fails before `finish`); harmless after `finish`. */
  abandon(): void;
}

/**
 * Starts `replicates` Direct bootstrap replicates of the problem `spec` on `threads` threads. The
 * workers are spawned at once, so that their start-up (loading modules, building their world)
 * overlaps what the caller computes before {@link DirectBootstrapRun.finish}, building its own
 * world included; no replicate runs before `finish` is called.
 */
export function startBootstrapDirect(spec: DirectWorldSpec, replicates: number, seed: number, threads: number): DirectBootstrapRun {
  if (threads <= 1) {
    return { finish: (world) => runWeightBootstrap(bootstrapOptions(world, replicates, seed), (w, out) => world.replicate(w, out)), abandon: () => {} };
  }
  const P = spec.table.policies.length;
  const matrix = new SharedArrayBuffer(replicates * P * Float64Array.BYTES_PER_ELEMENT);
  const status = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
  const error = new SharedArrayBuffer(ERROR_BYTES);
  const flags = new Int32Array(status);
  const workers: Worker[] = [];
  for (let t = 1; t < threads; t++) {
    const data: BootstrapWorkerData = { spec, seed, replicates, matrix, status, error };
    const worker = new Worker(workerUrl, { workerData: data });
    worker.unref();
    workers.push(worker);
  }
  const abandon = () => {
    for (const w of workers) void w.terminate();
  };
  const finish = (world: DirectWorld): Float64Array => {
    try {
      runClaimedChunks(flags, new Float64Array(matrix), bootstrapOptions(world, replicates, seed), (w, out) => world.replicate(w, out));
    } catch (e) {
      abandon();
      throw e;
    }
    let lastProgress = -1;
    let lastChange = Date.now();
    for (;;) {
      const done = Atomics.load(flags, STATUS.done);
      if (Atomics.load(flags, STATUS.failed) !== 0) {
        abandon();
        const bytes = new Uint8Array(error);
        const end = bytes.indexOf(0);
        throw new Error(new TextDecoder().decode(bytes.slice(0, end < 0 ? bytes.length : end)));
      }
      if (done >= workers.length) break;
      Atomics.wait(flags, STATUS.done, done, 1000);
      const progress = Atomics.load(flags, STATUS.progress);
      if (progress !== lastProgress) {
        lastProgress = progress;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > STALL_TIMEOUT_MS) {
        abandon();
        throw new Error(`bootstrap workers made no progress for ${STALL_TIMEOUT_MS / 1000} s (${progress}/${replicates} replicates done)`);
      }
    }
    return new Float64Array(matrix).slice();
  };
  return { finish, abandon };
}

function bootstrapOptions(world: DirectWorld, replicates: number, seed: number): WeightBootstrapOptions {
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
  for (;;) {
    const from = Atomics.add(flags, STATUS.next, CHUNK);
    if (from >= options.replicates) return;
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
