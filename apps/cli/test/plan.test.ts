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
    expect(run.stdout).toMatch(/\(c\) Two policies evaluated with the cheapest plan: .*power to detect 0\.03: [01]\.\d{3}/);
    // The pilot's four policies answer the same prompts: comparisons are planned as paired, on a model
    // measured with labels on base and the others through its calibrator.
    expect(run.stdout).toMatch(/\(paired on 1000 shared prompts, labels on 'base' and the others through its calibrator: V_Δ\(n, m\) = /);
    expect(run.stdout).toMatch(/base − clone: \S+\/n \+ \S+\/m \+ \S+\/m² \(R² = 0\.\d{3}\)\n/);
    const report = PlanReportSchema.parse(JSON.parse(await readFile(out, "utf8")));
    const plan = report.cheapest_plan;
    expect(plan?.half_width).toBeLessThanOrEqual(0.02 * 1.02);
    expect(plan?.total_cost).toBe((plan?.n ?? 0) + 16 * (plan?.m ?? 0));
    expect(report.variance_model.replicates).toBe(10);
    expect(report.labels_for_target?.n).toBe(1000);
    // Arena's base labels are a random subset of its draws: the informational balance check does not reject.
    expect(run.stdout).toMatch(/Label balance \(judge scores of labelled vs unlabelled draws, informational\): not rejected \(KS D = 0\.\d{3}, p = 0\.\d{3}\)/);
    expect(report.pilot?.balance.status).toBe("BALANCE_NOT_REJECTED");
    expect(report.power_analysis.comparison_basis).toBe("paired");
    expect(report.comparison_model?.pairs).toHaveLength(6);
    expect(report.comparison_model?.m_range).toEqual([24, 135]);
    // `unhelpful` answers where base's labels are sparse (flagged LOW-LABEL-SUPPORT by cje analyze): its
    // comparisons' SE does not shrink with labels, so they are reported and left out of the model planned on.
    const pairs = report.comparison_model?.pairs ?? [];
    expect(pairs.filter((p) => !p.fit_ok).map((p) => p.b)).toEqual(["unhelpful", "unhelpful", "unhelpful"]);
    const fitted = pairs.filter((p) => p.fit_ok);
    expect(report.comparison_model?.sigma2_eval).toBe(Math.max(...fitted.map((p) => p.sigma2_eval)));
    expect(report.comparison_model?.sigma2_cal).toBe(Math.max(...fitted.map((p) => p.sigma2_cal)));
    expect(report.warnings.some((w) => w.startsWith("comparisons left out of the comparison model"))).toBe(true);
  });

  it("plans a target difference for the comparisons named with --compare, and checks them by re-sampling", async () => {
    const out = path.join(await mkdtemp(path.join(tmpdir(), "cje-plan-")), "plan.json");
    const run = await runCli([
      "plan",
      path.join(arenaDir, "fresh_draws"),
      "--mde",
      "0.03",
      "--compare",
      "clone",
      "--replicates",
      "10",
      "--check",
      "20",
      "--out",
      out,
    ]);
    expectSuccess(run);
    const report = PlanReportSchema.parse(JSON.parse(await readFile(out, "utf8")));
    expect(report.comparison_model?.pairs.map((p) => `${p.a} − ${p.b}`)).toEqual(["base − clone"]);
    expect(report.mde_plan?.comparison_basis).toBe("paired");
    expect(report.mde_plan?.mde).toBeLessThanOrEqual(0.03);
    expect(report.check?.comparisons?.map((c) => c.a + c.b)).toEqual(["baseclone"]);
    expect(run.stdout).toMatch(/base − clone: comparison SE predicted 0\.\d{4}, realised 0\.\d{4}, reported 0\.\d{4}/);

    const unknown = await runCli(["plan", path.join(arenaDir, "fresh_draws"), "--mde", "0.03", "--compare", "nobody", "--replicates", "2"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/policy 'nobody' is not in the pilot \(policies: base, clone, parallel_universe_prompt, unhelpful\)/);
    const simulated = await runCli(["plan", "--r2", "0.5", "--mde", "0.03", "--compare", "clone"]);
    expect(simulated.code).toBe(1);
    expect(simulated.stderr).toMatch(/--compare needs a pilot with several policies/);
  });

  it("plans before any label from the judge's correlation with the oracle", async () => {
    const out = path.join(await mkdtemp(path.join(tmpdir(), "cje-plan-")), "plan.json");
    const run = await runCli(["plan", "--correlation", "0.8", "--target-halfwidth", "0.04", "--replicates", "5", "--out", out]);
    expectSuccess(run);
    expect(run.stdout).toContain("No pilot: a synthetic world (binary_oracle_monotone_judge_v1) whose judge explains R² = 0.640");
    const report = PlanReportSchema.parse(JSON.parse(await readFile(out, "utf8")));
    expect(report).toMatchObject({ source: "simulation", pilot: null, scenario: { n_prompts: 1000, oracle_fraction: 0.4 } });
    expect(report.scenario?.r2).toBeCloseTo(0.64, 12);
    expect(report.cheapest_plan?.half_width).toBeLessThanOrEqual(0.04 * 1.02);

    const both = await runCli(["plan", path.join(arenaDir, "fresh_draws"), "--r2", "0.5", "--target-halfwidth", "0.04"]);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/give a pilot or a judge quality \(--r2 \/ --correlation\), not both/);
    const neither = await runCli(["plan", "--target-halfwidth", "0.04"]);
    expect(neither.code).toBe(1);
    expect(neither.stderr).toMatch(/nothing to plan from/);
    const bad = await runCli(["plan", "--r2", "1.5", "--target-halfwidth", "0.04"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/expected a number in \[0, 1\], got '1\.5'/);
  });

  it("refuses to plan without a target", async () => {
    const run = await runCli(["plan", path.join(arenaDir, "fresh_draws"), "--replicates", "2"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("nothing to plan");
  });
});
