import { describe, expect, it } from "vitest";
import { analyzeOffPolicy } from "../../src/analysis/analyze-off-policy.js";
import { evaluationDataFromRecords } from "../../src/data/from-records.js";
import { loggedDataFromRecords } from "../../src/off-policy/logged.js";
import { drFunctional } from "../../src/off-policy/dr-shared.js";
import { oracleMean, simulateOpeWorld, trueValue, type WorldPolicySpec } from "./ope-world.js";

const logger: WorldPolicySpec = { theta: 0 };
const target: WorldPolicySpec = { theta: 1.5, tilt: 0.2 };
const truth = trueValue(target);

function summary(values: number[]): { mean: number; mcse: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, mcse: sd / Math.sqrt(n) };
}

describe("off-policy estimators in a world with known importance ratios", () => {
  it("the world's exact truth matches a large direct draw from the target", () => {
    const w = simulateOpeWorld({ logger, target, n: 100000, labelShare: 0, seed: 9 });
    const mc = w.fresh.reduce((s, f) => s + oracleMean(f.judge_score as number), 0) / w.fresh.length;
    // SD of m(S) is < 0.3, so the MC-SE is < 0.001.
    expect(Math.abs(mc - truth)).toBeLessThan(0.003);
    expect(Math.abs(truth - trueValue(logger))).toBeGreaterThan(0.08);
  });

  it("Horvitz–Thompson IPS is unbiased: mean of 500 replications within 2 MC-SE of the truth", () => {
    const estimates: number[] = [];
    for (let rep = 0; rep < 500; rep++) {
      const w = simulateOpeWorld({ logger, target, n: 200, labelShare: 1, seed: 10_000 + rep });
      const r = analyzeOffPolicy(loggedDataFromRecords(w.logged), null, { estimator: "ips", calibrationMode: "monotone" });
      estimates.push(r.policies[0].estimate as number);
    }
    const s = summary(estimates);
    expect(Math.abs(s.mean - truth)).toBeLessThan(2 * s.mcse);
    // The logger's own mean is far away in MC-SE units: the test can fail.
    expect(Math.abs(s.mean - trueValue(logger))).toBeGreaterThan(20 * s.mcse);
  });

  it("the DR functional is unbiased when either the weights or the outcome model is right, and not when both are wrong", () => {
    const rightW: number[] = [];
    const rightG: number[] = [];
    const bothWrong: number[] = [];
    for (let rep = 0; rep < 500; rep++) {
      const w = simulateOpeWorld({ logger, target, n: 200, labelShare: 1, seed: 20_000 + rep });
      const y = Float64Array.from(w.logged, (r) => r.oracle_label as number);
      const drawStart = Int32Array.from({ length: 201 }, (_, i) => i);
      const freshTrue = Float64Array.from(w.fresh, (f) => oracleMean(f.judge_score as number));
      const wrongLogged = new Float64Array(200).fill(0.3);
      const wrongDraws = new Float64Array(200).fill(0.3);
      const ones = new Float64Array(200).fill(1);
      rightW.push(drFunctional(w.truth.ratio, y, wrongLogged, drawStart, wrongDraws).estimate);
      rightG.push(drFunctional(ones, y, w.truth.mean, drawStart, freshTrue).estimate);
      bothWrong.push(drFunctional(ones, y, wrongLogged, drawStart, wrongDraws).estimate);
    }
    const a = summary(rightW);
    const b = summary(rightG);
    const c = summary(bothWrong);
    expect(Math.abs(a.mean - truth)).toBeLessThan(2 * a.mcse);
    expect(Math.abs(b.mean - truth)).toBeLessThan(2 * b.mcse);
    expect(Math.abs(c.mean - truth)).toBeGreaterThan(10 * c.mcse);
  });

  it("stacked-DR 95% intervals cover the truth in 90–99% of 300 replications (25% labels, calibrated rewards, OUA)", () => {
    let covered = 0;
    const reps = 300;
    const estimates: number[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const w = simulateOpeWorld({ logger, target, n: 400, labelShare: 0.25, seed: 30_000 + rep });
      const r = analyzeOffPolicy(loggedDataFromRecords(w.logged), evaluationDataFromRecords(w.fresh), { estimator: "stacked-dr" });
      const p = r.policies[0];
      estimates.push(p.estimate as number);
      if ((p.ci[0] as number) <= truth && truth <= (p.ci[1] as number)) covered++;
    }
    expect(covered / reps).toBeGreaterThanOrEqual(0.9);
    expect(covered / reps).toBeLessThanOrEqual(0.99);
  });
});
