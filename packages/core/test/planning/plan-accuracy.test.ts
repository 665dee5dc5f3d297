import { beforeAll, describe, expect, it } from "vitest";
import {
  calibratedMeanCI,
  checkPlan,
  evaluationDataFromRecords,
  measureVarianceModel,
  pilotFromData,
  planForHalfWidth,
  type EvaluationPlan,
  type Pilot,
  type VarianceModel,
} from "../../src/index.js";
import { normalQuantile, simulateWorld } from "../../src/advanced.js";

/**
 * Does a plan deliver the half-width it predicts? A pilot of 1,000 prompts (30% labelled) from the
 * synthetic world gives the variance model; the planner picks the cheapest (n, m) for three target
 * half-widths at costs (1, 16); then 150 independent studies of that size are drawn from the same
 * world (known truth) and analysed with the production estimator (analytic inference).
 */
const POLICY = { name: "base", shift: 0.5 };
const Z = normalQuantile(0.975);
let pilot: Pilot;
let model: VarianceModel;
beforeAll(() => {
  pilot = pilotFromData(evaluationDataFromRecords(simulateWorld({ policies: [POLICY], prompts: 1000, oracleShare: 0.3, seed: 3 }).records));
  model = measureVarianceModel(pilot, { replicates: 30 }).model;
});

function realised(plan: EvaluationPlan, reps: number): { spread: number; reported: number } {
  const estimates: number[] = [];
  let reported = 0;
  for (let r = 0; r < reps; r++) {
    const world = simulateWorld({ policies: [POLICY], prompts: plan.n, oracleShare: plan.m / plan.n, seed: 50_000 + 1_000 * r + plan.n });
    const fit = calibratedMeanCI(
      world.records.map((x) => x.judge_score as number),
      world.records.map((x) => (x.oracle_label as number | undefined) ?? Number.NaN),
      { inference: "analytic" },
    );
    estimates.push(fit.estimate);
    reported += (fit.ci[1] - fit.ci[0]) / 2;
  }
  const mean = estimates.reduce((s, x) => s + x, 0) / reps;
  const sd = Math.sqrt(estimates.reduce((s, x) => s + (x - mean) ** 2, 0) / (reps - 1));
  return { spread: Z * sd, reported: reported / reps };
}

describe("label-budget plans against simulation (three (n, m) points)", () => {
  it("fits the pilot's variance model well (R² > 0.9)", () => {
    expect(model.rSquared).toBeGreaterThan(0.9);
  });

  it.each([0.06, 0.045, 0.03])("target half-width %s: the predicted half-width is within 15 percent of the realised one", (target) => {
    const plan = planForHalfWidth(target, model, { judgeCost: 1, oracleCost: 16 });
    const truth = realised(plan, 150);
    // Realised half-width: the mean half-width the analysis reports at the planned (n, m).
    expect(Math.abs(plan.halfWidth / truth.reported - 1)).toBeLessThan(0.15);
    // The plan is not optimistic: z × SD of the estimates over independent studies stays within 15% above it
    // (the analytic SE is conservative, so the spread is often smaller).
    expect(truth.spread).toBeLessThan(1.15 * plan.halfWidth);
    // The tool's own check (re-sampling the pilot, refitting) reproduces both within 15%.
    const check = checkPlan(pilot, plan.n, plan.m, { replicates: 300, seed: 1 });
    expect(Math.abs(check.realisedHalfWidth / truth.spread - 1)).toBeLessThan(0.15);
    expect(Math.abs(check.meanReportedHalfWidth / truth.reported - 1)).toBeLessThan(0.15);
  });
});
