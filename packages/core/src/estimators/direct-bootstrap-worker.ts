/**
 * Worker thread of the parallel Direct bootstrap: rebuilds the estimation problem from its spec,
 * runs its slice of replicates into the shared matrix, and signals completion or failure.
 */
import { workerData } from "node:worker_threads";
import { CalibrationPoints } from "../calibration/points.js";
import { runWeightBootstrap } from "../inference/bootstrap.js";
import { reportWorkerError, STATUS, type BootstrapWorkerData } from "./direct-bootstrap.js";
import { DirectWorld } from "./direct-world.js";

const data = workerData as BootstrapWorkerData;
const flags = new Int32Array(data.status);
try {
  // Structured clone drops class prototypes: restore the calibration points.
  const table = { ...data.spec.table, points: CalibrationPoints.restore(data.spec.table.points) };
  const world = new DirectWorld({ ...data.spec, table });
  const P = table.policies.length;
  runWeightBootstrap(
    { replicates: data.replicates, seed: data.seed, nWeights: world.nWeights, nOutputs: P },
    (w, out) => world.replicate(w, out),
    { from: data.from, to: data.to, matrix: new Float64Array(data.matrix), onReplicate: () => Atomics.add(flags, STATUS.progress, 1) },
  );
} catch (error) {
  reportWorkerError(data.error, error instanceof Error ? error.message : String(error));
  Atomics.store(flags, STATUS.failed, 1);
} finally {
  Atomics.add(flags, STATUS.done, 1);
  Atomics.notify(flags, STATUS.done);
}
