import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The built CLI entry point. */
export const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/bin.js");

/** Repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** The shared Arena sample (`../shared` next to the repo, or `CJE_SHARED_DIR`). */
export const arenaDir = path.join(process.env.CJE_SHARED_DIR ?? path.resolve(repoRoot, "../shared"), "data", "arena_sample");

/** Runs `cje …` and resolves with its exit code and output. */
export function runCli(args: string[], options: { cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Fails with the CLI's stderr when it did not exit 0. */
export function expectSuccess(run: { code: number; stderr: string }): void {
  if (run.code !== 0) throw new Error(`cje exited with ${run.code}: ${run.stderr}`);
}
