import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { simulateWorld } from "../../src/advanced.js";
import { analyze, analyzeAsync, evaluationDataFromRecords, type BootstrapProgress, type EvaluationData } from "../../src/index.js";
import { loadEvaluationData } from "../../src/node.js";
import { arenaDir } from "../helpers/shared-data.js";

// In Node there is no global `Worker` and, from TypeScript sources, the worker-thread pool of `@cjeval/core/node` runs
// in the calling thread: analyzeAsync computes the replicates here, in chunks that yield to the event loop. The Web
// Worker path is tested with stand-in workers (test/direct/direct-bootstrap-web-workers.test.ts) and in Chromium
// (test/packaging/browser.test.ts).

describe("analyzeAsync on the Arena sample (real data)", () => {
  let data: EvaluationData;
  beforeAll(async () => {
    data = await loadEvaluationData([path.join(arenaDir, "fresh_draws")]);
  });

  it("gives analyze's result, bit for bit, with the bootstrap", async () => {
    const options = { inference: "bootstrap" as const, replicates: 400, seed: 7 };
    const progress: BootstrapProgress[] = [];
    const result = await analyzeAsync(data, { ...options, onProgress: (p) => progress.push(p) });
    expect(result).toEqual(analyze(data, options));
    expect(result.diagnostics.inference).toEqual({ method: "bootstrap", alpha: 0.05, replicates: 400, seed: 7 });
    expect(progress.at(-1)).toEqual({ done: 400, replicates: 400, threads: 1 });
    expect(progress.every((p, i) => i === 0 || p.done > progress[i - 1].done)).toBe(true);
  });

  it("gives analyze's result with analytic inference (the default), reporting no progress", async () => {
    const progress: BootstrapProgress[] = [];
    expect(await analyzeAsync(data, { onProgress: (p) => progress.push(p) })).toEqual(analyze(data));
    expect(progress).toEqual([]);
  });
});

describe("analyzeAsync on a simulated world", () => {
  const world = simulateWorld({
    policies: [
      { name: "base", shift: 0 },
      { name: "better", shift: 0.3 },
      { name: "fooling", shift: -0.2, judgeBias: 0.1 },
    ],
    prompts: 300,
    oracleShare: 0.25,
    seed: 21,
  });
  const data = evaluationDataFromRecords(world.records);

  it("gives analyze's result, bit for bit, with the bootstrap, whatever the threads asked for", async () => {
    const options = { inference: "bootstrap" as const, replicates: 300, seed: 3 };
    const expected = analyze(data, options);
    expect(await analyzeAsync(data, options)).toEqual(expected);
    expect(await analyzeAsync(data, { ...options, threads: 1 })).toEqual(expected);
    expect(await analyzeAsync(data, { ...options, threads: 4 })).toEqual(expected);
    // The replicates decide something: at least one reported interval (a policy's or a comparison's) is the bootstrap's own.
    const bootstrapped = [
      ...Object.values(expected.diagnostics.policies).map((d) => d.interval_source === "bootstrap"),
      ...expected.comparisons.map((c) => c.method === "paired_bootstrap"),
    ];
    expect(bootstrapped.some(Boolean)).toBe(true);
  });

  it("gives analyze's result with analytic inference", async () => {
    expect(await analyzeAsync(data, { inference: "analytic" })).toEqual(analyze(data, { inference: "analytic" }));
  });

  it("rejects (never throws) on invalid options, with analyze's error", async () => {
    const call = analyzeAsync(data, { inference: "bootstrap", replicates: 1 });
    await expect(call).rejects.toThrow("must be at least 2");
    expect(() => analyze(data, { inference: "bootstrap", replicates: 1 })).toThrow("must be at least 2");
  });

  it("rejects with the error the progress callback throws", async () => {
    const call = analyzeAsync(data, {
      inference: "bootstrap",
      replicates: 50,
      onProgress: () => {
        throw new Error("stop here");
      },
    });
    await expect(call).rejects.toThrow("stop here");
  });
});
