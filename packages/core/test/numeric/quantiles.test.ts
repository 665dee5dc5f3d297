import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CjeInputError } from "../../src/errors/input-error.js";
import { quantile, quantileSorted, quantiles } from "../../src/numeric/quantiles.js";

/** numpy.quantile (method "linear") on samples with ties, n = 1, 2, …; see fixtures/gen_quantiles.py. */
const cases: { values: number[]; qs: number[]; expected: number[] }[] = JSON.parse(
  readFileSync(new URL("../fixtures/quantiles.json", import.meta.url), "utf8"),
).cases;

describe("empirical quantiles (numpy 'linear')", () => {
  it("reproduce numpy.quantile bit for bit, including ties, n = 1 and n = 2", () => {
    for (const { values, qs, expected } of cases) {
      qs.forEach((q, i) => expect(quantile(values, q), `n=${values.length}, q=${q}`).toBe(expected[i]));
      expect(quantiles(values, qs)).toEqual(expected);
      const sorted = Float64Array.from(values).sort();
      qs.forEach((q, i) => expect(quantileSorted(sorted, q)).toBe(expected[i]));
    }
  });

  it("interpolate at position (n − 1)·q between order statistics", () => {
    expect(quantile([10, 0, 20, 30], 0.5)).toBe(15); // position 1.5 between 10 and 20
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2); // position 1 exactly
    expect(quantile([0, 1], 0.3)).toBeCloseTo(0.3, 15);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([3, 1, 2], 0)).toBe(1);
    expect(quantile([3, 1, 2], 1)).toBe(3);
  });

  it("does not modify its input and accepts typed arrays", () => {
    const values = [3, 1, 2];
    quantiles(values, [0.5]);
    expect(values).toEqual([3, 1, 2]);
    expect(quantile(Float32Array.of(4, 2), 0.5)).toBe(3);
  });

  it("rejects empty samples and NaN (naming the index) with CjeInputError, q outside [0, 1] with RangeError", () => {
    expect(() => quantile([], 0.5)).toThrow(CjeInputError);
    expect(() => quantileSorted(new Float64Array(0), 0.5)).toThrow(CjeInputError);
    expect(() => quantile([1, Number.NaN, 2], 0.5)).toThrow(/index 1 is NaN/);
    expect(() => quantiles([1, 2], [0.5, Number.NaN])).toThrow(RangeError);
    expect(() => quantile([1, 2], 1.5)).toThrow(RangeError);
    expect(() => quantileSorted([1, 2], -0.1)).toThrow(RangeError);
  });
});
