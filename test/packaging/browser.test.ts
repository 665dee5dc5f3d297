/**
 * `@cjeval/core` in a browser: the packed package, installed into a fresh project, bundled for the browser by vite
 * (no Node built-in may reach the bundle), runs the default Arena analysis (cluster bootstrap, B = 2000, calibrator
 * refitted per replicate) in headless Chromium; every number of the result matches Node's to 1e-12 — Node running
 * the same records in this thread, and Node reading the files with worker threads (`@cjeval/core/node`).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { build, type Rolldown } from "vite";
import { describe, expect, inject, it } from "vitest";
import { arenaDir, freshProject, install, sh, writeFiles } from "./pack.js";

const registry = { url: inject("registryUrl"), close: async () => {} };
const CHROMIUM = "/usr/bin/chromium";

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
function expectClose(a: unknown, b: unknown, tol: number, at = "result"): void {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) || Number.isNaN(b)) expect(Number.isNaN(a) && Number.isNaN(b), at).toBe(true);
    else expect(Math.abs(a - b), `${at}: ${a} vs ${b}`).toBeLessThanOrEqual(tol);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length, at).toBe(b.length);
    a.forEach((x, i) => expectClose(x, b[i], tol, `${at}[${i}]`));
    return;
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    expect(Object.keys(a).sort(), at).toEqual(Object.keys(b).sort());
    for (const k of Object.keys(a)) expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], tol, `${at}.${k}`);
    return;
  }
  expect(a, at).toEqual(b);
}

/** What the comparison keeps of a result: the numbers and flags, not the (runtime-dependent) input description. */
function numbers(result: { policies: unknown; comparisons?: unknown; best_policy?: unknown }): unknown {
  return { policies: result.policies, comparisons: result.comparisons, best_policy: result.best_policy };
}

describe("@cjeval/core in a browser", () => {
  it("bundles without Node built-ins and runs the Arena analysis in Chromium, matching Node to 1e-12", async () => {
    const dir = freshProject("browser");
    await install(dir, ["@cjeval/core"], registry);
    writeFiles(dir, {
      "entry.js": `import { analyze, evaluationDataFromRecords, VERSION } from "@cjeval/core";\nwindow.cje = { VERSION, run: (records) => JSON.parse(JSON.stringify(analyze(evaluationDataFromRecords(records)))) };\n`,
      "node-records.mjs": `import { readFileSync } from "node:fs";\nimport { analyze, evaluationDataFromRecords } from "@cjeval/core";\nconst records = JSON.parse(readFileSync(process.argv[2], "utf8"));\nconsole.log(JSON.stringify(analyze(evaluationDataFromRecords(records))));\n`,
      "node-files.mjs": `import { analyze } from "@cjeval/core";\nimport { loadEvaluationData } from "@cjeval/core/node";\nconsole.log(JSON.stringify(analyze(await loadEvaluationData([process.argv[2]]), { threads: 2 })));\n`,
    });
    const outputs = (await build({
      configFile: false,
      logLevel: "silent",
      root: dir,
      build: { write: false, minify: false, target: "es2022", lib: { entry: path.join(dir, "entry.js"), formats: ["es"], fileName: "bundle" } },
    })) as Rolldown.RolldownOutput[];
    const chunks = outputs.flatMap((o) => o.output).filter((o): o is Rolldown.OutputChunk => o.type === "chunk");
    expect(chunks).toHaveLength(1);
    const code = chunks[0].code;
    expect(code).not.toMatch(/["']node:|__vite-browser-external|createRequire|worker_threads/);

    const records = arenaRecords();
    writeFiles(dir, { "records.json": JSON.stringify(records) });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    let inBrowser: { policies: unknown };
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.setContent("<!doctype html><title>cje</title>");
      await page.addScriptTag({ type: "module", content: code });
      await page.waitForFunction(() => "cje" in window);
      inBrowser = await page.evaluate((r) => (window as unknown as { cje: { run: (x: unknown) => { policies: unknown } } }).cje.run(r), records);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
    const fromRecords = JSON.parse(await sh("node", ["node-records.mjs", "records.json"], { cwd: dir })) as { policies: unknown };
    const fromFiles = JSON.parse(await sh("node", ["node-files.mjs", path.join(arenaDir, "fresh_draws")], { cwd: dir })) as { policies: unknown };
    const policies = inBrowser.policies as { policy: string; estimate: number }[];
    expect(policies.map((p) => p.policy).sort()).toEqual(Object.keys(records).sort());
    expect(policies.every((p) => p.estimate > 0 && p.estimate < 1)).toBe(true);
    expectClose(numbers(inBrowser as never), numbers(fromRecords as never), 1e-12);
    expectClose(numbers(inBrowser as never), numbers(fromFiles as never), 1e-12);
  });
});
