import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AnalysisResultSchema, FLAG_NEXT_STEPS, FLAG_REASONS } from "@cjeval/core";
import { expectSuccess, runCli } from "./run-cli.js";

describe("cje demo", () => {
  it("shows calibrated intervals covering the truth where naive ones miss, and flags the flatterer and fails its transport audit", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-demo-test-"));
    const json = path.join(dir, "demo.json");
    const outDir = path.join(dir, "campaign");
    const run = await runCli(["demo", "--out-dir", outDir, "--json", json]);
    expectSuccess(run);
    const { stdout } = run;
    expect(stdout).toMatch(/truth\s+naive/);
    for (const flag of ["LOW-LABEL-SUPPORT", "TRANSPORT-FAIL"] as const) {
      expect(stdout).toContain(`  ${flag} (flatterer): ${FLAG_REASONS[flag]}\n    next step: ${FLAG_NEXT_STEPS[flag]}\n`);
    }
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
        expect(p.flags).toEqual(expect.arrayContaining(["LOW-LABEL-SUPPORT", "TRANSPORT-FAIL"]));
      } else {
        expect(covers(p.ci, truth[p.policy])).toBe(true);
        expect(p.flags).toEqual([]);
      }
    }
    // Transport audits: base's labels fit the calibration, so it has no probes; every other policy has 100.
    const audit = (policy: string) => {
      const record = result.diagnostics.policies[policy].transport;
      if (record?.performed !== true) throw new Error(`${policy} was not audited: ${JSON.stringify(record)}`);
      expect(record.n_probe).toBe(100);
      return record;
    };
    expect(result.diagnostics.policies.base.transport?.status).toBe("NOT_CHECKED");
    // The flatterer fools the judge: the oracle rates its probes below their calibrated judge scores, surely by more than the margin.
    const flatterer = audit("flatterer");
    expect(flatterer.status).toBe("FAIL");
    expect(flatterer.delta_ci[1]).toBeLessThan(-(flatterer.delta_max as number));
    for (const honest of ["concise", "verbose"]) expect(audit(honest).status).toMatch(/^(PASS|INCONCLUSIVE)$/);
    // The printed audits: a line per audited policy (base has none), the flatterer's with its negative residual.
    expect(stdout).toMatch(/^flatterer\s+100\s+FAIL: δ̂ -0\.\d{3} \[-0\.\d{3}, -0\.\d{3}\], margin ±0\.100$/m);
    for (const honest of ["concise", "verbose"]) expect(stdout).toMatch(new RegExp(`^${honest}\\s+100\\s+(PASS|INCONCLUSIVE): δ̂ [-+]0\\.\\d{3} `, "m"));
    expect(stdout).not.toMatch(/^base\s+.*NOT_CHECKED/m);
  });
});
