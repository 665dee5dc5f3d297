import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { quantile, quantiles, quantileSorted } from "../../src/inference/quantiles.js";

const golden = JSON.parse(readFileSync(new URL("../fixtures/distributions.json", import.meta.url), "utf8")).percentile;

describe("linear-interpolation quantiles (numpy default)", () => {
  it("match numpy.percentile on a sample with ties", () => {
    const got = quantiles(golden.values, golden.qs);
    got.forEach((v, i) => expect(v).toBeCloseTo(golden.expected[i], 14));
    expect(quantile(golden.values, 0.5)).toBeCloseTo(3.5, 14);
  });
  it("handle n = 1 and the end points", () => {
    expect(quantileSorted([7], 0.3)).toBe(7);
    expect(quantileSorted([1, 2, 3], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3], 1)).toBe(3);
    expect(quantileSorted([0, 10], 0.025)).toBeCloseTo(0.25, 14);
  });
  it("reject empty input, NaN and levels outside [0, 1]", () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1, Number.NaN], 0.5)).toThrow(/NaN/);
    expect(() => quantile([1, 2], 1.5)).toThrow(RangeError);
  });
});
