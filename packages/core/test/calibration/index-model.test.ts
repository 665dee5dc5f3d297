import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fitWeightedEcdf } from "../../src/calibration/ecdf.js";
import { createSplineRidgeIndexFitter, indexModelKnots, INDEX_MODEL_MIN_ROWS } from "../../src/calibration/index-model.js";
import { fitIsotonic } from "../../src/calibration/isotonic.js";

/** End-to-end cases from test/fixtures/gen_two_stage.py (numpy splines + brute-force ridge LOO). */
interface IndexCase {
  name: string;
  nKnots: number;
  knots: number[][];
  trainColumns: number[][];
  y: number[];
  weights: number[] | null;
  evalColumns: number[][];
  looMse: number[];
  alphaIndex: number;
  alpha: number;
  intercept: number;
  coefficients: number[];
  trainIndex: number[];
  evalIndex: number[];
  calibrated?: number[];
}

const fixture = JSON.parse(readFileSync(new URL("../fixtures/two-stage-index-model.json", import.meta.url), "utf8")) as {
  cases: IndexCase[];
};

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe("spline + ridge index model", () => {
  it("golden case (method-direct §5 mode selection): α = 0.001 and index → ECDF → isotonic predictions", () => {
    const s = Array.from({ length: 60 }, (_, k) => (k === 59 ? 1 : k * (1 / 59)));
    const y = s.map((v) => 0.5 + 0.35 * Math.sin(2 * Math.PI * v));
    const fitter = createSplineRidgeIndexFitter([s], y);
    const model = fitter.fit(null);
    expect(model.alpha).toBe(0.001);
    expect(model.alphaIndex).toBe(0);
    const gTrain = model.predictBasis(fitter.trainBasis);
    const ecdf = fitWeightedEcdf(gTrain, null);
    const iso = fitIsotonic(ecdf.evaluateMany(gTrain), y);
    // In-sample RMSE 0: the index orders the rows exactly as the labels do.
    expect(maxAbsDiff(iso.predict(ecdf.evaluateMany(gTrain)), y)).toBeLessThan(1e-12);
    const queries = [0, 0.25, 0.5, 0.75, 1];
    const calibrated = iso.predict(ecdf.evaluateMany(model.predict([queries])));
    [0.5, 0.849876, 0.5, 0.150124, 0.5].forEach((v, i) => expect(Math.abs(calibrated[i] - v)).toBeLessThan(1e-4));
    const golden = fixture.cases.find((c) => c.name === "golden-sine");
    expect(maxAbsDiff(calibrated, golden?.calibrated ?? [])).toBeLessThan(1e-12);
  });

  for (const c of fixture.cases) {
    it(`matches the independent implementation: ${c.name}`, () => {
      expect(indexModelKnots(c.y.length)).toBe(c.nKnots);
      const fitter = createSplineRidgeIndexFitter(c.trainColumns, c.y);
      c.knots.forEach((t, f) => expect(Array.from(fitter.spline.knots[f])).toEqual(t));
      const model = fitter.fit(c.weights);
      c.looMse.forEach((v, a) => expect(relErr(model.looMse[a], v)).toBeLessThan(1e-9));
      expect(model.alphaIndex).toBe(c.alphaIndex);
      expect(model.alpha).toBe(c.alpha);
      expect(Math.abs(model.intercept - c.intercept)).toBeLessThan(1e-9);
      expect(maxAbsDiff(model.coefficients, c.coefficients)).toBeLessThan(1e-9);
      expect(maxAbsDiff(model.predictBasis(fitter.trainBasis), c.trainIndex)).toBeLessThan(1e-10);
      const evalBasis = fitter.basisFor(c.evalColumns);
      const out = new Float64Array(evalBasis.rows);
      expect(model.predictBasis(evalBasis, out)).toBe(out);
      expect(maxAbsDiff(out, c.evalIndex)).toBeLessThan(1e-10);
      expect(Array.from(model.predict(c.evalColumns))).toEqual(Array.from(out));
    });
  }

  it("clamps the knot count to 5 … ⌊n/4⌋ around n_splines", () => {
    expect(indexModelKnots(20)).toBe(5);
    expect(indexModelKnots(27)).toBe(6);
    expect(indexModelKnots(31)).toBe(7);
    expect(indexModelKnots(32)).toBe(8);
    expect(indexModelKnots(4000)).toBe(8);
    expect(indexModelKnots(400, 3)).toBe(5);
    expect(indexModelKnots(400, 12)).toBe(12);
  });

  it("refits with new weights without disturbing earlier models", () => {
    const c = fixture.cases.find((k) => k.name === "score-and-length-weighted");
    if (c === undefined) throw new Error("fixture case missing");
    const fitter = createSplineRidgeIndexFitter(c.trainColumns, c.y);
    const evalBasis = fitter.basisFor(c.evalColumns);
    const first = fitter.fit(c.weights);
    const before = Array.from(first.predictBasis(evalBasis));
    const unweighted = fitter.fit(null);
    expect(maxAbsDiff(unweighted.predictBasis(evalBasis), before)).toBeGreaterThan(1e-4);
    expect(Array.from(first.predictBasis(evalBasis))).toEqual(before);
    expect(Array.from(fitter.fit(c.weights).predictBasis(evalBasis))).toEqual(before);
  });

  it("degenerates to the weighted mean when the only column is constant", () => {
    const y = Array.from({ length: 24 }, (_, i) => (i % 3) / 2);
    const w = y.map((_, i) => 1 + (i % 5));
    const model = createSplineRidgeIndexFitter([y.map(() => 0.7)], y).fit(w);
    const mean = y.reduce((s, v, i) => s + w[i] * v, 0) / w.reduce((a, b) => a + b, 0);
    expect(model.alphaIndex).toBe(0);
    model.looMse.forEach((v) => expect(v).toBeCloseTo(model.looMse[0], 15));
    model.predict([[0, 0.7, 3]]).forEach((g) => expect(g).toBeCloseTo(mean, 14));
  });

  it("honours the n_splines and penalty options", () => {
    const c = fixture.cases.find((k) => k.name === "twenty-rows");
    if (c === undefined) throw new Error("fixture case missing");
    const fitter = createSplineRidgeIndexFitter([...c.trainColumns, ...c.trainColumns], c.y, { nSplines: 3, alphas: [1, 10] });
    expect(fitter.spline.nKnots).toBe(5);
    const model = fitter.fit(null);
    expect(model.looMse.length).toBe(2);
    expect([1, 10]).toContain(model.alpha);
  });

  it("refuses too few rows and a basis built with other knots", () => {
    const s = Array.from({ length: INDEX_MODEL_MIN_ROWS - 1 }, (_, i) => i);
    expect(() => createSplineRidgeIndexFitter([s], s)).toThrow(/at least 20 training rows, got 19/);
    const a = createSplineRidgeIndexFitter([[...s, 19]], [...s, 19]);
    const b = createSplineRidgeIndexFitter([[...s, 40]], [...s, 19]);
    expect(() => a.fit(null).predictBasis(b.basisFor([[1, 2]]))).toThrow(/different knots/);
  });
});
