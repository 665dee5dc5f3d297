import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { basisToDense, SplineBasis, SPLINE_DEGREE, UNIFORM_CUBIC_PIECES, type BasisMatrix } from "../../src/calibration/spline-basis.js";

/** Cases from test/fixtures/gen_two_stage.py (recursive Cox–de Boor, checked against scipy BSpline). */
interface SplineCase {
  name: string;
  nKnots: number;
  trainColumns: number[][];
  evalColumns: number[][];
  knots: number[][];
  fullBasis: number[][][];
  design: number[][];
  nEval: number;
}

const fixture = JSON.parse(readFileSync(new URL("../fixtures/two-stage-spline-basis.json", import.meta.url), "utf8")) as {
  degree: number;
  cases: SplineCase[];
};

/** Value of full-block basis function `j` of feature `f` at row `r` (0 outside the local window). */
function fullValue(basis: BasisMatrix, r: number, f: number, j: number): number {
  const cell = r * basis.spline.features + f;
  const m = j - basis.first[cell];
  return m >= 0 && m <= SPLINE_DEGREE ? basis.values[cell * (SPLINE_DEGREE + 1) + m] : 0;
}

describe("uniform cubic spline basis (scikit-learn SplineTransformer semantics)", () => {
  it("uses the fixture's degree", () => {
    expect(fixture.degree).toBe(SPLINE_DEGREE);
  });

  for (const c of fixture.cases) {
    describe(c.name, () => {
      const spline = new SplineBasis(c.trainColumns, c.nKnots);
      const basis = spline.transform(c.evalColumns);

      it("builds the same knot vectors, bit for bit", () => {
        c.knots.forEach((t, f) => expect(Array.from(spline.knots[f])).toEqual(t));
      });

      it("has nKnots + degree − 1 splines per column and drops the last one", () => {
        expect(spline.splinesPerFeature).toBe(c.nKnots + 2);
        expect(spline.width).toBe(c.trainColumns.length * (c.nKnots + 1));
        expect(c.design[0].length).toBe(spline.width);
      });

      it("matches every B-spline value, including constant extrapolation outside the range", () => {
        let worst = 0;
        c.fullBasis.forEach((block, f) => block.forEach((row, r) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(fullValue(basis, r, f, j) - v))))));
        expect(worst).toBeLessThan(1e-14);
      });

      it("gives scikit-learn's dense include_bias=False design", () => {
        const dense = basisToDense(basis);
        let worst = 0;
        c.design.forEach((row, r) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(dense[r * spline.width + j] - v)))));
        expect(worst).toBeLessThan(1e-14);
      });

      it("forms a partition of unity at every point (full basis, constant extrapolation)", () => {
        for (let r = 0; r < basis.rows; r++) {
          for (let f = 0; f < spline.features; f++) {
            let sum = 0;
            for (let j = 0; j < spline.splinesPerFeature; j++) sum += fullValue(basis, r, f, j);
            expect(Math.abs(sum - 1)).toBeLessThan(1e-14);
          }
        }
      });

      it("extrapolates constantly: values beyond the range equal the values at the nearest end", () => {
        for (let f = 0; f < spline.features; f++) {
          const col = c.evalColumns[f];
          const lo = Math.min(...c.trainColumns[f]);
          const hi = Math.max(...c.trainColumns[f]);
          const ends = spline.transform(c.evalColumns.map((_, g) => (g === f ? [lo, hi] : [c.trainColumns[g][0], c.trainColumns[g][0]])));
          let outside = 0;
          col.forEach((x, r) => {
            if (x >= lo && x <= hi) return;
            outside++;
            const endRow = x < lo ? 0 : 1;
            for (let j = 0; j < spline.splinesPerFeature; j++) expect(fullValue(basis, r, f, j)).toBe(fullValue(ends, endRow, f, j));
          });
          expect(outside).toBeGreaterThan(10);
        }
      });
    });
  }

  it("reports each row's position in its knot span, where the cardinal cubic pieces reproduce the basis", () => {
    const c = fixture.cases[1];
    const spline = new SplineBasis(c.trainColumns, c.nKnots);
    const basis = spline.transform(c.evalColumns);
    let worst = 0;
    for (let cell = 0; cell < basis.rows * spline.features; cell++) {
      const u = basis.local[cell];
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThanOrEqual(1);
      for (let m = 0; m <= SPLINE_DEGREE; m++) {
        let piece = 0;
        for (let d = 3; d >= 0; d--) piece = piece * u + UNIFORM_CUBIC_PIECES[4 * m + d];
        worst = Math.max(worst, Math.abs(piece - basis.values[cell * (SPLINE_DEGREE + 1) + m]));
      }
    }
    expect(worst).toBeLessThan(1e-14);
    expect(Array.from(spline.transform([[Math.max(...c.trainColumns[0])], [Math.min(...c.trainColumns[1])]]).local)).toEqual([1, 0]);
  });

  it("keeps the dropped last spline out of the design: kept columns sum to 1 below the last interior knot only", () => {
    const train = Array.from({ length: 40 }, (_, i) => i / 39);
    const spline = new SplineBasis([train], 8);
    const dense = basisToDense(spline.transform([[0.1, 0.5, 6 / 7 - 1e-9, 0.95, 1]]));
    const rowSum = (r: number) => dense.slice(r * spline.width, (r + 1) * spline.width).reduce((a, b) => a + b, 0);
    expect(rowSum(0)).toBeCloseTo(1, 14);
    expect(rowSum(1)).toBeCloseTo(1, 14);
    expect(rowSum(2)).toBeCloseTo(1, 12);
    // Past the last interior knot the last spline is non-zero; at the right end it is 1/6.
    expect(rowSum(3)).toBeLessThan(1 - 1e-4);
    expect(rowSum(4)).toBeCloseTo(5 / 6, 14);
  });

  it("maps a column that is constant over the training rows to an all-zero block", () => {
    const spline = new SplineBasis(
      [
        [0.2, 0.4, 0.9, 0.5, 0.1],
        [3, 3, 3, 3, 3],
      ],
      5,
    );
    expect([spline.isConstant(0), spline.isConstant(1)]).toEqual([false, true]);
    const dense = basisToDense(
      spline.transform([
        [0.3, 0.7],
        [3, 10],
      ]),
    );
    const kept = spline.splinesPerFeature - 1;
    for (let r = 0; r < 2; r++) {
      expect(dense.slice(r * spline.width, r * spline.width + kept).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
      expect(Array.from(dense.slice(r * spline.width + kept, (r + 1) * spline.width))).toEqual(new Array(kept).fill(0));
    }
  });

  it("rejects malformed input with the offending column and row", () => {
    expect(() => new SplineBasis([[0, 1, Number.NaN]], 5)).toThrow(/training column 0, row 2/);
    expect(() => new SplineBasis([[0, 1, 2]], 1)).toThrow(/nKnots/);
    const spline = new SplineBasis(
      [
        [0, 1, 2],
        [1, 2, 3],
      ],
      3,
    );
    expect(() => spline.transform([[0, 1]])).toThrow(/expected 2 feature columns/);
    expect(() => spline.transform([[0, 1], [1]])).toThrow(/evaluation column 1 has 1 rows/);
    expect(() =>
      spline.transform([
        [0, Infinity],
        [1, 2],
      ]),
    ).toThrow(/evaluation column 0, row 1/);
  });
});
