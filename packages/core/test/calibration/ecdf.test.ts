import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fitWeightedEcdf } from "../../src/calibration/ecdf.js";

/** Weighted case with ties from test/fixtures/gen_two_stage.py (numpy stable sort + searchsorted). */
const fixture = JSON.parse(readFileSync(new URL("../fixtures/two-stage-ecdf.json", import.meta.url), "utf8")) as {
  values: number[];
  weights: number[];
  queries: number[];
  expected: number[];
};

describe("weighted mid-rank ECDF", () => {
  it("reproduces the method-direct §2.3.3 example", () => {
    const f = fitWeightedEcdf([0.1, 0.2, 0.2, 0.5], null);
    const cases: [number, number][] = [
      [0, 0],
      [0.1, 0.125],
      [0.15, 0.125],
      [0.2, 0.5],
      [0.3, 0.5],
      [0.5, 0.875],
      [0.9, 0.875],
    ];
    for (const [z, v] of cases) expect(f.evaluate(z)).toBe(v);
    expect(Array.from(f.values)).toEqual([0.1, 0.2, 0.5]);
    expect(Array.from(f.ranks)).toEqual([0.125, 0.5, 0.875]);
  });

  it("weights tie groups by their total weight, whatever the order of equal values", () => {
    for (const [values, weights] of [
      [
        [0, 0, 1],
        [1, 9, 1],
      ],
      [
        [0, 0, 1],
        [9, 1, 1],
      ],
      [
        [1, 0, 0],
        [1, 1, 9],
      ],
    ]) {
      const f = fitWeightedEcdf(values, weights);
      expect(f.evaluate(0)).toBeCloseTo(5 / 11, 15);
      expect(f.evaluate(1)).toBeCloseTo(10.5 / 11, 15);
      expect(f.evaluate(-1e-300)).toBe(0);
    }
  });

  it("matches the independent numpy implementation on weighted data with ties", () => {
    const f = fitWeightedEcdf(fixture.values, fixture.weights);
    const got = f.evaluateMany(fixture.queries);
    fixture.expected.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThan(1e-14));
    expect(new Set(fixture.values).size).toBeLessThan(fixture.values.length);
  });

  it("treats -0 and +0 as one value, writes into a supplied buffer and maps NaN to NaN", () => {
    const f = fitWeightedEcdf(Float64Array.of(0, -0, 2, 1), null);
    expect(f.values.length).toBe(3);
    const out = new Float64Array(4);
    expect(f.evaluateMany([-0, 0, 1.5, Number.NaN], out)).toBe(out);
    expect(out[0]).toBe(0.25);
    expect(out[1]).toBe(0.25);
    expect(out[2]).toBe(0.625);
    expect(out[3]).toBeNaN();
    const inPlace = Float64Array.of(1.5, -1, 2);
    f.evaluateMany(inPlace, inPlace);
    expect(Array.from(inPlace)).toEqual([0.625, 0, 0.875]);
  });

  it("leaves out values of weight zero, as if absent", () => {
    const zero = fitWeightedEcdf([0.1, 0.5, 0.3, 0.9], [1, 0, 2, 1]);
    const without = fitWeightedEcdf([0.1, 0.3, 0.9], [1, 2, 1]);
    for (const z of [0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1]) expect(zero.evaluate(z)).toBe(without.evaluate(z));
    expect(() => fitWeightedEcdf([0, 1], [0, 0])).toThrow(/every weight is zero/);
  });

  it("rejects non-finite values and negative weights", () => {
    expect(() => fitWeightedEcdf([], null)).toThrow(/no training values/);
    expect(() => fitWeightedEcdf([0, Number.NaN], null)).toThrow(/value 1 is not finite/);
    expect(() => fitWeightedEcdf([0, 1], [1, -1])).toThrow(/weight 1 must be finite and ≥ 0/);
    expect(() => fitWeightedEcdf([0, 1], [1])).toThrow(/1 weights for 2 values/);
  });
});
