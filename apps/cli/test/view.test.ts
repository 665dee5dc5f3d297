import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runInNewContext } from "node:vm";
import { analyze } from "@cjeval/core";
import { loadEvaluationData } from "@cjeval/core/node";
import { ViewBundleSchema } from "@cjeval/viewer";
import { APP_PAGE_FILE, EXPORT_MARKER } from "@cjeval/viewer/node";
import { describe, expect, it } from "vitest";
import { arenaDir, bin, expectSuccess, runCli } from "./run-cli.js";

const freshDraws = path.join(arenaDir, "fresh_draws");
const tempDir = () => mkdtemp(path.join(tmpdir(), "cje-view-cli-"));

describe("cje view --export", () => {
  it("writes a static copy of the fresh draws and a result file, and writes over its own export", async () => {
    const dir = await tempDir();
    const result = path.join(dir, "result.json");
    await writeFile(result, JSON.stringify(analyze(await loadEvaluationData([freshDraws]))));
    const site = path.join(dir, "site");
    const run = await runCli(["view", freshDraws, result, "--export", site]);
    expectSuccess(run);
    expect(run.stdout).toBe(
      `Exported arena_sample/fresh_draws (fresh draws), result.json (result) to ${site}.\n` +
        `Open ${path.join(site, "index.html")} in a browser, or put the folder on any static host.\n`,
    );
    expect((await readdir(site)).sort()).toEqual([EXPORT_MARKER, "index.html", "view-data.js"]);
    expect((await readFile(path.join(site, "index.html"))).equals(await readFile(APP_PAGE_FILE))).toBe(true);
    const context: { __CJE_VIEW__?: unknown } = {};
    runInNewContext(await readFile(path.join(site, "view-data.js"), "utf8"), context);
    const bundle = ViewBundleSchema.parse(context.__CJE_VIEW__);
    expect(bundle.runs.map((r) => [r.label, r.kind, r.rows?.judge.length ?? null])).toEqual([
      ["arena_sample/fresh_draws", "fresh_draws", 4000],
      ["result.json", "result", null],
    ]);
    expect(bundle.runs[1].result).toEqual(bundle.runs[0].result);

    expectSuccess(await runCli(["view", result, "--export", site]));
  });

  it("refuses a folder holding something else, options of the server, and says how to make a campaign when there is none", async () => {
    const dir = await tempDir();
    const foreign = path.join(dir, "mine");
    await mkdir(foreign);
    await writeFile(path.join(foreign, "notes.txt"), "keep me");
    const refused = await runCli(["view", freshDraws, "--export", foreign]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^cje: .*mine: the export folder is not empty and holds no earlier cje view export/);
    expect(await readdir(foreign)).toEqual(["notes.txt"]);

    const stray = await runCli(["view", freshDraws, "--export", path.join(dir, "site"), "--port", "8080"]);
    expect(stray.code).not.toBe(0);
    expect(stray.stderr).toMatch(/--port does not apply with --export/);

    const none = await runCli(["view", "--export", path.join(dir, "site")], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no campaign here to show .*cje demo --out-dir \.cje\/demo.*cje init/);
  });
});

describe("cje view", () => {
  it("serves the page and the bundle on 127.0.0.1 until stopped, printing the URL", async () => {
    const child = spawn(process.execPath, [bin, "view", freshDraws, "--no-open"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const found = /^Open (http:\/\/127\.0\.0\.1:\d+\/) \(Ctrl\+C to stop\)$/m.exec(stdout);
        if (found !== null) resolve(found[1]);
      });
      void exited.then((code) => reject(new Error(`cje view exited with ${code}: ${stderr}`)));
    });
    try {
      expect(stdout).toMatch(/^Showing arena_sample\/fresh_draws \(fresh draws\)\.$/m);
      const api = await fetch(`${url}api/view`);
      expect(api.status).toBe(200);
      expect(ViewBundleSchema.parse(await api.json()).runs.map((r) => r.kind)).toEqual(["fresh_draws"]);
      expect((await fetch(url)).status).toBe(200);
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/Stopped\.\n$/);
  });
});
