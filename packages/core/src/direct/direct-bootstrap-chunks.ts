/**
 * The bookkeeping of an asynchronous Direct bootstrap: replicates handed out in chunks (a chunk whose
 * Web Worker died is handed out again), progress counted per thread, and the chunks this thread runs
 * itself, yielding to the event loop between them so that a page stays responsive.
 */
import { runWeightBootstrap } from "../numeric/bootstrap.js";
import { bootstrapOptions, CHUNK } from "./direct-bootstrap.js";
import type { DirectWorld } from "./direct-world.js";

/** Progress of an asynchronous Direct bootstrap (`analyzeAsync`'s `onProgress`). */
export interface BootstrapProgress {
  /** Replicates computed so far. */
  readonly done: number;
  /** Replicates in all. */
  readonly replicates: number;
  /**
   * Threads that have computed at least one replicate so far: Web Workers, worker threads of
   * `@cjeval/core/node`, and the calling thread when it computed some (1 when it computed them all).
   */
  readonly threads: number;
}

/** Replicates `from` (inclusive) to `to` (exclusive). */
export interface ReplicateChunk {
  readonly from: number;
  readonly to: number;
}

/** The replicates of a bootstrap, handed out in chunks of {@link CHUNK}. */
export class ReplicateChunks {
  readonly replicates: number;
  private next = 0;
  private readonly returned: ReplicateChunk[] = [];

  constructor(replicates: number) {
    this.replicates = replicates;
  }

  /** The next chunk nobody holds, or null when every chunk is handed out. */
  take(): ReplicateChunk | null {
    const back = this.returned.pop();
    if (back !== undefined) return back;
    if (this.next >= this.replicates) return null;
    const from = this.next;
    this.next = Math.min(from + CHUNK, this.replicates);
    return { from, to: this.next };
  }

  /** Hands out `chunk` again (its worker stopped before returning it). */
  giveBack(chunk: ReplicateChunk): void {
    this.returned.push(chunk);
  }
}

/** Counts finished replicates and the threads that computed them, and reports each step. */
export class ProgressCounter {
  readonly replicates: number;
  private finished = 0;
  private readonly threads = new Set<unknown>();
  private readonly report: ((progress: BootstrapProgress) => void) | undefined;

  constructor(replicates: number, report?: (progress: BootstrapProgress) => void) {
    this.replicates = replicates;
    this.report = report;
  }

  /** Replicates finished so far. */
  get done(): number {
    return this.finished;
  }

  /** Threads that computed at least one replicate so far. */
  get threadCount(): number {
    return this.threads.size;
  }

  /** Records `count` replicates finished by `thread` (any value naming it) and reports the progress. */
  add(count: number, thread: unknown): void {
    this.finished += count;
    this.threads.add(thread);
    this.report?.({ done: this.finished, replicates: this.replicates, threads: this.threads.size });
  }
}

/** This thread, as a contributor to {@link ProgressCounter}. */
export const THIS_THREAD = Symbol("this thread");

/** Longest stretch of replicates this thread runs before it yields to the event loop. */
const TIME_SLICE_MS = 40;

/**
 * Runs every chunk left in `chunks` in this thread, writing rows into the B × P `matrix`; it yields to
 * the event loop whenever it has computed for {@link TIME_SLICE_MS}.
 */
export async function runChunksHere(world: DirectWorld, seed: number, chunks: ReplicateChunks, matrix: Float64Array, progress: ProgressCounter): Promise<void> {
  const options = bootstrapOptions(world, chunks.replicates, seed);
  const replicate = (weights: Float64Array, out: Float64Array) => world.replicate(weights, out);
  let sliceStart = Date.now();
  for (let chunk = chunks.take(); chunk !== null; chunk = chunks.take()) {
    runWeightBootstrap(options, replicate, { from: chunk.from, to: chunk.to, matrix });
    progress.add(chunk.to - chunk.from, THIS_THREAD);
    if (Date.now() - sliceStart >= TIME_SLICE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      sliceStart = Date.now();
    }
  }
}

/** An asynchronous Direct bootstrap whose workers, if any, are already starting. */
export interface AsyncBootstrapRun {
  /**
   * Completes the run with `world` (built from the spec the run was started with; the calling thread
   * needs it when it runs replicates itself) and resolves to the B × P replicate matrix.
   */
  finish(world: DirectWorld): Promise<Float64Array>;
  /** Stops the workers (when the caller fails before `finish`); harmless after `finish`. */
  abandon(): void;
}
