/**
 * `analyze` without blocking on the bootstrap. A synchronous function cannot wait for Web Workers (a
 * browser's main thread may not block), so `analyzeAsync` awaits the Direct bootstrap instead: its
 * replicates run on Web Workers where the runtime has them, on the worker threads of
 * `@cjeval/core/node` when that is loaded, else in this thread in chunks that yield to the event loop.
 */
import type { EvaluationData } from "../data/evaluation-data.js";
import { estimateDirectAsync } from "../direct/direct-async.js";
import type { BootstrapProgress } from "../direct/direct-bootstrap-chunks.js";
import { prepareAnalysis, reportAnalysis, type AnalyzeOptions } from "./analyze.js";
import type { AnalysisResult } from "./result-schema.js";

export type { BootstrapProgress } from "../direct/direct-bootstrap-chunks.js";

/** Options of {@link analyzeAsync}: those of `analyze`, and a progress callback of the bootstrap. */
export interface AnalyzeAsyncOptions extends AnalyzeOptions {
  /**
   * Called as bootstrap replicates finish (`inference: "bootstrap"` only): replicates done, in all, and the threads
   * that computed them so far — for a progress bar, and to see where the work ran. On the worker threads of
   * `@cjeval/core/node` it is called once, at the end. An error it throws rejects the analysis.
   */
  readonly onProgress?: (progress: BootstrapProgress) => void;
}

/**
 * Analyses validated evaluation data like `analyze`, with the same options and, for the same seed, the same result,
 * bit for bit; the difference is where the bootstrap (`inference: "bootstrap"`) runs:
 *
 * - where the runtime has Web Workers (browsers, Deno, Bun), its replicates are split across `threads` Web Workers
 *   (default: all cores, up to 8, when replicates × rows ≥ 4 000 000, else 1), while this thread stays free. The
 *   worker is a module core loads by its URL relative to `import.meta.url`, the pattern vite and webpack 5 bundle as
 *   they stand (see the README). A worker that cannot start hands its share to the others, and when none starts the
 *   replicates run in this thread;
 * - in Node with `@cjeval/core/node` loaded, on its worker threads, as `analyze` does (this thread computes a share);
 * - otherwise (`threads: 1`, small problems, runtimes without workers), in this thread, in chunks that yield to the
 *   event loop.
 *
 * Replicate b always draws from stream b of the seed, so the result does not depend on the path or the number of
 * workers. The analytic inference (the default) needs no workers: the promise then holds `analyze`'s result. Errors
 * (invalid options or data, a failed replicate) reject the promise. Off-policy analysis has no async variant:
 * `analyzeOffPolicy` has no bootstrap (its intervals are analytic, with the OUA jackknife).
 *
 * @example
 * ```ts
 * const result = await analyzeAsync(data, { inference: "bootstrap", onProgress: (p) => bar.update(p.done / p.replicates) });
 * ```
 */
export async function analyzeAsync(data: EvaluationData, options: AnalyzeAsyncOptions = {}): Promise<AnalysisResult> {
  const prepared = prepareAnalysis(data, options);
  const estimate = await estimateDirectAsync(prepared.table, prepared.calibration, {
    ...prepared.direct,
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  });
  return reportAnalysis(prepared, estimate);
}
