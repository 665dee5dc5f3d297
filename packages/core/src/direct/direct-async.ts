/**
 * The Direct-mode estimator without blocking on its bootstrap: the same estimate as
 * `estimateDirect`, bit for bit, with the bootstrap's replicates computed by Web Workers, the
 * worker-thread pool of `@cjeval/core/node` or the calling thread in chunks
 * (`direct-bootstrap-async.ts`). The calibrator, point estimate and analytic inference are computed
 * in the calling thread, while the workers start.
 */
import type { BootstrapProgress } from "./direct-bootstrap-chunks.js";
import { startBootstrapDirectAsync } from "./direct-bootstrap-async.js";
import { completeDirect, fitDirect, planDirect, type CalibrationSource, type DirectEstimate, type DirectOptions } from "./direct.js";
import type { EvalTable } from "./eval-table.js";

/** Options of {@link estimateDirectAsync}: those of `estimateDirect`, and a progress callback of the bootstrap. */
export interface DirectAsyncOptions extends DirectOptions {
  /** Called as bootstrap replicates finish (see {@link BootstrapProgress}); never called by analytic inference. */
  readonly onProgress?: (progress: BootstrapProgress) => void;
}

/** `estimateDirect`'s estimate, computed without blocking on the bootstrap (see the module comment). */
export async function estimateDirectAsync(table: EvalTable, calibration: CalibrationSource | null, options: DirectAsyncOptions = {}): Promise<DirectEstimate> {
  const plan = planDirect(table, calibration, options);
  const run = plan.method === "bootstrap" ? startBootstrapDirectAsync(plan.spec, plan.replicates, plan.seed, options) : null;
  const { world, fitted } = fitDirect(plan, run);
  return completeDirect(plan, fitted, run === null ? null : await run.finish(world));
}
