/**
 * Worker thread of the parallel Direct bootstrap: rebuilds the estimation problem from its spec,
 * runs chunks of replicates claimed from the shared counter into the shared matrix, and signals
 * completion or failure.
 */
import { workerData } from "node:worker_threads";
import { bootstrapOptions, reportWorkerError, restoreDirectWorld, runClaimedChunks, STATUS, type BootstrapWorkerData } from "./direct-bootstrap.js";

const data = workerData as BootstrapWorkerData;
const flags = new Int32Array(data.status);
try {
  const world = restoreDirectWorld(data.spec);
  runClaimedChunks(flags, new Float64Array(data.matrix), bootstrapOptions(world, data.replicates, data.seed), (w, out) => world.replicate(w, out));
} catch (error) {
  reportWorkerError(data.error, error instanceof Error ? error.message : String(error));
  Atomics.store(flags, STATUS.failed, 1);
} finally {
  Atomics.add(flags, STATUS.done, 1);
  Atomics.notify(flags, STATUS.done);
}
