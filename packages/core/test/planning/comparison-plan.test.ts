import { beforeAll, describe, expect, it } from "vitest";
import {
  checkComparisonPlan,
  evaluationDataFromRecords,
  measureComparisonModel,
  measureVarianceModel,
  pilotFromData,
  planForMde,
  type ComparisonVarianceModel,
  type EvaluationPlan,
  type Pilot,
  type VarianceModel,
} from "../../src/index.js";
import { predictVariance, simulateWorld, worldTruth, type WorldPolicy } from "../../src/advanced.js";
import { estimateDirect } from "../../src/direct/direct.js";
import { labelledRowsCalibration } from "../../src/direct/calibrated-mean.js";
import { evalTableOf } from "../helpers/interval-grid.js";

/**
 * Does a detectable-difference plan for two policies on shared prompts deliver its power? For each
 * target difference d, a pilot of 1,000 prompts (base labelled at 40%, a candidate better by exactly
 * d through base's calibrator) gives the level and the comparison variance models; the planner picks
 * the cheapest (n, m) detecting d at power 0.8 at costs (1, 16); then 200 independent studies of that
 * size are drawn from the same world and analysed with the production estimator.
 */
const COSTS = { judgeCost: 1, oracleCost: 16 };
const BASE: WorldPolicy = { name: "base", shift: 0 };

/** The candidate whose true value exceeds base's by `difference` (bisection on the world's exact truth). */
function candidate(difference: number): WorldPolicy {
  const target = worldTruth(BASE) + difference;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (worldTruth({ name: "candidate", shift: mid }) < target) lo = mid;
    else hi = mid;
  }
  return { name: "candidate", shift: (lo + hi) / 2 };
}

interface Setup {
  readonly policies: readonly WorldPolicy[];
  readonly pilot: Pilot;
  readonly level: VarianceModel;
  readonly comparison: ComparisonVarianceModel;
}

function setup(difference: number, seed: number): Setup {
  const policies = [BASE, candidate(difference)];
  const pilot = pilotFromData(evaluationDataFromRecords(simulateWorld({ policies, prompts: 1000, oracleShare: 0.4, seed }).records), "base");
  return { policies, pilot, level: measureVarianceModel(pilot, { replicates: 30 }).model, comparison: measureComparisonModel(pilot, { replicates: 30 }) };
}

/** Studies at the plan's (n, m): how often the candidate − base interval excludes 0 upward, and the spread and mean SE of the difference. */
function studies(policies: readonly WorldPolicy[], plan: EvaluationPlan, reps: number): { power: number; sd: number; meanSe: number } {
  const differences: number[] = [];
  let significant = 0;
  let seSum = 0;
  for (let r = 0; r < reps; r++) {
    const world = simulateWorld({ policies, prompts: plan.n, oracleShare: plan.m / plan.n, seed: 90_000 + 1_000 * r + plan.n });
    const table = evalTableOf(world.records, ["base", "candidate"]);
    const c = estimateDirect(table, labelledRowsCalibration(table), { inference: "analytic" }).comparisons[0];
    differences.push(-c.difference);
    seSum += c.se;
    if (c.ci[1] < 0) significant++;
  }
  const mean = differences.reduce((s, x) => s + x, 0) / reps;
  const sd = Math.sqrt(differences.reduce((s, x) => s + (x - mean) ** 2, 0) / (reps - 1));
  return { power: significant / reps, sd, meanSe: seSum / reps };
}

describe("detectable-difference plans for paired policies against simulation", () => {
  let first: Setup;
  beforeAll(() => {
    first = setup(0.04, 11);
  });

  it("measures one well-fitted pair whose SE is far below the independent-policies rule", () => {
    const { comparison, level } = first;
    expect(comparison.pairs.map((p) => `${p.a}-${p.b}`)).toEqual(["base-candidate"]);
    expect(comparison.model?.rSquared).toBeGreaterThan(0.9);
    const paired = Math.sqrt(predictVariance(comparison.model as VarianceModel, 1000, 100));
    const independent = Math.SQRT2 * Math.sqrt(predictVariance(level, 1000, 100));
    expect(independent / paired).toBeGreaterThan(2);
  });

  it.each([
    [0.04, 11],
    [0.025, 12],
  ])("difference %s: the paired plan reaches its power at a fraction of the independent plan's cost", (difference, seed) => {
    const { policies, pilot, level, comparison } = difference === 0.04 ? first : setup(difference, seed);
    const paired = planForMde(difference, level, COSTS, { comparisonModel: comparison.model as VarianceModel });
    const independent = planForMde(difference, level, COSTS);
    expect(paired.comparisonBasis).toBe("paired");
    expect(independent.comparisonBasis).toBe("independent");
    const result = studies(policies, paired, 200);
    // The predicted comparison SE is what the analysis reports at the planned (n, m), within 15%, and
    // it is not optimistic about the realised spread.
    expect(Math.abs(paired.seComparison / result.meanSe - 1)).toBeLessThan(0.15);
    expect(result.sd).toBeLessThan(1.15 * paired.seComparison);
    // The tool's own check (re-sampling the pilot at (n, m)) reproduces the reported SE and the spread.
    const check = checkComparisonPlan(pilot, paired.n, paired.m, { replicates: 200, seed: 1 }).pairs[0];
    expect(Math.abs(check.meanReportedSe / result.meanSe - 1)).toBeLessThan(0.15);
    expect(Math.abs(check.realisedSe / result.sd - 1)).toBeLessThan(0.2);
    // Power 0.8 as planned (200 studies: ±0.06 at two SEs). Without the 1/m² term the planned SE is
    // 18–44% off the reported one (and the plan had power 0.61 at d = 0.04 when it was first measured);
    // a plan twice as large as needed would give 0.98.
    expect(result.power).toBeGreaterThan(0.7);
    expect(result.power).toBeLessThan(0.93);
    // The independent-policies rule buys several times what the study needs, and over-powers it.
    expect(independent.totalCost / paired.totalCost).toBeGreaterThan(3);
    expect(studies(policies, independent, 40).power).toBeGreaterThan(0.97);
  });
});
