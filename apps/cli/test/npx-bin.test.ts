import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./run-cli.js";

describe("the README's `npx cje …`", () => {
  it("runs the workspace's cje from the repository root without fetching anything", async () => {
    // `npm ci` must link the command although the workspace is built after linking (bin/cje.js is committed).
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile("npx", ["--no-install", "cje", "--version"], { cwd: repoRoot }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
      });
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
