import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { type GatedWorld, runCliWith, smallCampaign, startCli, startGatedWorld } from "./gated-world.js";

// The attack: two containers on one volume (different host names) ran `cje run` on one SQLite store; the
// lock was keyed by host and pid, so the second took it from the live first, and both made the paid calls.
// Now the lock is SQLite's own file lock, held for the whole run: refused on any host while its holder
// lives, free the moment it dies (kill -9).

let gated: GatedWorld | undefined;
afterEach(async () => {
  await gated?.close();
  gated = undefined;
});

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await sleep(25);
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe("the SQLite store lock", () => {
  it("refuses a second run from another host while the first lives, and lets it proceed once the first is killed", async () => {
    gated = await startGatedWorld();
    const dir = await mkdtemp(path.join(tmpdir(), "cje-lock-"));
    const config = path.join(dir, "cje.config.json");
    await writeFile(config, JSON.stringify(smallCampaign(path.join(dir, "out"), gated.baseURL)));
    const store = path.join(dir, "out", "campaign.sqlite");

    // Container A: its first call is held, so it is alive and mid-run.
    const first = startCli(["run", config, "--yes", "--no-progress"], { HOSTNAME: "container-a" });
    await until(() => gated?.held() === 1, "the first run's first call");

    // Container B, same volume: refused, naming the live holder; it sends nothing.
    const second = await runCliWith(["run", config, "--yes", "--no-progress"], { HOSTNAME: "container-b" });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`campaign store is in use by process ${first.pid} on container-a since \\S+; wait for it to finish or stop it`));
    expect(gated.gate.requests).toHaveLength(1);
    const status = await runCliWith(["status", store], { HOSTNAME: "container-b" });
    expect(status.stdout).toMatch(new RegExp(`Run: process ${first.pid} on container-a since `));

    // The first dies without a word (kill -9): the lock is free at once, and B runs the campaign.
    first.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    expect((await runCliWith(["status", store])).stdout).toMatch(/Run: none running\n/);
    gated.open();
    const third = await runCliWith(["run", config, "--yes", "--no-progress"], { HOSTNAME: "container-b" });
    expect(third.stderr).toBe("");
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(/1 interrupted by a stopped run/);
    // Every unit reached the server once: A's one call died with it, and B made each call only once.
    const generated = gated.world.calls.filter((c) => c.kind === "generate");
    expect(generated).toHaveLength(80);
    expect(new Set(generated.map((c) => `${c.policy}|${c.promptId}`)).size).toBe(80);
  });
});
