import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PlanReportSchema } from "@cjeval/core";
import { arenaDir, expectSuccess, runCli } from "./run-cli.js";

describe("cje plan", () => {
  it("plans labels, the cheapest (n, m) and the power from the Arena base policy as a pilot", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-plan-"));
    const out = path.join(dir, "plan.json");
    const run = await runCli([
      "plan",
      path.join(arenaDir, "fresh_draws"),
      "--target-halfwidth",
      "0.02",
      "--judge-cost",
      "1",
      "--oracle-cost",
      "16",
      "--replicates",
      "10",
      "--detect",
      "0.03",
      "--out",
      out,
    ]);
    expectSuccess(run);
    expect(run.stdout).toContain("Pilot: policy 'base', 1000 prompts (480 with oracle labels)");
    expect(run.stdout).toMatch(/\(a\) Half-width 0\.02 with 1000 prompts: buy \d+ oracle labels/);
    expect(run.stdout).toMatch(/\(b\) cheapest for half-width 0\.02\s+\d+\s+\d+/);
    expect(run.stdout).toMatch(/\(c\) Two policies evaluated with the cheapest plan: .*power to detect 0\.03: 0\.\d{3}/);
    const report = PlanReportSchema.parse(JSON.parse(await readFile(out, "utf8")));
    const plan = report.cheapest_plan;
    expect(plan?.half_width).toBeLessThanOrEqual(0.02 * 1.02);
    expect(plan?.total_cost).toBe((plan?.n ?? 0) + 16 * (plan?.m ?? 0));
    expect(report.variance_model.replicates).toBe(10);
    expect(report.labels_for_target?.n).toBe(1000);
  });

  it("refuses to plan without a target", async () => {
    const run = await runCli(["plan", path.join(arenaDir, "fresh_draws"), "--replicates", "2"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("nothing to plan");
  });
});
