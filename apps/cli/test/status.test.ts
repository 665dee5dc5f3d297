import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bin, expectSuccess, runCli } from "./run-cli.js";

describe("cje status", () => {
  it("reads a SQLite campaign store, once or refreshed with --watch until interrupted", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-status-"));
    expectSuccess(await runCli(["demo", "--out-dir", dir, "--prompts", "200"]));
    const store = path.join(dir, "campaign.sqlite");

    const once = await runCli(["status", store]);
    expectSuccess(once);
    expect(once.stdout).toMatch(/generate\s+800\s+0\s+0\s+0\s/);
    expect(once.stdout).toMatch(/Cost so far: \$0\.0000\nRun: none running\n$/);

    // --watch --json: one JSON line per refresh; Ctrl-C ends it cleanly.
    const child = spawn(process.execPath, [bin, "status", store, "--watch", "0.1", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const lines = await new Promise<string[]>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const complete = out.split("\n").filter((l) => l.length > 0);
        if (complete.length >= 3) resolve(complete);
      });
    });
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    const statuses = lines.map((l) => JSON.parse(l) as { at: string; stages: { stage: string; done: number }[] });
    expect(statuses[0].stages.find((s) => s.stage === "judge")?.done).toBe(800);
    expect(new Set(statuses.map((s) => s.at)).size).toBe(statuses.length);

    const bad = await runCli(["status", store, "--watch", "0"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/expected a number of seconds > 0, got '0'/);
  });
});
