import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  chiSquareCdf,
  chiSquareSf,
  logGamma,
  normalCdf,
  normalQuantile,
  normalSf,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
  studentTSf,
} from "../../src/inference/distributions.js";

const golden = JSON.parse(readFileSync(new URL("../fixtures/distributions.json", import.meta.url), "utf8"));

/** |a − b| ≤ tol·max(|b|, tiny): relative agreement (absolute near zero). */
function expectRelClose(actual: number, expected: number, tol: number, what: string): void {
  const scale = Math.max(Math.abs(expected), 1e-300);
  const err = Math.abs(actual - expected) / scale;
  if (!(err <= tol)) throw new Error(`${what}: got ${actual}, expected ${expected} (relative error ${err})`);
}

describe("normal distribution (scipy fixtures)", () => {
  it("cdf, sf and ppf match to 1e-12", () => {
    for (const [x, v] of golden.normal_cdf) expectRelClose(normalCdf(x), v, 1e-12, `Φ(${x})`);
    for (const [x, v] of golden.normal_sf) expectRelClose(normalSf(x), v, 1e-12, `1−Φ(${x})`);
    for (const [p, v] of golden.normal_ppf) expectRelClose(normalQuantile(p), v, 1e-12, `Φ⁻¹(${p})`);
  });
  it("has the familiar 97.5% point and rejects bad probabilities", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(() => normalQuantile(1.2)).toThrow(RangeError);
    expect(() => normalQuantile(Number.NaN)).toThrow(RangeError);
  });
});

describe("Student t (scipy fixtures)", () => {
  it("quantiles match scipy t.ppf to 1e-10 over p × df", () => {
    for (const [p, df, v] of golden.t_ppf) expectRelClose(studentTQuantile(p, df), v, 1e-10, `t.ppf(${p}, ${df})`);
  });
  it("cdf and sf match to 1e-11", () => {
    for (const [t, df, v] of golden.t_cdf) expectRelClose(studentTCdf(t, df), v, 1e-11, `t.cdf(${t}, ${df})`);
    for (const [t, df, v] of golden.t_sf) expectRelClose(studentTSf(t, df), v, 1e-11, `t.sf(${t}, ${df})`);
  });
  it("df = 4 critical value (used by every analytic CI with the 5-fold jackknife)", () => {
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.7764451051977987, 13);
    expect(studentTQuantile(0.975, Infinity)).toBeCloseTo(1.959963984540054, 14);
  });
  it("quantile inverts the cdf and is antisymmetric (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), fc.double({ min: 0.3, max: 1e5, noNaN: true }), (p, df) => {
        const t = studentTQuantile(p, df);
        expect(Math.abs(studentTCdf(t, df) - p)).toBeLessThan(1e-12 + 1e-10 * Math.min(p, 1 - p));
        // 1 − p carries the rounding of p (~1e-16 absolute), which the heavy tails amplify.
        expectRelClose(studentTQuantile(1 - p, df), -t, 1e-8, `antisymmetry at p=${p}, df=${df}`);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe("special functions", () => {
  it("log-gamma and incomplete beta match scipy", () => {
    for (const [x, v] of golden.gammaln) expectRelClose(logGamma(x), v, 1e-13, `gammaln(${x})`);
    for (const [x, a, b, v] of golden.betainc) expectRelClose(regularizedIncompleteBeta(x, a, b), v, 1e-11, `betainc(${a},${b},${x})`);
  });
  it("chi-square cdf and sf match scipy", () => {
    for (const [x, k, v] of golden.chi2_cdf) expectRelClose(chiSquareCdf(x, k), v, 1e-12, `chi2.cdf(${x},${k})`);
    for (const [x, k, v] of golden.chi2_sf) expectRelClose(chiSquareSf(x, k), v, 1e-11, `chi2.sf(${x},${k})`);
  });
});
