import { describe, expect, it } from "vitest";
import { evaluationDataFromRecords, measureVarianceModel, pilotFromData, planFromPilot, PlanReportSchema } from "../../src/index.js";
import { defaultNGrid, measurementGrid, simulateWorld } from "../../src/advanced.js";

describe("pilot measurement grid (method-direct §2.14)", () => {
  it("gives the reference's grid for 480 labels, n grid [100, 200] and fractions [0.25, 0.45]", () => {
    expect(measurementGrid([100, 200], [0.25, 0.45], 480)).toEqual([
      { n: 100, m: 50 },
      { n: 100, m: 90 },
      { n: 200, m: 50 },
      { n: 200, m: 90 },
    ]);
  });

  it("uses the default n grid (≤ 0.8 N) and default fractions", () => {
    expect(defaultNGrid(1000)).toEqual([150, 300, 450, 600]);
    expect(defaultNGrid(250)).toEqual([50, 100, 150, 200]);
    expect(defaultNGrid(150)).toEqual([50, 100]);
    // 300 labels: n_ref = 300, m_cap = ⌊0.9·150⌋ = 135 ⇒ m ∈ {45, 75, 120}.
    expect(measurementGrid(defaultNGrid(1000), [0.15, 0.25, 0.4], 300).filter((p) => p.n === 150)).toEqual([
      { n: 150, m: 45 },
      { n: 150, m: 75 },
      { n: 150, m: 120 },
    ]);
  });

  it("refuses a grid without variation, with the sorted levels in the message", () => {
    expect(() => measurementGrid([200, 100], [0.25], 480)).toThrow("insufficient variation (n = [100, 200], m = [50])");
    expect(() => measurementGrid([100], [0.25, 0.45], 480)).toThrow(/insufficient variation/);
  });
});

describe("pilot extraction and measurement", () => {
  const world = simulateWorld({
    policies: [
      { name: "pilot", shift: 0.5 },
      { name: "other", shift: 0 },
    ],
    prompts: 400,
    oracleShare: 0.3,
    seed: 9,
  });
  const data = evaluationDataFromRecords(world.records);

  it("picks the policy with the most labels and splits labelled from unlabelled prompts", () => {
    const pilot = pilotFromData(data);
    expect(pilot.policy).toBe("pilot");
    expect(pilot.labelled).toHaveLength(120);
    expect(pilot.unlabelled).toHaveLength(280);
    expect(pilot.nRows).toBe(400);
    expect(() => pilotFromData(data, "other")).toThrow(/no oracle labels/);
    expect(() => pilotFromData(data, "nobody")).toThrow(/not in the data/);
  });

  it("clamps cells the unlabelled pool cannot fill and fits on the sizes actually measured", () => {
    const pilot = pilotFromData(data);
    const measured = measureVarianceModel(
      { ...pilot, unlabelled: pilot.unlabelled.slice(0, 100) },
      { nGrid: [100, 150], oracleFractions: [0.25, 0.5], replicates: 5 },
    );
    // m levels: n_ref = 120 ⇒ {30, 60}; cells (100, 30), (100, 60), (150, 30), (150, 60); 150 − 30 = 120 > 100 unlabelled.
    expect(measured.measurements.map((x) => [x.nRequested, x.mRequested, x.n, x.m])).toEqual([
      [100, 30, 100, 30],
      [100, 60, 100, 60],
      [150, 30, 130, 30],
      [150, 60, 150, 60],
    ]);
    expect(measured.warnings).toEqual([
      "1 of 4 measurement cells were clamped to the pilot's 120 labelled and 100 unlabelled prompts; the fit uses the sizes actually measured",
    ]);
  });

  it("produces a schema-valid plan report answering (a), (b), (c)", () => {
    const report = planFromPilot(data, {
      costs: { judgeCost: 1, oracleCost: 16 },
      targetHalfWidth: 0.05,
      detect: 0.1,
      pilot: { replicates: 5 },
    });
    expect(() => PlanReportSchema.parse(report)).not.toThrow();
    expect(report.source).toBe("pilot");
    expect(report.scenario).toBeNull();
    expect(report.pilot).toMatchObject({ policy: "pilot", n_prompts: 400, n_labelled_prompts: 120 });
    // The world labels a simple random sample: balance is not rejected.
    expect(report.pilot?.balance).toMatchObject({ status: "BALANCE_NOT_REJECTED", n_labelled: 120, n_unlabelled: 280 });
    expect(report.pilot?.balance.p_value).toBeGreaterThan(0.05);
    expect(report.cheapest_plan?.half_width).toBeLessThanOrEqual(0.05 * 1.02);
    expect(report.labels_for_target?.n).toBe(400);
    expect(report.power_analysis.plan).toBe("cheapest");
    expect(report.power_analysis.detect?.power).toBeGreaterThan(0.05);
    expect(report.check).toBeNull();
    expect(() => planFromPilot(data, { costs: { judgeCost: 1, oracleCost: 16 } })).toThrow(/nothing to plan/);
  });
});
