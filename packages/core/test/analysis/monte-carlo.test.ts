import { describe, expect, it } from "vitest";
import { analyze, evaluationDataFromRecords, type InferenceMethod } from "../../src/index.js";
import { simulateWorld } from "../../src/advanced.js";

/**
 * Seeded Monte Carlo in a world with known truth: a biased, coarse (0.05-step) judge and a noisy
 * 5-point oracle; oracle labels on a random share of the base policy; the other policies are
 * evaluated through the calibrator alone.
 */
const POLICIES = [
  { name: "base", shift: 0 },
  { name: "better", shift: 0.3 },
  { name: "worse", shift: -0.25 },
];

interface Summary {
  coverage: number;
  naiveCoverage: number;
  bias: number;
  meanSe: number;
  mcSe: number;
}

function monteCarlo(share: number, inference: InferenceMethod, reps: number, prompts: number, replicates?: number): Record<string, Summary> {
  const acc: Record<string, { err: number[]; se: number[]; cover: number; naive: number }> = {};
  for (let rep = 0; rep < reps; rep++) {
    const world = simulateWorld({ policies: POLICIES, prompts, oracleShare: share, seed: 10_000 + rep });
    const result = analyze(evaluationDataFromRecords(world.records), { inference, ...(replicates !== undefined ? { replicates, seed: rep } : {}) });
    for (const p of result.policies) {
      const a = (acc[p.policy] ??= { err: [], se: [], cover: 0, naive: 0 });
      const truth = world.truth[p.policy];
      a.err.push((p.estimate as number) - truth);
      a.se.push(p.se as number);
      if ((p.ci[0] as number) <= truth && truth <= (p.ci[1] as number)) a.cover++;
      const naive = result.diagnostics.policies[p.policy].naive.ci;
      if ((naive[0] as number) <= truth && truth <= (naive[1] as number)) a.naive++;
    }
  }
  return Object.fromEntries(
    Object.entries(acc).map(([policy, a]) => {
      const bias = a.err.reduce((s, e) => s + e, 0) / reps;
      const sd = Math.sqrt(a.err.reduce((s, e) => s + (e - bias) ** 2, 0) / (reps - 1));
      return [
        policy,
        { coverage: a.cover / reps, naiveCoverage: a.naive / reps, bias, meanSe: a.se.reduce((s, e) => s + e, 0) / reps, mcSe: sd / Math.sqrt(reps) },
      ];
    }),
  );
}

describe.each([0.05, 0.25])("Monte Carlo, %s oracle share, analytic inference (200 replications)", (share) => {
  const results = monteCarlo(share, "analytic", 200, 1000);
  it.each(POLICIES.map((p) => p.name))("%s: 95%% CI coverage in [0.90, 0.99], |bias| < 0.2 SE, naive coverage < 0.2", (policy) => {
    const r = results[policy];
    expect(r.coverage).toBeGreaterThanOrEqual(0.9);
    expect(r.coverage).toBeLessThanOrEqual(0.99);
    expect(Math.abs(r.bias)).toBeLessThan(0.2 * r.meanSe);
    expect(r.naiveCoverage).toBeLessThan(0.2);
  });
});

describe.each([0.05, 0.25])("Monte Carlo, %s oracle share, default bootstrap inference (200 replications, B = 200)", (share) => {
  const results = monteCarlo(share, "bootstrap", 200, 500, 200);
  it.each(POLICIES.map((p) => p.name))("%s: 95%% CI coverage in [0.90, 0.99], |bias| < 0.2 SE, naive coverage < 0.2", (policy) => {
    const r = results[policy];
    expect(r.coverage).toBeGreaterThanOrEqual(0.9);
    expect(r.coverage).toBeLessThanOrEqual(0.99);
    expect(Math.abs(r.bias)).toBeLessThan(0.2 * r.meanSe);
    expect(r.naiveCoverage).toBeLessThan(0.2);
  });
});
