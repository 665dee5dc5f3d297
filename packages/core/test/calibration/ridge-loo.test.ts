import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_RIDGE_ALPHAS, fitRidgeLoo, RidgeLooFitter, SplineRidgeLooFitter, symmetricEigen } from "../../src/calibration/ridge-loo.js";
import { basisToDense, SplineBasis } from "../../src/calibration/spline-basis.js";

/** Cases from test/fixtures/gen_two_stage.py: LOO MSE by brute-force refits (n weighted ridge fits). */
interface RidgeCase {
  name: string;
  rows: number;
  cols: number;
  design: number[];
  y: number[];
  weights: number[] | null;
  looMse: number[];
  alphaIndex: number;
  alpha: number;
  intercept: number;
  coefficients: number[];
}

const fixture = JSON.parse(readFileSync(new URL("../fixtures/two-stage-ridge-loo.json", import.meta.url), "utf8")) as {
  alphas: number[];
  cases: RidgeCase[];
};

/** Solves the square system m·x = b (row-major) by Gaussian elimination with partial pivoting. */
function solve(m: number[][], b: number[]): number[] {
  const n = b.length;
  const a = m.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = c + 1; r < n; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= n; k++) a[r][k] -= f * a[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = a[r][n];
    for (let k = r + 1; k < n; k++) s -= a[r][k] * x[k];
    x[r] = s / a[r][r];
  }
  return x;
}

/** argmin Σ wᵢ(yᵢ − a − xᵢb)² + α|b|² over the rows in `keep`, from the normal equations. */
function weightedRidge(x: number[][], y: number[], w: number[], alpha: number, keep: (i: number) => boolean): number[] {
  const p = x[0].length + 1;
  const m = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const rhs = new Array<number>(p).fill(0);
  x.forEach((row, i) => {
    if (!keep(i)) return;
    const z = [1, ...row];
    for (let j = 0; j < p; j++) {
      rhs[j] += w[i] * z[j] * y[i];
      for (let k = 0; k < p; k++) m[j][k] += w[i] * z[j] * z[k];
    }
  });
  for (let j = 1; j < p; j++) m[j][j] += alpha;
  return solve(m, rhs);
}

/** Brute-force LOO criterion: mean of wᵢ(yᵢ − ŷ₋ᵢ)², each ŷ₋ᵢ from a refit without row i. */
function bruteForceLoo(x: number[][], y: number[], w: number[], alpha: number): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const coef = weightedRidge(x, y, w, alpha, (j) => j !== i);
    const pred = coef[0] + x[i].reduce((s, v, j) => s + v * coef[j + 1], 0);
    sum += w[i] * (y[i] - pred) ** 2;
  }
  return sum / y.length;
}

/** Deterministic uniform stream in [0, 1) (LCG) for small synthetic problems. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

describe("ridge with leave-one-out penalty choice (scikit-learn RidgeCV semantics)", () => {
  it("uses numpy logspace(-3, 3, 13) as the default penalties", () => {
    expect(DEFAULT_RIDGE_ALPHAS.length).toBe(13);
    expect(DEFAULT_RIDGE_ALPHAS[0]).toBe(0.001);
    expect(DEFAULT_RIDGE_ALPHAS[6]).toBe(1);
    expect(DEFAULT_RIDGE_ALPHAS[12]).toBe(1000);
    fixture.alphas.forEach((a, k) => expect(relErr(DEFAULT_RIDGE_ALPHAS[k], a)).toBeLessThan(1e-15));
  });

  for (const c of fixture.cases) {
    it(`matches brute-force LOO, chosen penalty and refit: ${c.name}`, () => {
      const fit = fitRidgeLoo(c.design, c.rows, c.cols, c.y, c.weights);
      c.looMse.forEach((v, a) => expect(relErr(fit.looMse[a], v)).toBeLessThan(1e-9));
      expect(fit.alphaIndex).toBe(c.alphaIndex);
      expect(fit.alpha).toBe(DEFAULT_RIDGE_ALPHAS[c.alphaIndex]);
      expect(Math.abs(fit.intercept - c.intercept)).toBeLessThan(1e-9);
      c.coefficients.forEach((v, j) => expect(Math.abs(fit.coefficients[j] - v)).toBeLessThan(1e-9));
    });
  }

  it("agrees with a brute-force weighted LOO computed here on a small problem", () => {
    const rand = lcg(7);
    const n = 11;
    const x = Array.from({ length: n }, () => [rand() * 2 - 1, rand(), rand() * rand()]);
    const y = x.map((r) => 0.4 + r[0] - 2 * r[2] + 0.3 * (rand() - 0.5));
    const w = x.map(() => 0.1 + 3 * rand());
    const alphas = [0.01, 0.1, 0.5, 2, 10];
    const fit = fitRidgeLoo(x.flat(), n, 3, y, w, alphas);
    alphas.forEach((alpha, a) => expect(relErr(fit.looMse[a], bruteForceLoo(x, y, w, alpha))).toBeLessThan(1e-10));
    const best = fit.looMse.indexOf(Math.min(...fit.looMse));
    expect(fit.alphaIndex).toBe(best);
    const coef = weightedRidge(x, y, w, fit.alpha, () => true);
    expect(fit.intercept).toBeCloseTo(coef[0], 12);
    fit.coefficients.forEach((v, j) => expect(v).toBeCloseTo(coef[j + 1], 12));
    // Multiplying every weight by 10 acts like dividing the penalty by 10 (the penalty is not rescaled).
    const scaled = fitRidgeLoo(
      x.flat(),
      n,
      3,
      y,
      w.map((v) => 10 * v),
      alphas.map((a) => 10 * a),
    );
    alphas.forEach((_, a) => expect(relErr(scaled.looMse[a], 10 * fit.looMse[a])).toBeLessThan(1e-10));
  });

  it("single-column spline fast path equals the dense-design fitter", () => {
    const rand = lcg(11);
    for (const [n, nKnots, weighted, discrete] of [
      [20, 5, false, false],
      [57, 7, true, false],
      [120, 8, true, true],
      [300, 8, false, true],
    ] as const) {
      const s = Array.from({ length: n }, () => (discrete ? Math.round(rand() * 6) / 6 : 3 * rand() - 1));
      const y = s.map((v) => Math.sin(2 * v) + 0.3 * (rand() - 0.5));
      const w = weighted ? s.map(() => -Math.log(1 - rand())) : null;
      const spline = new SplineBasis([s], nKnots);
      const basis = spline.transform([s]);
      const fast = new SplineRidgeLooFitter(basis, y).fit(w);
      const dense = fitRidgeLoo(basisToDense(basis), n, spline.width, y, w);
      fast.looMse.forEach((v, a) => expect(relErr(v, dense.looMse[a])).toBeLessThan(1e-10));
      expect(fast.alphaIndex).toBe(dense.alphaIndex);
      expect(Math.abs(fast.intercept - dense.intercept)).toBeLessThan(1e-10);
      fast.coefficients.forEach((v, j) => expect(Math.abs(v - dense.coefficients[j])).toBeLessThan(1e-10));
    }
  });

  it("spline fast path refuses several columns and a constant column", () => {
    const two = new SplineBasis(
      [
        [0, 1, 2, 3],
        [1, 2, 3, 5],
      ],
      2,
    );
    expect(
      () =>
        new SplineRidgeLooFitter(
          two.transform([
            [0, 1, 2, 3],
            [1, 2, 3, 5],
          ]),
          [0, 1, 0, 1],
        ),
    ).toThrow(/one feature/);
    const flat = new SplineBasis([[2, 2, 2, 2]], 2);
    expect(() => new SplineRidgeLooFitter(flat.transform([[2, 2, 2, 2]]), [0, 1, 0, 1])).toThrow(/non-constant/);
  });

  it("keeps the earliest penalty on exact ties (identical design rows: intercept-only LOO)", () => {
    const y = [0.1, 0.5, 0.2, 0.9, 0.4];
    const w = [1, 2, 0.5, 1, 3];
    const design = [0.3, 0.7, 0.3, 0.7, 0.3, 0.7, 0.3, 0.7, 0.3, 0.7];
    const fit = fitRidgeLoo(design, 5, 2, y, w, [100, 1, 0.01]);
    // Intercept-only: ŷ₋ᵢ is the weighted mean of the other rows.
    const total = w.reduce((a, b) => a + b, 0);
    const sum = y.reduce((s, v, i) => s + w[i] * v, 0);
    const expected = y.reduce((s, v, i) => s + w[i] * (v - (sum - w[i] * v) / (total - w[i])) ** 2, 0) / y.length;
    fit.looMse.forEach((v) => expect(relErr(v, expected)).toBeLessThan(1e-12));
    expect(fit.alphaIndex).toBe(0);
    expect(fit.alpha).toBe(100);
    expect(fit.intercept).toBeCloseTo(sum / total, 14);
    fit.coefficients.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-12));
  });

  it("gives identical results when a fitter is refitted, and earlier results stay intact", () => {
    const c = fixture.cases[0];
    const fitter = new RidgeLooFitter(c.design, c.rows, c.cols, c.y);
    const first = fitter.fit(c.weights);
    const snapshot = { looMse: Array.from(first.looMse), coefficients: Array.from(first.coefficients), intercept: first.intercept };
    const other = fitter.fit(null);
    expect(other.looMse[0]).not.toBe(first.looMse[0]);
    const again = fitter.fit(c.weights);
    expect(Array.from(again.looMse)).toEqual(snapshot.looMse);
    expect(Array.from(again.coefficients)).toEqual(snapshot.coefficients);
    expect(again.intercept).toBe(snapshot.intercept);
    expect(Array.from(first.looMse)).toEqual(snapshot.looMse);
    expect(Array.from(first.coefficients)).toEqual(snapshot.coefficients);
  });

  it("a zero weight removes its row: the fit equals the fit without it (the calibration jackknife)", () => {
    const x = [0.1, 0.4, 0.35, 0.8, 0.9, 0.55];
    const y = [0.2, 0.5, 0.9, 0.7, 1.0, 0.4];
    const zero = new RidgeLooFitter(x, 6, 1, y).fit([1, 2, 0, 1, 1, 0.5]);
    const kept = [0, 1, 3, 4, 5];
    const without = new RidgeLooFitter(
      kept.map((i) => x[i]),
      5,
      1,
      kept.map((i) => y[i]),
    ).fit([1, 2, 1, 1, 0.5]);
    expect(zero.alphaIndex).toBe(without.alphaIndex);
    expect(zero.intercept).toBeCloseTo(without.intercept, 12);
    expect(zero.coefficients[0]).toBeCloseTo(without.coefficients[0], 12);
    // The LOO error is a mean over rows (scikit-learn's semantics), so a zero-weight row scales it
    // by 5/6 for every penalty alike: the chosen penalty is the same.
    zero.looMse.forEach((m, a) => expect(m * 6).toBeCloseTo(without.looMse[a] * 5, 12));
  });

  it("rejects invalid weights, shapes and penalties", () => {
    const fitter = new RidgeLooFitter([0, 1, 2, 3], 4, 1, [0, 1, 0, 1]);
    expect(() => fitter.fit([1, 1, -1, 1])).toThrow(/row 2: weight must be finite and ≥ 0/);
    expect(() => fitter.fit([0, 0, 0, 0])).toThrow(/every weight is zero/);
    expect(() => fitter.fit([1, 1, 1])).toThrow(/3 weights for 4 rows/);
    expect(() => new RidgeLooFitter([0, 1, 2], 4, 1, [0, 1, 0, 1])).toThrow(/design has 3 entries/);
    expect(() => new RidgeLooFitter([0, 1, 2, 3], 4, 1, [0, 1, 0, 1], [1, 0])).toThrow(/penalty 1 must be positive/);
    expect(() => new RidgeLooFitter([0, 1, Number.NaN, 3], 4, 1, [0, 1, 0, 1])).toThrow(/row 2, column 0/);
  });
});

describe("symmetric Jacobi eigensolver", () => {
  function check(matrix: number[][], expectedValues: number[]): void {
    const n = matrix.length;
    const a = Float64Array.from(matrix.flat());
    const values = new Float64Array(n);
    const vectors = new Float64Array(n * n);
    symmetricEigen(a, n, values, vectors);
    const sorted = Array.from(values).sort((p, q) => p - q);
    expectedValues.forEach((v, k) => expect(Math.abs(sorted[k] - v)).toBeLessThan(1e-13));
    for (let e = 0; e < n; e++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += matrix[i][j] * vectors[j * n + e];
        expect(Math.abs(av - values[e] * vectors[i * n + e])).toBeLessThan(1e-13);
      }
      for (let f = 0; f < n; f++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += vectors[i * n + e] * vectors[i * n + f];
        expect(Math.abs(dot - (e === f ? 1 : 0))).toBeLessThan(1e-14);
      }
    }
  }

  it("recovers the closed-form spectrum of the second-difference matrix", () => {
    const n = 12;
    const m = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 2 : Math.abs(i - j) === 1 ? -1 : 0)));
    const expected = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1))).sort((p, q) => p - q);
    check(m, expected);
  });

  it("handles repeated eigenvalues and a rank-deficient matrix", () => {
    const v = [1, -2, 0.5, 3, 0];
    const norm2 = v.reduce((s, x) => s + x * x, 0);
    check(
      v.map((a, i) => v.map((b, j) => (i === j ? 1 : 0) + a * b)),
      [1, 1, 1, 1, 1 + norm2],
    );
    check(
      v.map((a) => v.map((b) => a * b)),
      [0, 0, 0, 0, norm2],
    );
  });
});
