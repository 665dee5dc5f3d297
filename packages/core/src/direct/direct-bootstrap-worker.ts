/**
 * Worker thread of the parallel Direct bootstrap: rebuilds the estimation problem from its spec,
 * runs chunks of replicates claimed from the shared counter into the shared matrix, and signals
 * completion or failure.
 */
import { workerData } from "node:worker_threads";
import { CalibrationPoints } from "../calibration/points.js";
import { reportWorkerError, runClaimedChunks, STATUS, type BootstrapWorkerData } from "./direct-bootstrap.js";
import { DirectWorld } from "./direct-world.js";

const data = workerData as BootstrapWorkerData;
const flags = new Int32Array(data.status);
try {
  // Structured clone drops class prototypes: restore the calibration points.
  const table = { ...data.spec.table, points: CalibrationPoints.restore(data.spec.table.points) };
  const world = new DirectWorld({ ...data.spec, table });
  const options = { replicates: data.replicates, seed: data.seed, nWeights: world.nWeights, nOutputs: table.policies.length };
  runClaimedChunks(flags, new Float64Array(data.matrix), options, (w, out) => world.replicate(w, out));
} catch (error) {
  reportWorkerError(data.error, error instanceof Error ? error.message : String(error));
  Atomics.store(flags, STATUS.failed, 1);
} finally {
  Atomics.add(flags, STATUS.done, 1);
  Atomics.notify(flags, STATUS.done);
}
