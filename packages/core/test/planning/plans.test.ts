import { describe, expect, it } from "vitest";
import {
  CjeInputError,
  labelsForHalfWidth,
  minimumDetectableDifference,
  planForBudget,
  planForHalfWidth,
  planForMde,
  powerToDetect,
  type VarianceModel,
} from "../../src/index.js";
import { describeAllocation, normalQuantile } from "../../src/advanced.js";

const model = (sigma2Eval: number, sigma2Cal: number, rSquared = 0.99): VarianceModel => ({
  sigma2Eval,
  sigma2Cal,
  rSquared,
  nMeasurements: 12,
  fitOk: rSquared >= 0.5,
});
const DOLLARS = { judgeCost: 0.01, oracleCost: 0.16 };

describe("planning goldens (method-direct §5, reference cje-eval 0.6)", () => {
  it("budget 5000 with σ² = (0.008, 0.004), costs (0.01, 0.16)", () => {
    const plan = planForBudget(5000, model(0.008, 0.004), DOLLARS);
    expect(plan.n).toBe(130_601);
    expect(plan.m).toBe(23_087);
    expect(plan.totalCost).toBeCloseTo(4999.93, 6);
    expect(plan.seLevel).toBeCloseTo(4.84265e-4, 9);
    expect(plan.mde).toBeCloseTo(0.00191868, 8);
    expect(plan.evalVarianceFraction).toBeCloseTo(0.2612, 4);
    expect(powerToDetect(plan.mde, plan.seComparison)).toBeCloseTo(0.8, 5); // exact two-sided power: 0.8 + Φ(−z − δ/se) ≈ 0.800001
    expect(powerToDetect(0, plan.seComparison)).toBeCloseTo(0.05, 14);
  });

  it("target MDE 0.02 with the same model: n 1201, m 212, cost 45.93, MDE 0.0200187", () => {
    const plan = planForMde(0.02, model(0.008, 0.004), DOLLARS);
    expect([plan.n, plan.m]).toEqual([1201, 212]);
    expect(plan.totalCost).toBeCloseTo(45.93, 10);
    expect(plan.mde).toBeCloseTo(0.0200187, 7);
  });

  it("target MDE 0.011 with σ² = (0.05, 1e-4), costs (0.01, 16): m at the floor of 30, n 11 430 (reference: 11 429)", () => {
    // Closed form: n = ⌈0.05 / (V_target − 1e-4/30)⌉ = ⌈11429.16⌉ = 11430, budget 594.30. The reference then
    // plans that budget with ⌊(594.30 − 480)/0.01⌋ = ⌊11429.999999999996⌋ = 11429 (a last-bit artifact), so its
    // plan costs 594.29 and misses the target by 4e-8; ours spends the budget and meets it.
    const plan = planForMde(0.011, model(0.05, 1e-4), { judgeCost: 0.01, oracleCost: 16 });
    expect([plan.n, plan.m]).toEqual([11_430, 30]);
    expect(plan.totalCost).toBeCloseTo(594.3, 8);
    expect(plan.mde).toBeLessThanOrEqual(0.011);
    expect(plan.mde).toBeCloseTo(0.01100004, 6);
  });
});

describe("power and minimum detectable difference", () => {
  it("has power α at zero, the target power at the MDE, symmetric in the sign of the difference", () => {
    const se = 0.013;
    const mde = minimumDetectableDifference(se, 0.9, 0.01);
    expect(mde).toBeCloseTo((normalQuantile(0.995) + normalQuantile(0.9)) * se, 14);
    expect(powerToDetect(mde, se, 0.01)).toBeCloseTo(0.9, 3);
    expect(powerToDetect(0, se, 0.01)).toBeCloseTo(0.01, 14);
    expect(powerToDetect(-0.02, se)).toBeCloseTo(powerToDetect(0.02, se), 14);
    expect(() => powerToDetect(0.1, 0)).toThrow(/zero/);
  });
});

describe("budget plans", () => {
  const m1 = model(0.07, 0.05);
  const costs = { judgeCost: 1, oracleCost: 16 };

  it("never exceeds the budget and keeps mMin ≤ m ≤ n, including one-component models", () => {
    for (const v of [m1, model(0.07, 0), model(0, 0.05)]) {
      for (const budget of [30 * 17, 777, 5_000, 123_456.78]) {
        const plan = planForBudget(budget, v, costs);
        expect(plan.totalCost).toBeLessThanOrEqual(budget + 1e-9);
        expect(plan.m).toBeGreaterThanOrEqual(30);
        expect(plan.n).toBeGreaterThanOrEqual(plan.m);
      }
    }
  });

  it("is the variance-minimising allocation of its budget (no integer m does better by more than 0.1%)", () => {
    const budget = 20_000;
    const plan = planForBudget(budget, m1, costs);
    let best = Infinity;
    for (let m = 30; m * 17 <= budget; m++) {
      const n = Math.floor((budget - 16 * m) / 1);
      if (n >= m) best = Math.min(best, 0.07 / n + 0.05 / m);
    }
    expect(plan.seLevel ** 2).toBeLessThanOrEqual(best * 1.001);
  });

  it("buys fewer labels per prompt when labels cost more", () => {
    const cheap = planForBudget(10_000, m1, { judgeCost: 1, oracleCost: 4 });
    const dear = planForBudget(10_000, m1, { judgeCost: 1, oracleCost: 64 });
    expect(dear.oracleFraction).toBeLessThan(cheap.oracleFraction);
  });

  it("refuses an unfundable budget, a degenerate model and bad costs; warns on a poor fit", () => {
    expect(() => planForBudget(100, m1, costs)).toThrow(/cannot fund the minimum plan/);
    expect(() => planForBudget(10_000, model(0, 0), costs)).toThrow(/degenerate/);
    expect(() => planForBudget(10_000, m1, { judgeCost: 0, oracleCost: 16 })).toThrow(CjeInputError);
    expect(planForBudget(10_000, model(0.07, 0.05, 0.3), costs).warnings[0]).toMatch(/poorly fitted variance model \(R² = 0\.300 < 0\.5\)/);
  });
});

describe("half-width plans", () => {
  const m1 = model(0.07, 0.05);
  const costs = { judgeCost: 1, oracleCost: 16 };

  it("meets the target half-width, and no allocation of lower cost does", () => {
    const plan = planForHalfWidth(0.03, m1, costs);
    expect(plan.halfWidth).toBeLessThanOrEqual(0.03 * 1.02);
    const z = normalQuantile(0.975);
    const cheaper = plan.totalCost * 0.97;
    for (let m = 30; m * 17 <= cheaper; m++) {
      const n = Math.floor(cheaper - 16 * m);
      if (n >= m) expect(z * Math.sqrt(0.07 / n + 0.05 / m)).toBeGreaterThan(0.03);
    }
  });

  it("labels for a half-width at fixed n: the closed form, and the infeasible cases", () => {
    const z = normalQuantile(0.975);
    const need = labelsForHalfWidth(0.03, 2000, m1);
    const expected = Math.ceil(0.05 / ((0.03 / z) ** 2 - 0.07 / 2000));
    expect(need.m).toBe(expected);
    expect(need.halfWidth).toBeLessThanOrEqual(0.03);
    expect(labelsForHalfWidth(0.03, 2000, m1, { mMin: 400 }).m).toBe(400);
    const tooFew = labelsForHalfWidth(0.01, 500, m1);
    expect(tooFew.m).toBeNull();
    expect(tooFew.minPrompts).toBe(Math.ceil(0.07 / (0.01 / z) ** 2));
    expect(tooFew.reason).toContain(`evaluate at least ${tooFew.minPrompts} prompts`);
    expect(labelsForHalfWidth(0.03, 400, m1).reason).toMatch(/labels would be needed but only 400 prompts/);
  });

  it("describes an allocation: variance shares and the comparison SE", () => {
    const d = describeAllocation(1000, 100, m1, costs);
    expect(d.evalVarianceFraction).toBeCloseTo(0.00007 / (0.00007 + 0.0005), 14);
    expect(d.seComparison).toBeCloseTo(Math.SQRT2 * d.seLevel, 15);
    expect(d.totalCost).toBe(1000 + 1600);
  });
});

describe("detectable-difference plans on a paired comparison model", () => {
  const comparison: VarianceModel = { ...model(0.01, 0.004), sigma2Small: 0.2 };
  const COSTS = { judgeCost: 1, oracleCost: 16 };

  it("describes every plan's comparison with the comparison model, and without one with √2 × the level SE", () => {
    const paired = describeAllocation(400, 60, model(0.05, 0.03), COSTS, { comparisonModel: comparison });
    expect(paired.comparisonBasis).toBe("paired");
    expect(paired.seComparison).toBeCloseTo(Math.sqrt(0.01 / 400 + 0.004 / 60 + 0.2 / 3600), 15);
    expect(paired.seLevel).toBeCloseTo(Math.sqrt(0.05 / 400 + 0.03 / 60), 15);
    const independent = describeAllocation(400, 60, model(0.05, 0.03), COSTS);
    expect(independent.comparisonBasis).toBe("independent");
    expect(independent.seComparison).toBeCloseTo(Math.SQRT2 * independent.seLevel, 15);
  });

  it.each([0.03, 0.02, 0.012])("target %s: the cheapest integer (n, m) meeting it, as a brute-force search finds", (target) => {
    const plan = planForMde(target, model(0.05, 0.03), COSTS, { comparisonModel: comparison });
    expect(plan.mde).toBeLessThanOrEqual(target);
    // Brute force over m ∈ [30, 2000] and n ∈ [m, 40 000]: the cheapest pair meeting the target.
    const seTarget = target / minimumDetectableDifference(1);
    let best = Number.POSITIVE_INFINITY;
    for (let m = 30; m <= 2000; m++) {
      const rest = seTarget ** 2 - 0.004 / m - 0.2 / (m * m);
      if (rest <= 0) continue;
      for (let n = m; n <= 40_000; n++) {
        if (0.01 / n <= rest) {
          best = Math.min(best, n + 16 * m);
          break;
        }
      }
    }
    expect(plan.totalCost).toBe(best);
  });

  it("refuses a degenerate comparison model", () => {
    expect(() => planForMde(0.02, model(0.05, 0.03), COSTS, { comparisonModel: model(0, 0) })).toThrow(
      /comparison variance model is degenerate \(every component zero\)/,
    );
  });
});
