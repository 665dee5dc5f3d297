import { describe, expect, it } from "vitest";
import { kolmogorovSf, ksTwoSample } from "../../src/numeric/ks-test.js";

// Golden values from scipy 1.17: stats.kstwobign.sf(λ) and stats.ks_2samp(a, b).statistic.
describe("Kolmogorov–Smirnov", () => {
  it("matches scipy's Kolmogorov survival function on both sides of the series switch", () => {
    const golden: [number, number][] = [
      [0.3, 0.9999906941986655],
      [0.5, 0.9639452436648751],
      [1.0, 0.26999967167735456],
      [1.36, 0.049485876755377876],
      [2.0, 0.0006709252557796953],
    ];
    for (const [lambda, sf] of golden) expect(kolmogorovSf(lambda)).toBeCloseTo(sf, 12);
    expect(kolmogorovSf(0)).toBe(1);
  });

  it("computes D with ties across the samples and the asymptotic p-value", () => {
    const a = [
      0.7, 0.25, 0.55, 0.45, 0.45, 0.5, 0.3, 0.5, 0.4, 0.85, 0.5, 0.45, 0.45, 0.45, 0.4, 0.45, 0.55, 0.5, 0.6, 0.5, 0.5, 0.65, 0.55, 0.45, 0.5, 0.55, 0.7, 0.45,
      0.5, 0.6, 0.4, 0.45, 0.6, 0.55, 0.5, 0.55, 0.2, 0.6, 0.4, 0.35,
    ];
    const b = [
      0.6, 0.6, 0.5, 0.45, 0.55, 0.55, 0.7, 0.6, 0.55, 0.65, 0.55, 0.45, 0.6, 0.6, 0.55, 0.45, 0.55, 0.3, 0.6, 0.6, 0.4, 0.55, 0.45, 0.65, 0.35, 0.45, 0.6,
      0.65, 0.35, 0.5, 0.6, 0.5, 0.7, 0.45, 0.6, 0.45, 0.7, 0.55, 0.5, 0.4, 0.7, 0.65, 0.65, 0.65, 0.6, 0.5, 0.45, 0.45, 0.7, 0.4, 0.5, 0.5, 0.55, 0.6, 0.45,
      0.4, 0.55, 0.65, 0.65, 0.55,
    ];
    const test = ksTwoSample(a, b);
    expect(test.statistic).toBeCloseTo(0.25, 12);
    expect(test.pValue).toBeCloseTo(0.09956184831478034, 10);
    expect(ksTwoSample(a, a)).toEqual({ statistic: 0, pValue: 1 });
  });
});
