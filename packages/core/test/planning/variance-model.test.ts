import { describe, expect, it } from "vitest";
import { CjeInputError } from "../../src/index.js";
import { createRng, fitVarianceComponents, nnls2, predictVariance } from "../../src/advanced.js";

const GRID = [100, 200, 400, 800].flatMap((n) => [30, 60, 90].map((m) => ({ n, m })));

describe("variance model V(n, m) = σ²_eval/n + σ²_cal/m", () => {
  it("recovers the components exactly from noiseless measurements (R² = 1)", () => {
    const model = fitVarianceComponents(GRID.map(({ n, m }) => ({ n, m, variance: 0.08 / n + 0.03 / m })));
    expect(model.sigma2Eval).toBeCloseTo(0.08, 12);
    expect(model.sigma2Cal).toBeCloseTo(0.03, 12);
    expect(model.rSquared).toBeCloseTo(1, 12);
    expect(model.fitOk).toBe(true);
    expect(predictVariance(model, 1000, 100)).toBeCloseTo(0.08 / 1000 + 0.03 / 100, 14);
  });

  it("recovers (1.0, 0.5) within 0.3 / 0.2 from measurements with 5% multiplicative noise, R² > 0.9", () => {
    const rng = createRng(5);
    const measurements = GRID.map(({ n, m }) => ({ n, m, variance: (1 / n + 0.5 / m) * (1 + 0.05 * rng.nextNormal()) }));
    const model = fitVarianceComponents(measurements);
    expect(Math.abs(model.sigma2Eval - 1)).toBeLessThan(0.3);
    expect(Math.abs(model.sigma2Cal - 0.5)).toBeLessThan(0.2);
    expect(model.rSquared).toBeGreaterThan(0.9);
  });

  it("solves the two-column NNLS exactly on the boundary when the unconstrained solution is negative", () => {
    // v = 0.1/n − 0.001/m exactly: the unconstrained least-squares solution (0.1, −0.001) is infeasible.
    const points = GRID.map(({ n, m }) => ({ n, m, variance: 0.1 / n - 0.001 / m }));
    const a = points.map((p) => 1 / p.n);
    const b = points.map((p) => 1 / p.m);
    const v = points.map((p) => p.variance);
    const [x, y] = nnls2(a, b, v);
    expect(y).toBe(0);
    const single = a.reduce((s, ai, i) => s + ai * v[i], 0) / a.reduce((s, ai) => s + ai * ai, 0);
    expect(x).toBeCloseTo(single, 14);
    expect(nnls2([1, 2], [1, 2], [-1, -2])).toEqual([0, 0]);
  });

  it("flags a poor fit (R² < 0.5) and needs at least three measurements", () => {
    const rng = createRng(1);
    const noise = fitVarianceComponents(GRID.map(({ n, m }) => ({ n, m, variance: 0.001 * (1 + rng.nextFloat()) })));
    expect(noise.rSquared).toBeLessThan(0.5);
    expect(noise.fitOk).toBe(false);
    expect(() => fitVarianceComponents(GRID.slice(0, 2).map(({ n, m }) => ({ n, m, variance: 1 / n })))).toThrow(CjeInputError);
  });
});
