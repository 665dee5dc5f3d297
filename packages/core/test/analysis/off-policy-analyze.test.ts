import { describe, expect, it } from "vitest";
import { analyzeOffPolicy, resolveOffPolicyEstimator } from "../../src/analysis/analyze-off-policy.js";
import { AnalysisResultSchema } from "../../src/analysis/result-schema.js";
import { evaluationDataFromRecords } from "../../src/data/from-records.js";
import { loggedDataFromRecords } from "../../src/off-policy/logged.js";
import { simulateOpeWorld, type WorldPolicySpec } from "../off-policy/ope-world.js";

const logger: WorldPolicySpec = { theta: 0 };
const target: WorldPolicySpec = { theta: 1.5, tilt: 0.2 };

describe("analyzeOffPolicy", () => {
  const world = simulateOpeWorld({ logger, target, n: 300, labelShare: 0.3, seed: 77 });
  const logged = loggedDataFromRecords(world.logged);
  const fresh = evaluationDataFromRecords(world.fresh);

  it("resolves names and aliases", () => {
    expect(resolveOffPolicyEstimator("raw-ips", true)).toBe("snips");
    expect(resolveOffPolicyEstimator("auto", true)).toBe("stacked-dr");
    expect(resolveOffPolicyEstimator("auto", false)).toBe("calibrated-ips");
    expect(() => resolveOffPolicyEstimator("dr", true)).toThrow(/unknown off-policy estimator/);
  });

  it("runs the IPS family without fresh draws and refuses the DR family without them", () => {
    const r = analyzeOffPolicy(logged, null, { estimator: "calibrated-ips" });
    AnalysisResultSchema.parse(r);
    expect(r.policies[0].route).toBe("importance_weighted");
    expect(r.diagnostics.policies.target.off_policy?.judge_overlap.mode).toBe("weights");
    expect(r.diagnostics.policies.target.naive.estimate).toBeGreaterThan(0);
    expect(() => analyzeOffPolicy(logged, null, { estimator: "dr-cpo" })).toThrow(/needs fresh draws/);
  });

  it("DR needs a fresh draw for every logged prompt and names the missing ones", () => {
    const partial = evaluationDataFromRecords(world.fresh.filter((f) => f.prompt_id !== "p3" && f.prompt_id !== "p8"));
    expect(() => analyzeOffPolicy(logged, partial, { estimator: "tmle" })).toThrow(/2 logged row\(s\) have none \(e\.g\. "p3", "p8"\)/);
  });

  it("averages the outcome model over several fresh draws per prompt", () => {
    const multi = simulateOpeWorld({ logger, target, n: 300, labelShare: 0.3, seed: 79, drawsPerPrompt: 3 });
    const freshMulti = evaluationDataFromRecords(multi.fresh);
    const r = analyzeOffPolicy(loggedDataFromRecords(multi.logged), freshMulti, { estimator: "dr-cpo" });
    const d = r.diagnostics.policies.target;
    expect(r.policies[0].estimate).toBeCloseTo(d.plug_in! + d.residual_correction!, 12);
    expect(Number.isFinite(r.policies[0].ci[0])).toBe(true);
  });

  it("without labels, rewards are raw judge scores: UNCALIBRATED, judge units, no OUA term", () => {
    const bare = loggedDataFromRecords(world.logged.map(({ oracle_label: _y, ...rest }) => rest));
    const r = analyzeOffPolicy(bare, fresh, { estimator: "stacked-dr" });
    expect(r.policies[0].flags).toContain("UNCALIBRATED");
    expect(r.policies[0].units).toBe("judge");
    expect(r.diagnostics.calibration).toBeNull();
    expect(r.diagnostics.policies.target.variance_components?.calibration).toBe(0);
  });

  it("with every logged row labelled, rewards are the labels and the OUA term vanishes", () => {
    const full = simulateOpeWorld({ logger, target, n: 300, labelShare: 1, seed: 78 });
    const r = analyzeOffPolicy(loggedDataFromRecords(full.logged), evaluationDataFromRecords(full.fresh), { estimator: "snips" });
    const y = full.logged.map((row) => row.oracle_label as number);
    const w = full.truth.ratio;
    const snips = y.reduce((s, v, i) => s + w[i] * v, 0) / w.reduce((a, b) => a + b, 0);
    expect(r.policies[0].estimate).toBeCloseTo(snips, 10);
    expect(r.diagnostics.policies.target.variance_components?.calibration).toBe(0);
  });

  it("with partial labels, every calibrator-consuming estimator carries an OUA variance and a Satterthwaite df", () => {
    for (const name of ["ips", "snips", "calibrated-ips", "dr-cpo", "mrdr", "tmle", "stacked-dr"]) {
      const r = analyzeOffPolicy(logged, fresh, { estimator: name });
      const p = r.policies[0];
      expect(r.diagnostics.policies.target.variance_components!.calibration).toBeGreaterThan(0);
      expect(p.df).toBeGreaterThanOrEqual(1);
      expect(p.se! ** 2).toBeCloseTo(
        r.diagnostics.policies.target.variance_components!.sampling! + r.diagnostics.policies.target.variance_components!.calibration,
        14,
      );
    }
  });
});
