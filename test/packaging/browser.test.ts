/**
 * `@cjeval/core` in a browser: the packed package, installed into a fresh project, bundled for the browser by vite
 * (no Node built-in may reach the bundle; the Web Worker of the bootstrap is emitted next to it), served over HTTP and
 * run in headless Chromium. In the page, the Arena analysis runs with the default analytic inference (`analyze`) and
 * with the cluster bootstrap (B = 2000, calibrator refitted per replicate) through `analyzeAsync`, once split across
 * Web Workers and once in the page's thread (`threads: 1`). Every number of each result matches Node's to 1e-12 — Node
 * running the same records in this thread, and Node reading the files with worker threads (`@cjeval/core/node`),
 * through `analyze` and `analyzeAsync`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { build, type Rolldown } from "vite";
import { describe, expect, inject, it } from "vitest";
import { arenaDir, freshProject, install, sh, writeFiles } from "./pack.js";
// The private test-utils package is not linked at the root (it is a devDependency of the packages that use it).
import { expectDeepClose, launchChromium } from "../../packages/test-utils/dist/index.js";

const registry = { url: inject("registryUrl"), close: async () => {} };

/** The Arena fresh draws as records per policy (`<policy>_responses.jsonl`). */
function arenaRecords(): Record<string, unknown[]> {
  const dir = path.join(arenaDir, "fresh_draws");
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith("_responses.jsonl"))
      .sort()
      .map((f) => [
        f.replace(/_responses\.jsonl$/, ""),
        readFileSync(path.join(dir, f), "utf8")
          .split("\n")
          .filter((line) => line.trim() !== "")
          .map((line) => JSON.parse(line) as unknown),
      ]),
  );
}

/** Every number in `a` and `b` (same shape) within `tol`; everything else equal. */
/** What the comparison keeps of a result: the numbers and flags, not the (runtime-dependent) input description. */
function numbers(result: { policies: unknown; comparisons?: unknown; best_policy?: unknown }): unknown {
  return { policies: result.policies, comparisons: result.comparisons, best_policy: result.best_policy };
}

/** What the page and the Node scripts report of the bootstrap: its result, and its last progress report. */
interface BootstrapRun {
  readonly result: { policies: unknown };
  readonly progress: { done: number; replicates: number; threads: number } | null;
}

/** The page's code: the analyses the test runs, each result as JSON. */
const ENTRY = `import { analyze, analyzeAsync, evaluationDataFromRecords, VERSION } from "@cjeval/core";
const json = (x) => JSON.parse(JSON.stringify(x));
window.cje = {
  VERSION,
  analytic: (records) => json(analyze(evaluationDataFromRecords(records))),
  bootstrap: async (records, threads) => {
    let progress = null;
    const result = await analyzeAsync(evaluationDataFromRecords(records), { inference: "bootstrap", threads, onProgress: (p) => (progress = p) });
    return { result: json(result), progress };
  },
};
`;

/** Node on the records, in this thread. */
const NODE_RECORDS = `import { readFileSync } from "node:fs";
import { analyze, evaluationDataFromRecords } from "@cjeval/core";
const data = evaluationDataFromRecords(JSON.parse(readFileSync(process.argv[2], "utf8")));
console.log(JSON.stringify({ analytic: analyze(data), bootstrap: analyze(data, { inference: "bootstrap" }) }));
`;

/** Node on the files, the bootstrap on two worker threads, synchronously and asynchronously. */
const NODE_FILES = `import { analyze, analyzeAsync } from "@cjeval/core";
import { loadEvaluationData } from "@cjeval/core/node";
const data = await loadEvaluationData([process.argv[2]]);
let progress = null;
const async = await analyzeAsync(data, { inference: "bootstrap", threads: 2, onProgress: (p) => (progress = p) });
console.log(JSON.stringify({ analytic: analyze(data), bootstrap: analyze(data, { inference: "bootstrap", threads: 2 }), async: { result: async, progress } }));
`;

/** Serves `files` (URL path → content: the page at `/`, scripts elsewhere) on 127.0.0.1. */
async function serve(files: ReadonlyMap<string, string>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    const body = files.get(pathname);
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { "content-type": pathname === "/" ? "text/html" : "text/javascript" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("@cjeval/core in a browser", () => {
  it("bundles without Node built-ins, with its Web Worker, and runs the Arena analysis in Chromium, matching Node to 1e-12", async () => {
    const dir = freshProject("browser");
    await install(dir, ["@cjeval/core"], registry);
    writeFiles(dir, { "entry.js": ENTRY, "node-records.mjs": NODE_RECORDS, "node-files.mjs": NODE_FILES });
    const outputs = (await build({
      configFile: false,
      logLevel: "silent",
      root: dir,
      build: { write: false, minify: false, target: "es2022", lib: { entry: path.join(dir, "entry.js"), formats: ["es"], fileName: "bundle" } },
    })) as Rolldown.RolldownOutput[];
    const files = outputs.flatMap((o) => o.output);
    const chunks = files.filter((o): o is Rolldown.OutputChunk => o.type === "chunk");
    expect(chunks).toHaveLength(1);
    const workers = files.filter((o): o is Rolldown.OutputAsset => o.type === "asset" && /direct-bootstrap-web-worker/.test(o.fileName));
    expect(workers.map((w) => w.fileName)).toEqual([expect.stringMatching(/^assets\/direct-bootstrap-web-worker-[\w-]+\.js$/)]);
    const worker = { path: `/${workers[0].fileName}`, code: String(workers[0].source) };
    const bundle = { path: `/${chunks[0].fileName}`, code: chunks[0].code };
    expect(bundle.code).toContain(JSON.stringify(worker.path));
    for (const code of [bundle.code, worker.code]) expect(code).not.toMatch(/["']node:|__vite-browser-external|createRequire|worker_threads/);

    const records = arenaRecords();
    writeFiles(dir, { "records.json": JSON.stringify(records) });
    const server = await serve(
      new Map([
        ["/", `<!doctype html><title>cje</title><script type="module" src="${bundle.path}"></script>`],
        [bundle.path, bundle.code],
        [worker.path, worker.code],
      ]),
    );
    const browser = await launchChromium();
    let inBrowser: { analytic: { policies: unknown }; workers: BootstrapRun; thisThread: BootstrapRun };
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${server.url}/`);
      await page.waitForFunction(() => "cje" in window);
      type Page = { analytic: (r: unknown) => { policies: unknown }; bootstrap: (r: unknown, threads: number) => Promise<BootstrapRun> };
      inBrowser = {
        analytic: await page.evaluate((r) => (window as unknown as { cje: Page }).cje.analytic(r), records),
        workers: await page.evaluate((r) => (window as unknown as { cje: Page }).cje.bootstrap(r, 3), records),
        thisThread: await page.evaluate((r) => (window as unknown as { cje: Page }).cje.bootstrap(r, 1), records),
      };
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
    // Web Workers computed the replicates (the page's thread only when `threads: 1`).
    expect(inBrowser.workers.progress).toEqual({ done: 2000, replicates: 2000, threads: expect.any(Number) });
    expect(inBrowser.workers.progress?.threads).toBeGreaterThan(1);
    expect(inBrowser.thisThread.progress).toEqual({ done: 2000, replicates: 2000, threads: 1 });

    type NodeRun = { analytic: { policies: unknown }; bootstrap: { policies: unknown } };
    const fromRecords = JSON.parse(await sh("node", ["node-records.mjs", "records.json"], { cwd: dir })) as NodeRun;
    const fromFiles = JSON.parse(await sh("node", ["node-files.mjs", path.join(arenaDir, "fresh_draws")], { cwd: dir })) as NodeRun & {
      async: BootstrapRun;
    };
    expect(fromFiles.async.progress).toEqual({ done: 2000, replicates: 2000, threads: 2 });
    const policies = inBrowser.analytic.policies as { policy: string; estimate: number }[];
    expect(policies.map((p) => p.policy).sort()).toEqual(Object.keys(records).sort());
    expect(policies.every((p) => p.estimate > 0 && p.estimate < 1)).toBe(true);
    expect((inBrowser.workers.result as unknown as { diagnostics: { inference: unknown } }).diagnostics.inference).toEqual({
      method: "bootstrap",
      alpha: 0.05,
      replicates: 2000,
      seed: 42,
    });
    for (const node of [fromRecords.analytic, fromFiles.analytic]) expectDeepClose(numbers(inBrowser.analytic as never), numbers(node as never), 1e-12);
    for (const run of [inBrowser.workers.result, inBrowser.thisThread.result]) {
      for (const node of [fromRecords.bootstrap, fromFiles.bootstrap, fromFiles.async.result])
        expectDeepClose(numbers(run as never), numbers(node as never), 1e-12);
    }
  });
});
