import { afterEach, describe, expect, it, vi } from "vitest";
import { simulateWorld } from "../../src/advanced.js";
import { webBootstrapTask, type WebBootstrapReply, type WebBootstrapRequest } from "../../src/direct/direct-bootstrap-web-task.js";
import { analyze, analyzeAsync, evaluationDataFromRecords, type BootstrapProgress } from "../../src/index.js";

/**
 * A stand-in for the browser's `Worker` (Node has none): it runs the worker's message handler in this thread, each
 * message structured-cloned and delivered on a later turn of the event loop as between real threads. `behaviour`
 * decides what the next workers do: compute, fail to start (an `error` event, as for a worker module a bundler left
 * behind), throw on construction (a content security policy), die after its first chunk, or report a failed replicate.
 */
type Behaviour = "compute" | "load-error" | "throw" | "crash" | "fail";

class StandInWorker {
  static behaviour: (index: number) => Behaviour = () => "compute";
  static created: { url: string; options: unknown }[] = [];
  private readonly kind: Exclude<Behaviour, "throw">;
  private readonly listeners = new Map<string, ((event: { data?: unknown }) => void)[]>();
  private readonly handle: (request: WebBootstrapRequest) => void;
  private chunks = 0;
  private terminated = false;

  constructor(url: URL, options: unknown) {
    const kind = StandInWorker.behaviour(StandInWorker.created.length);
    StandInWorker.created.push({ url: url.href, options });
    if (kind === "throw") throw new Error("refused by policy");
    this.kind = kind;
    this.handle = webBootstrapTask((reply: WebBootstrapReply) => this.later(() => this.emit("message", { data: structuredClone(reply) })));
    if (kind === "load-error") this.later(() => this.emit("error", {}));
  }

  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  postMessage(message: WebBootstrapRequest): void {
    const copy = structuredClone(message);
    if (copy.kind === "chunk" && this.kind === "crash" && ++this.chunks > 1) this.later(() => this.emit("error", {}));
    else if (this.kind === "compute" || this.kind === "crash") this.later(() => this.handle(copy));
    if (this.kind === "fail" && copy.kind === "chunk") this.later(() => this.emit("message", { data: { kind: "failed", message: "replicate 3 failed" } }));
  }

  terminate(): void {
    this.terminated = true;
  }

  private later(run: () => void): void {
    setTimeout(() => {
      if (!this.terminated) run();
    }, 0);
  }

  private emit(type: string, event: { data?: unknown }): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

const world = simulateWorld({
  policies: [
    { name: "base", shift: 0 },
    { name: "better", shift: 0.3 },
  ],
  prompts: 200,
  oracleShare: 0.3,
  seed: 5,
});
const data = evaluationDataFromRecords(world.records);
const options = { inference: "bootstrap" as const, replicates: 120, seed: 11 };
const expected = analyze(data, options);

async function run(threads: number): Promise<{ result: Awaited<ReturnType<typeof analyzeAsync>>; progress: BootstrapProgress[] }> {
  const progress: BootstrapProgress[] = [];
  const result = await analyzeAsync(data, { ...options, threads, onProgress: (p) => progress.push(p) });
  return { result, progress };
}

describe("the Web Worker bootstrap (stand-in workers)", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    StandInWorker.behaviour = () => "compute";
    StandInWorker.created = [];
  });

  it("loads the worker module next to it, as a module worker, and splits the replicates across the workers: analyze's result", async () => {
    vi.stubGlobal("Worker", StandInWorker);
    const { result, progress } = await run(3);
    expect(result).toEqual(expected);
    expect(StandInWorker.created).toHaveLength(3);
    for (const { url, options } of StandInWorker.created) {
      expect(url).toMatch(/\/src\/direct\/direct-bootstrap-web-worker\.js$/);
      expect(options).toEqual({ type: "module" });
    }
    expect(progress.at(-1)).toEqual({ done: 120, replicates: 120, threads: 3 });
    expect(progress.every((p, i) => p.done === (i + 1) * 8 || (i === progress.length - 1 && p.done === 120))).toBe(true);
  });

  it("hands the chunks of a worker that cannot start, or dies, to the others", async () => {
    vi.stubGlobal("Worker", StandInWorker);
    StandInWorker.behaviour = (i) => (["load-error", "throw", "crash", "compute"] as const)[i];
    const { result, progress } = await run(4);
    expect(result).toEqual(expected);
    // The worker that died computed one chunk before it did.
    expect(progress.at(-1)).toEqual({ done: 120, replicates: 120, threads: 2 });
  });

  it("computes in this thread when no worker starts", async () => {
    vi.stubGlobal("Worker", StandInWorker);
    StandInWorker.behaviour = (i) => (i % 2 === 0 ? "load-error" : "throw");
    const { result, progress } = await run(4);
    expect(result).toEqual(expected);
    expect(StandInWorker.created).toHaveLength(4);
    expect(progress.at(-1)).toEqual({ done: 120, replicates: 120, threads: 1 });
  });

  it("rejects with the error a worker reports for a replicate", async () => {
    vi.stubGlobal("Worker", StandInWorker);
    StandInWorker.behaviour = (i) => (i === 1 ? "fail" : "compute");
    await expect(run(2)).rejects.toThrow("replicate 3 failed");
  });

  it("uses no worker for threads: 1, nor by default for a small problem", async () => {
    vi.stubGlobal("Worker", StandInWorker);
    expect((await run(1)).result).toEqual(expected);
    expect(await analyzeAsync(data, options)).toEqual(expected);
    expect(StandInWorker.created).toEqual([]);
  });
});
