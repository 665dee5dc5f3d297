/**
 * The worker-thread pool of the Direct bootstrap (Node only; `@cjeval/core/node` registers it).
 * The calling thread and `threads − 1` workers pull chunks of replicates from a shared counter (so a
 * worker that starts late simply takes fewer chunks); workers rebuild the {@link DirectWorld} from
 * its plain-data spec, write their rows into a shared matrix and signal through `Atomics`.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import {
  bootstrapOptions,
  chooseThreads,
  runClaimedChunks,
  STATUS,
  type BootstrapMatrix,
  type BootstrapThreadPool,
  type BootstrapWorkerData,
  type DirectBootstrapRun,
} from "./direct-bootstrap.js";
import type { DirectWorld, DirectWorldSpec } from "./direct-world.js";
/** A worker that makes no progress for this long is considered dead. */
const STALL_TIMEOUT_MS = 120_000;
const ERROR_BYTES = 4096;

const workerUrl = new URL("./direct-bootstrap-worker.js", import.meta.url);

/**
 * The worker-thread pool. Running from TypeScript sources (tests) or from a bundle without the
 * worker module next to it always uses the calling thread: a worker needs the compiled module.
 */
export const workerThreadPool: BootstrapThreadPool = {
  threads(replicates, rows, requested) {
    const compiled = workerUrl.protocol === "file:" && workerUrl.pathname.endsWith(".js") && existsSync(fileURLToPath(workerUrl));
    return compiled ? chooseThreads(replicates, rows, availableParallelism(), requested) : 1;
  },
  start: startThreads,
};

function startThreads(spec: DirectWorldSpec, replicates: number, seed: number, threads: number): DirectBootstrapRun {
  const P = spec.table.policies.length;
  const matrix = new SharedArrayBuffer(replicates * P * Float64Array.BYTES_PER_ELEMENT);
  const status = new SharedArrayBuffer(Object.keys(STATUS).length * Int32Array.BYTES_PER_ELEMENT);
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
  const finish = (world: DirectWorld): BootstrapMatrix => {
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
    return { matrix: new Float64Array(matrix).slice(), threads: Atomics.load(flags, STATUS.contributors) };
  };
  return { finish, abandon };
}
