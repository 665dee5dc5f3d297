import { describe, expect, it } from "vitest";
import { correlationToR2, labelBalance, planFromSimulation, PlanReportSchema, syntheticPilot, type Pilot } from "../../src/index.js";
import { fitIsotonic, simulationNGrid } from "../../src/advanced.js";

/** Isotonic R² of a pilot's labels on its judge scores (every prompt labelled). */
function realisedR2(pilot: Pilot): number {
  const scores = pilot.labelled.map((p) => p.scores[0]);
  const labels = pilot.labelled.map((p) => p.labels[0]);
  const fitted = fitIsotonic(scores, labels).predict(scores);
  const mean = labels.reduce((a, b) => a + b, 0) / labels.length;
  let ssRes = 0;
  let ssTot = 0;
  labels.forEach((y, i) => {
    ssRes += (y - fitted[i]) ** 2;
    ssTot += (y - mean) ** 2;
  });
  return 1 - ssRes / ssTot;
}

describe("planning without a pilot (method-direct §2.15)", () => {
  it("converts a correlation to R², monotone above linear, capped at 1", () => {
    expect(correlationToR2(0.7)).toBeCloseTo(0.49, 12);
    expect(correlationToR2(-0.7)).toBeCloseTo(0.49, 12);
    expect(correlationToR2(0.7, "monotone")).toBeCloseTo(0.49 + 0.5 * 0.51, 12);
    expect(correlationToR2(1, "monotone")).toBe(1);
    expect(() => correlationToR2(1.2)).toThrow(/\[−1, 1\]/);
  });

  it("draws a synthetic world whose judge explains the requested R² (±0.05 at 20 000 prompts)", () => {
    for (const r2 of [0.5, 0.7]) {
      const { pilot, mixingWeight } = syntheticPilot({ r2, prompts: 20_000, oracleFraction: 1 }, 5);
      expect(mixingWeight).toBeGreaterThanOrEqual(r2);
      expect(Math.abs(realisedR2(pilot) - r2), `r² ${r2}`).toBeLessThan(0.05);
    }
    expect(syntheticPilot({ r2: 1, prompts: 100 }, 1).mixingWeight).toBe(1);
  });

  it("uses the simulation's n grid", () => {
    expect(simulationNGrid(1000)).toEqual([200, 400, 600]);
    expect(simulationNGrid(200)).toEqual([50, 100, 150]);
  });

  it("plans from the synthetic world: schema-valid, deterministic, forwarding m_min, fewer labels for a better judge", () => {
    const request = { costs: { judgeCost: 1, oracleCost: 16 }, targetHalfWidth: 0.03, mMin: 40, pilot: { replicates: 10 } };
    const good = planFromSimulation({ r2: 0.9 }, request);
    const poor = planFromSimulation({ r2: 0.4 }, request);
    expect(() => PlanReportSchema.parse(good)).not.toThrow();
    expect(good.source).toBe("simulation");
    expect(good.pilot).toBeNull();
    expect(good.scenario).toMatchObject({ dgp: "binary_oracle_monotone_judge_v1", r2: 0.9, n_prompts: 1000, oracle_fraction: 0.4, seed: 42 });
    expect(good.variance_model.measurements.map((x) => x.n_requested)).toEqual([200, 200, 200, 400, 400, 400, 600, 600, 600]);
    expect(good.cheapest_plan?.m).toBeGreaterThanOrEqual(40);
    expect(good.m_min).toBe(40);
    // A judge that explains more of the oracle leaves less to calibrate: less calibration variance, fewer labels.
    expect(good.variance_model.sigma2_cal).toBeLessThan(poor.variance_model.sigma2_cal);
    expect(good.cheapest_plan!.total_cost).toBeLessThan(poor.cheapest_plan!.total_cost);
    expect(planFromSimulation({ r2: 0.9 }, request)).toEqual(good);
    expect(() => planFromSimulation({ r2: 0.9 }, { costs: request.costs })).toThrow(/nothing to plan/);
  });

  it("checks label balance: a shift when labels went to high judge scores, none when random, too few draws", () => {
    const { pilot } = syntheticPilot({ r2: 0.7, prompts: 400, oracleFraction: 0.3 }, 3);
    expect(labelBalance(pilot).status).toBe("BALANCE_NOT_REJECTED");
    const all = [...pilot.labelled, ...pilot.unlabelled].map((p) => ({ ...p, labels: [Number.NaN] }));
    const sorted = [...all].sort((a, b) => b.scores[0] - a.scores[0]);
    const top = sorted.slice(0, 100).map((p) => ({ ...p, labels: [1] }));
    const skewed: Pilot = { ...pilot, labelled: top, unlabelled: sorted.slice(100) };
    const shifted = labelBalance(skewed);
    expect(shifted.status).toBe("SHIFT_DETECTED");
    expect(shifted.pValue).toBeLessThan(1e-6);
    expect(labelBalance({ ...pilot, labelled: top.slice(0, 9) }).status).toBe("INSUFFICIENT_DATA");
  });
});
