import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AnalysisResultSchema } from "@cjeval/core";
import { expectSuccess, runCli } from "./run-cli.js";

describe("cje demo", () => {
  it("shows calibrated intervals covering the truth where naive ones miss, and flags the flatterer", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-demo-test-"));
    const json = path.join(dir, "demo.json");
    const outDir = path.join(dir, "campaign");
    const run = await runCli(["demo", "--out-dir", outDir, "--json", json]);
    expectSuccess(run);
    const { stdout } = run;
    expect(stdout).toMatch(/truth\s+naive/);
    // The demo is a real campaign: its store, fresh draws and report are left in the folder.
    expect(stdout).toContain(`Campaign store: ${path.join(outDir, "campaign.sqlite")}`);
    expect(existsSync(path.join(outDir, "report.html"))).toBe(true);
    expect(existsSync(path.join(outDir, "fresh_draws", "flatterer_responses.jsonl"))).toBe(true);
    const raw = JSON.parse(await readFile(json, "utf8"));
    const truth: Record<string, number> = raw.truth;
    const result = AnalysisResultSchema.parse(raw);
    const covers = (ci: (number | null)[], t: number) => (ci[0] as number) <= t && t <= (ci[1] as number);
    for (const p of result.policies) {
      const naive = result.diagnostics.policies[p.policy].naive;
      expect(covers(naive.ci, truth[p.policy])).toBe(false);
      if (p.policy === "flatterer") {
        expect(p.flags).toContain("LOW-LABEL-SUPPORT");
      } else {
        expect(covers(p.ci, truth[p.policy])).toBe(true);
        expect(p.flags).toEqual([]);
      }
    }
  });
});
