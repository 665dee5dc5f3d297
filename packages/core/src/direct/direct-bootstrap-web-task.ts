/**
 * What a Web Worker of the asynchronous Direct bootstrap does with each message (the worker module,
 * `direct-bootstrap-web-worker.ts`, only connects it to the worker's global scope). The first message
 * carries the problem's spec, which the worker rebuilds into its own {@link DirectWorld}; each later
 * one asks for a chunk of replicates, answered with their rows. Replicate b draws from stream b of
 * the seed, so a row does not depend on which worker computed it.
 */
import { runWeightBootstrap, type WeightBootstrapOptions } from "../numeric/bootstrap.js";
import { bootstrapOptions, restoreDirectWorld } from "./direct-bootstrap.js";
import type { DirectWorld, DirectWorldSpec } from "./direct-world.js";

/** A message to a bootstrap Web Worker: the problem (first), then chunks of replicates to compute. */
export type WebBootstrapRequest =
  | { readonly kind: "start"; readonly spec: DirectWorldSpec; readonly replicates: number; readonly seed: number }
  | { readonly kind: "chunk"; readonly from: number; readonly to: number };

/** A bootstrap Web Worker's answer: the rows of replicates `from..to` (row-major), or why it failed. */
export type WebBootstrapReply =
  | { readonly kind: "rows"; readonly from: number; readonly to: number; readonly rows: Float64Array }
  | { readonly kind: "failed"; readonly message: string };

/**
 * The message handler of a bootstrap Web Worker; `post` sends a reply (transferring the listed
 * buffers). An error in a replicate is answered with a `failed` reply naming it.
 */
export function webBootstrapTask(post: (reply: WebBootstrapReply, transfer: ArrayBuffer[]) => void): (request: WebBootstrapRequest) => void {
  let problem: { world: DirectWorld; options: WeightBootstrapOptions; matrix: Float64Array } | null = null;
  return (request) => {
    try {
      if (request.kind === "start") {
        const world = restoreDirectWorld(request.spec);
        const options = bootstrapOptions(world, request.replicates, request.seed);
        problem = { world, options, matrix: new Float64Array(options.replicates * options.nOutputs) };
        return;
      }
      if (problem === null) throw new Error("a bootstrap Web Worker was asked for replicates before it received its problem");
      const { world, options, matrix } = problem;
      runWeightBootstrap(options, (weights, out) => world.replicate(weights, out), { from: request.from, to: request.to, matrix });
      const rows = matrix.slice(request.from * options.nOutputs, request.to * options.nOutputs);
      post({ kind: "rows", from: request.from, to: request.to, rows }, [rows.buffer]);
    } catch (error) {
      post({ kind: "failed", message: error instanceof Error ? error.message : String(error) }, []);
    }
  };
}
