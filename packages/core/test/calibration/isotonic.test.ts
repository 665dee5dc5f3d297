import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { fitIsotonic, IsotonicFitter, isotonicOrder, subsetOrder } from "../../src/calibration/isotonic.js";
import { createRng } from "../../src/numeric/rng.js";
import { loadOpeGolden } from "../helpers/shared-data.js";

/**
 * Independent reference: the min–max characterisation of weighted isotonic regression,
 * f_i = max_{j ≤ i} min_{k ≥ i} mean_w(y_j..y_k), over points with distinct x (ties pre-merged).
 */
function bruteForce(x: number[], y: number[], w: number[]): { xs: number[]; fitted: number[] } {
  const idx = x
    .map((_, i) => i)
    .filter((i) => w[i] > 0)
    .sort((a, b) => x[a] - x[b] || y[a] - y[b]);
  const xs: number[] = [];
  const sw: number[] = [];
  const swy: number[] = [];
  for (const i of idx) {
    if (xs.length > 0 && x[i] === xs[xs.length - 1]) {
      sw[sw.length - 1] += w[i];
      swy[swy.length - 1] += w[i] * y[i];
    } else {
      xs.push(x[i]);
      sw.push(w[i]);
      swy.push(w[i] * y[i]);
    }
  }
  const m = xs.length;
  const fitted = new Array<number>(m);
  for (let i = 0; i < m; i++) {
    let best = -Infinity;
    for (let j = 0; j <= i; j++) {
      let inner = Infinity;
      let a = 0;
      let b = 0;
      for (let k = j; k < m; k++) {
        a += swy[k];
        b += sw[k];
        if (k >= i) inner = Math.min(inner, a / b);
      }
      best = Math.max(best, inner);
    }
    fitted[i] = Math.min(1, Math.max(0, best));
  }
  return { xs, fitted };
}

describe("isotonic regression (scikit-learn semantics)", () => {
  it("matches the reference monotone calibrator golden values (method-direct §5)", () => {
    const s = [0.62, 0.68, 0.72, 0.76, 0.79, 0.83, 0.85, 0.88, 0.91, 0.95];
    const y = [0.55, 0.6, 0.7, 0.74, 0.75, 0.8, 0.9, 0.92, 0.88, 0.97];
    const model = fitIsotonic(s, y);
    expect(Array.from(model.knotX)).toEqual([0.62, 0.68, 0.72, 0.76, 0.79, 0.83, 0.85, 0.91, 0.95]);
    const expectedY = [0.55, 0.6, 0.7, 0.74, 0.75, 0.8, 0.9, 0.9, 0.97];
    model.knotY.forEach((v, i) => expect(v).toBeCloseTo(expectedY[i], 12));
    const pred = model.predict([0.5, 0.62, 0.65, 0.7, 0.9, 0.93, 1.0]);
    [0.55, 0.55, 0.575, 0.65, 0.9, 0.935, 0.97].forEach((v, i) => expect(pred[i]).toBeCloseTo(v, 12));
    const fittedMean = model.predict(s).reduce((a, b) => a + b, 0) / s.length;
    expect(fittedMean).toBeCloseTo(0.781, 12);
  });

  it("matches the sklearn tie/interpolation golden vector from the OPE reference", () => {
    const g = loadOpeGolden().sklearn_isotonic_semantics;
    const model = fitIsotonic(g.X, g.Y);
    expect(Array.from(model.knotX)).toEqual(g.thr_x);
    model.knotY.forEach((v, i) => expect(v).toBeCloseTo(g.thr_y[i], 12));
    const pred = model.predict(g.Xq);
    g.pred.forEach((v: number, i: number) => expect(pred[i]).toBeCloseTo(v, 12));
  });

  it("equals the min-max brute force on random weighted inputs with ties, and preserves the weighted mean", () => {
    const row = fc.record({
      x: fc.integer({ min: 0, max: 12 }).map((v) => v / 12),
      y: fc.integer({ min: 0, max: 20 }).map((v) => v / 20),
      w: fc.oneof(fc.constant(1), fc.double({ min: 0.01, max: 5, noNaN: true })),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), (rows) => {
        const x = rows.map((r) => r.x);
        const y = rows.map((r) => r.y);
        const w = rows.map((r) => r.w);
        const model = fitIsotonic(x, y, w);
        const ref = bruteForce(x, y, w);
        for (let i = 0; i < ref.xs.length; i++) {
          expect(Math.abs(model.predictOne(ref.xs[i]) - ref.fitted[i])).toBeLessThan(1e-12);
        }
        let num = 0;
        let fit = 0;
        let den = 0;
        for (let i = 0; i < x.length; i++) {
          num += w[i] * y[i];
          fit += w[i] * model.predictOne(x[i]);
          den += w[i];
        }
        expect(Math.abs(fit / den - num / den)).toBeLessThan(1e-12);
      }),
      { numRuns: 300, seed: 20261128 },
    );
  });

  it("fits a decreasing function when asked, and clips to [yMin, yMax]", () => {
    const model = fitIsotonic([1, 2, 3, 4], [0.9, 0.2, 0.5, 0.1], null, { increasing: false });
    expect(Array.from(model.predict([1, 2, 3, 4]))).toEqual([0.9, 0.35, 0.35, 0.1].map((v) => expect.closeTo(v, 12)));
    const clipped = fitIsotonic([1, 2], [-1, 3], null, { yMin: 0, yMax: 1 });
    expect(Array.from(clipped.predict([0, 1, 2, 3]))).toEqual([0, 0, 1, 1]);
  });

  it("refits the same rows with new weights without re-sorting, ignoring zero weights", () => {
    const x = [0.3, 0.1, 0.2, 0.2, 0.9];
    const y = [0.2, 0.8, 0.1, 0.5, 1.0];
    const fitter = new IsotonicFitter(x, y);
    const w = [2, 0, 1, 3, 1];
    const viaFitter = fitter.fit(w);
    const direct = fitIsotonic(
      x.filter((_, i) => w[i] > 0),
      y.filter((_, i) => w[i] > 0),
      w.filter((v) => v > 0),
    );
    expect(Array.from(viaFitter.knotX)).toEqual(Array.from(direct.knotX));
    expect(Array.from(viaFitter.knotY)).toEqual(Array.from(direct.knotY));
    expect(() => fitter.fit([0, 0, 0, 0, 0])).toThrow(/weight/);
  });

  it("predictSorted agrees with predict", () => {
    const model = fitIsotonic([0.1, 0.4, 0.5, 0.8], [0.1, 0.3, 0.35, 0.9]);
    const qs = [-1, 0.1, 0.2, 0.45, 0.5, 0.51, 0.8, 2];
    expect(Array.from(model.predictSorted(qs))).toEqual(Array.from(model.predict(qs)));
  });

  it("isotonicOrder from a hint (the order by a rescaled y, or any permutation) is the order it sorts into", () => {
    const rng = createRng(5);
    const n = 500;
    const x = Float64Array.from({ length: n }, () => Math.round(8 * rng.nextFloat()) / 8);
    const raw = Float64Array.from({ length: n }, () => Math.exp(3 * rng.nextNormal()));
    // Dividing by a mean keeps the order of raw up to rounding ties, which the hint then gets wrong.
    const mean = raw.reduce((a, b) => a + b, 0) / n;
    const y = Float64Array.from(raw, (v) => v / mean);
    for (let i = 0; i < 40; i++) y[n - 1 - i] = y[i];
    const sorted = Array.from(isotonicOrder(x, y));
    expect(Array.from(isotonicOrder(x, y, isotonicOrder(x, raw)))).toEqual(sorted);
    const shuffled = Int32Array.from({ length: n }, (_, i) => (i * 7919) % n);
    expect(Array.from(isotonicOrder(x, y, shuffled))).toEqual(sorted);
    expect(() =>
      isotonicOrder(
        x,
        y,
        Int32Array.from({ length: n }, () => 0),
      ),
    ).toThrow(/permutation/);
  });

  it("a shared sort (isotonicOrder, subsetOrder of it) fits exactly as the fitter's own sort, in either direction, and a wrong order is refused", () => {
    // Coarse x and y make tied (x, y) pairs with different weights, where the summation order shows.
    const rng = createRng(20261207);
    const n = 300;
    const x = Float64Array.from({ length: n }, () => Math.round(10 * rng.nextFloat()) / 10);
    const y = Float64Array.from({ length: n }, () => Math.round(4 * rng.nextFloat()) / 4);
    const w = Float64Array.from({ length: n }, () => 0.1 + 3 * rng.nextFloat());
    const order = isotonicOrder(x, y);
    const rows = Array.from({ length: n }, (_, i) => i).filter((i) => i % 5 !== 2);
    const gather = (a: Float64Array) => rows.map((i) => a[i]);
    for (const increasing of [true, false]) {
      const options = { increasing, yMin: -Infinity, yMax: Infinity };
      const pairs = [
        [fitIsotonic(x, y, w, options), fitIsotonic(x, y, w, { ...options, order })],
        [fitIsotonic(gather(x), gather(y), gather(w), options), fitIsotonic(gather(x), gather(y), gather(w), { ...options, order: subsetOrder(order, rows) })],
      ];
      for (const [sorted, shared] of pairs) {
        expect(Array.from(shared.knotX)).toEqual(Array.from(sorted.knotX));
        expect(Array.from(shared.knotY)).toEqual(Array.from(sorted.knotY));
      }
    }
    const fitter = new IsotonicFitter(x, y, { yMin: -Infinity, yMax: Infinity, order });
    const decreasing = fitIsotonic(x, y, w, { increasing: false, yMin: -Infinity, yMax: Infinity });
    expect(Array.from(fitter.fit(w, false).knotY)).toEqual(Array.from(decreasing.knotY));
    const reversed = order.slice().reverse();
    expect(() => new IsotonicFitter(x, y, { order: reversed })).toThrow(/ascending/);
    expect(() => new IsotonicFitter(x, y, { order: order.subarray(1) })).toThrow(/rows/);
    expect(() => subsetOrder(order, [3, 2])).toThrow(/ascending/);
  });
});
