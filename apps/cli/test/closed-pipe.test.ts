import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { arenaDir, bin } from "./run-cli.js";

describe("a reader that closes the pipe early (`cje analyze … | head`)", () => {
  it("stops the CLI quietly: exit 0 and no EPIPE trace", async () => {
    const child = spawn(process.execPath, [bin, "analyze", path.join(arenaDir, "fresh_draws")], { stdio: ["ignore", "pipe", "pipe"] });
    // Closed before the analysis prints anything, so every write of the table meets a closed pipe.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect(code).toBe(0);
  });
});
