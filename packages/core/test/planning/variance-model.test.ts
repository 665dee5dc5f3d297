import { describe, expect, it } from "vitest";
import { CjeInputError } from "../../src/index.js";
import { createRng, fitVarianceComponents, nnls, nnls2, predictVariance } from "../../src/advanced.js";

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

describe("comparison models: V(n, m) = σ²_eval/n + σ²_cal/m + σ²_small/m²", () => {
  const grid = [150, 300, 450, 600].flatMap((n) => [20, 40, 60, 100, 135].map((m) => ({ n, m })));

  it("recovers the three components exactly from noiseless measurements, and predicts with all three", () => {
    const model = fitVarianceComponents(
      grid.map(({ n, m }) => ({ n, m, variance: 0.01 / n + 0.004 / m + 0.2 / (m * m) })),
      { smallSample: true },
    );
    expect(model.sigma2Eval).toBeCloseTo(0.01, 10);
    expect(model.sigma2Cal).toBeCloseTo(0.004, 10);
    expect(model.sigma2Small).toBeCloseTo(0.2, 8);
    expect(model.rSquared).toBeCloseTo(1, 12);
    expect(predictVariance(model, 371, 84)).toBeCloseTo(0.01 / 371 + 0.004 / 84 + 0.2 / 84 ** 2, 12);
    // The two-term fit of the same measurements misses the curvature in m.
    expect(fitVarianceComponents(grid.map(({ n, m }) => ({ n, m, variance: 0.01 / n + 0.004 / m + 0.2 / (m * m) }))).rSquared).toBeLessThan(0.99);
  });

  it("needs four measurements for three components", () => {
    expect(() =>
      fitVarianceComponents(
        grid.slice(0, 3).map(({ n, m }) => ({ n, m, variance: 1 / n })),
        { smallSample: true },
      ),
    ).toThrow("at least 4 valid measurements, got 3");
  });

  it("solves a three-column NNLS whose unconstrained solution is infeasible: the best feasible subset fit", () => {
    // v = 2·a − 1·b + 0.5·c exactly: the full fit has a negative coefficient; brute force over a fine
    // non-negative grid never beats the returned solution.
    const rng = createRng(3);
    const a = Array.from({ length: 12 }, () => rng.nextFloat());
    const b = Array.from({ length: 12 }, () => rng.nextFloat());
    const c = Array.from({ length: 12 }, () => rng.nextFloat());
    const v = a.map((ai, i) => 2 * ai - b[i] + 0.5 * c[i]);
    const x = nnls([a, b, c], v);
    expect(x.every((xi) => xi >= 0)).toBe(true);
    const sse = (y: readonly number[]) => v.reduce((s, vi, i) => s + (vi - y[0] * a[i] - y[1] * b[i] - y[2] * c[i]) ** 2, 0);
    let bestGrid = Number.POSITIVE_INFINITY;
    for (let i = 0; i <= 60; i++) for (let j = 0; j <= 60; j++) for (let k = 0; k <= 60; k++) bestGrid = Math.min(bestGrid, sse([i / 20, j / 20, k / 20]));
    expect(sse(x)).toBeLessThanOrEqual(bestGrid + 1e-12);
    expect(x[1]).toBe(0);
  });
});
