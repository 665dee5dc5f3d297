/**
 * The asynchronous Direct bootstrap (behind `estimateDirectAsync` and `analyzeAsync`), on the first of:
 *
 * 1. the worker-thread pool of `@cjeval/core/node`, when it is loaded and chooses more than one thread
 *    (it runs as for the synchronous bootstrap: the calling thread takes a share and then waits);
 * 2. Web Workers, where the runtime has a global `Worker` (browsers, Deno, Bun) and more than one is
 *    chosen (`direct-bootstrap-web-workers.ts`);
 * 3. the calling thread, in chunks, yielding to the event loop between them.
 *
 * Replicate b draws from stream b of the seed on every path, so the matrix, and every result, is the
 * one the synchronous bootstrap computes.
 */
import { bootstrapThreads, startBootstrapDirect } from "./direct-bootstrap.js";
import { ProgressCounter, ReplicateChunks, runChunksHere, type AsyncBootstrapRun, type BootstrapProgress } from "./direct-bootstrap-chunks.js";
import { startWebWorkerBootstrap, webWorkerThreads } from "./direct-bootstrap-web-workers.js";
import type { DirectWorldSpec } from "./direct-world.js";

/** How an asynchronous bootstrap runs: the threads asked for, and who hears of its progress. */
export interface AsyncBootstrapOptions {
  /** Threads computing replicates (see `DirectOptions.threads`); 1 = the calling thread only. */
  readonly threads?: number;
  /** Called as replicates finish (once, at the end, on the worker-thread pool). */
  readonly onProgress?: (progress: BootstrapProgress) => void;
}

/**
 * Starts `replicates` Direct bootstrap replicates of the problem `spec` (see the module comment for
 * where they run). Workers, if any, start at once; no replicate runs in the calling thread before
 * {@link AsyncBootstrapRun.finish} is called.
 */
export function startBootstrapDirectAsync(spec: DirectWorldSpec, replicates: number, seed: number, options: AsyncBootstrapOptions = {}): AsyncBootstrapRun {
  const rows = spec.table.scores.length;
  const pooled = bootstrapThreads(replicates, rows, options.threads);
  if (pooled > 1) {
    const run = startBootstrapDirect(spec, replicates, seed, pooled);
    return {
      finish: async (world) => {
        const { matrix, threads } = run.finish(world);
        options.onProgress?.({ done: replicates, replicates, threads });
        return matrix;
      },
      abandon: () => run.abandon(),
    };
  }
  const progress = new ProgressCounter(replicates, options.onProgress);
  const workers = webWorkerThreads(replicates, rows, options.threads);
  if (workers > 1) return startWebWorkerBootstrap(spec, replicates, seed, workers, progress);
  return {
    finish: async (world) => {
      const matrix = new Float64Array(replicates * spec.table.policies.length);
      await runChunksHere(world, seed, new ReplicateChunks(replicates), matrix, progress);
      return matrix;
    },
    abandon: () => {},
  };
}
