/**
 * The Web Workers of the asynchronous Direct bootstrap, wherever the runtime has a global `Worker`
 * (browsers, Deno, Bun). Each worker receives the problem's spec once and then chunks of replicates,
 * one at a time, returning each chunk's rows by message (no `SharedArrayBuffer`, so a page needs no
 * cross-origin isolation); the calling thread only assembles the matrix, so a page stays responsive.
 *
 * The worker module is loaded with the statement bundlers look for, `new Worker(new URL(<module>,
 * import.meta.url), { type: "module" })` (spelled out only in {@link spawnWorker}, so that no tool
 * matches this comment): vite and webpack 5 (and rollup or esbuild with a worker plugin) bundle the
 * worker and rewrite its URL. A worker that cannot start (a bundler that left the module behind, a
 * content security policy) hands its chunk back to the others; when none is left, the calling thread
 * computes the remaining replicates itself. The matrix is the same in every case: replicate b draws
 * from stream b of the seed.
 */
import { availableCores } from "../numeric/resource-limits.js";
import { chooseThreads } from "./direct-bootstrap.js";
import { runChunksHere, ReplicateChunks, type AsyncBootstrapRun, type ProgressCounter, type ReplicateChunk } from "./direct-bootstrap-chunks.js";
import type { WebBootstrapReply, WebBootstrapRequest } from "./direct-bootstrap-web-task.js";
import type { DirectWorld, DirectWorldSpec } from "./direct-world.js";

/** A Web Worker, as far as this module uses it (core compiles without the DOM library). */
interface WebWorker {
  postMessage(message: WebBootstrapRequest): void;
  addEventListener(type: "message", listener: (event: { readonly data: WebBootstrapReply }) => void): void;
  addEventListener(type: "error" | "messageerror", listener: () => void): void;
  terminate(): void;
}

/** The runtime's global `Worker` constructor; `typeof Worker` is "undefined" where there is none (Node). */
declare const Worker: new (url: URL, options: { type: "module" }) => WebWorker;

/**
 * Web Workers to use for `replicates` × `rows` work: 1 (the calling thread) where the runtime has no
 * `Worker`, else `requested` when given, else all cores (`navigator.hardwareConcurrency`), up to 8,
 * for large problems and 1 for small ones.
 */
export function webWorkerThreads(replicates: number, rows: number, requested?: number): number {
  return typeof Worker === "function" ? chooseThreads(replicates, rows, availableCores(), requested) : 1;
}

/** Starts a Web Worker and sends it the problem; null when either fails. */
function spawnWorker(start: WebBootstrapRequest): WebWorker | null {
  let worker: WebWorker | null = null;
  try {
    worker = new Worker(new URL("./direct-bootstrap-web-worker.js", import.meta.url), { type: "module" });
    worker.postMessage(start);
    return worker;
  } catch {
    worker?.terminate();
    return null;
  }
}

/**
 * Starts `replicates` replicates of the problem `spec` on `threads` Web Workers, reporting to
 * `progress`. The workers start computing at once; {@link AsyncBootstrapRun.finish} resolves to the
 * B × P matrix, or rejects with the first replicate error a worker reports.
 */
export function startWebWorkerBootstrap(
  spec: DirectWorldSpec,
  replicates: number,
  seed: number,
  threads: number,
  progress: ProgressCounter,
): AsyncBootstrapRun {
  const P = spec.table.policies.length;
  const matrix = new Float64Array(replicates * P);
  const chunks = new ReplicateChunks(replicates);
  /** Live workers and the chunk each is computing (null: idle). */
  const held = new Map<WebWorker, ReplicateChunk | null>();
  let world: DirectWorld | null = null;
  let settled = false;
  let resolveRun: (matrix: Float64Array) => void = () => {};
  let rejectRun: (error: unknown) => void = () => {};
  const result = new Promise<Float64Array>((resolve, reject) => {
    resolveRun = resolve;
    rejectRun = reject;
  });
  // A failure before `finish` (or after `abandon`) must not surface as an unhandled rejection; `finish` returns `result` itself.
  result.catch(() => {});

  const stop = () => {
    settled = true;
    for (const worker of held.keys()) worker.terminate();
    held.clear();
  };
  const fail = (error: unknown) => {
    if (settled) return;
    stop();
    rejectRun(error);
  };
  const completeIfDone = () => {
    if (settled || progress.done < replicates) return;
    stop();
    resolveRun(matrix);
  };
  const feed = (worker: WebWorker) => {
    const chunk = chunks.take();
    held.set(worker, chunk);
    if (chunk !== null) worker.postMessage({ kind: "chunk", from: chunk.from, to: chunk.to });
  };
  const runRestHere = () => {
    if (world === null || settled) return;
    runChunksHere(world, seed, chunks, matrix, progress).then(completeIfDone, fail);
  };
  const lose = (worker: WebWorker) => {
    const chunk = held.get(worker);
    if (chunk === undefined) return;
    held.delete(worker);
    worker.terminate();
    if (chunk !== null) chunks.giveBack(chunk);
    for (const [other, holding] of held) if (holding === null) feed(other);
    if (held.size === 0) runRestHere();
  };
  const receive = (worker: WebWorker, reply: WebBootstrapReply) => {
    if (settled || !held.has(worker)) return;
    if (reply.kind === "failed") {
      fail(new Error(reply.message));
      return;
    }
    matrix.set(reply.rows, reply.from * P);
    try {
      progress.add(reply.to - reply.from, worker);
    } catch (error) {
      fail(error);
      return;
    }
    feed(worker);
    completeIfDone();
  };

  const start: WebBootstrapRequest = { kind: "start", spec, replicates, seed };
  for (let t = 0; t < threads; t++) {
    const worker = spawnWorker(start);
    if (worker === null) continue;
    worker.addEventListener("message", (event) => receive(worker, event.data));
    worker.addEventListener("error", () => lose(worker));
    worker.addEventListener("messageerror", () => lose(worker));
    feed(worker);
  }
  return {
    finish(w) {
      world = w;
      if (held.size === 0) runRestHere();
      return result;
    },
    abandon() {
      if (!settled) stop();
    },
  };
}
