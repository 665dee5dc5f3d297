import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chiSquareCdf,
  chiSquareSf,
  logBeta,
  logGamma,
  normalCdf,
  normalPdf,
  normalQuantile,
  normalSf,
  regularizedGammaP,
  regularizedGammaQ,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTPdf,
  studentTQuantile,
  studentTSf,
} from "../../src/numeric/distributions.js";

/** mpmath (40-digit) reference values cross-checked against scipy; see fixtures/gen_distributions.py. */
const fixture = JSON.parse(readFileSync(new URL("../fixtures/distributions.json", import.meta.url), "utf8")) as Record<string, { rows: number[][] }>;
const rows = (name: string): number[][] => fixture[name].rows;

/** Asserts |actual − expected| ≤ tolerance·|expected| (exact match required when expected is 0 or infinite). */
function expectRelative(actual: number, expected: number, tolerance: number, label: string): void {
  if (expected === 0 || !Number.isFinite(expected)) {
    expect(actual, label).toBe(expected);
    return;
  }
  const error = Math.abs(actual - expected) / Math.abs(expected);
  expect(error, `${label}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe("normal distribution", () => {
  it("matches the reference CDF and survival function to 1e-13 relative, far into both tails", () => {
    for (const [x, cdf, sf] of rows("normal")) {
      expectRelative(normalCdf(x), cdf, 1e-13, `normalCdf(${x})`);
      expectRelative(normalSf(x), sf, 1e-13, `normalSf(${x})`);
    }
  });

  it("matches the reference quantile to 1e-14 relative, from p = 1e-300 to 1 − 2^-52", () => {
    for (const [p, z] of rows("normal_quantile")) expectRelative(normalQuantile(p), z, 1e-14, `normalQuantile(${p})`);
  });

  it("has the standard density and the infinite quantiles at 0 and 1", () => {
    expectRelative(normalPdf(0), 1 / Math.sqrt(2 * Math.PI), 1e-16, "φ(0)");
    expectRelative(normalPdf(-3), Math.exp(-4.5) / Math.sqrt(2 * Math.PI), 1e-15, "φ(−3)");
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalSf(Infinity)).toBe(0);
  });

  it("rejects probabilities outside [0, 1] and NaN arguments", () => {
    for (const p of [-1e-300, 1.0000000000000002, Number.NaN]) expect(() => normalQuantile(p)).toThrow(RangeError);
    expect(() => normalCdf(Number.NaN)).toThrow(RangeError);
    expect(() => normalSf(Number.NaN)).toThrow(RangeError);
  });
});

describe("gamma and beta functions", () => {
  it("logGamma matches the reference to 1e-13 relative, including next to its zeros at 1 and 2 and for x < 0", () => {
    for (const [x, value] of rows("log_gamma")) expectRelative(logGamma(x), value, 1e-13, `logGamma(${x})`);
    expect(logGamma(1)).toBe(0);
    expect(logGamma(2)).toBe(0);
    expect(logGamma(0)).toBe(Infinity);
    expect(logGamma(-3)).toBe(Infinity);
  });

  it("logBeta agrees with logGamma sums and keeps precision for large arguments", () => {
    expectRelative(logBeta(2.5, 3.5), logGamma(2.5) + logGamma(3.5) - logGamma(6), 1e-14, "lnB(2.5, 3.5)");
    // B(a, ½) = √π·Γ(a)/Γ(a + ½) = √(π/a)·(1 + 1/(8a) + 1/(128a²) + O(a⁻³)).
    const a = 5e6;
    const asymptotic = 0.5 * Math.log(Math.PI / a) + Math.log1p(1 / (8 * a) + 1 / (128 * a * a));
    expectRelative(logBeta(a, 0.5), asymptotic, 1e-14, "lnB(5e6, ½)");
  });

  it("regularized incomplete gamma P and Q match the reference to 1e-12 relative (a from 0.1 to 1e6)", () => {
    for (const [a, x, lower, upper] of rows("incomplete_gamma")) {
      expectRelative(regularizedGammaP(a, x), lower, 1e-12, `P(${a}, ${x})`);
      expectRelative(regularizedGammaQ(a, x), upper, 1e-12, `Q(${a}, ${x})`);
    }
  });

  it("regularized incomplete beta matches the reference to 1e-12 relative (a, b from 0.01 to 5e6)", () => {
    for (const [x, a, b, lower] of rows("incomplete_beta")) {
      expectRelative(regularizedIncompleteBeta(x, a, b), lower, 1e-12, `I_${x}(${a}, ${b})`);
    }
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expectRelative(regularizedIncompleteBeta(0.3, 1, 1), 0.3, 1e-15, "I_x(1, 1) = x");
  });

  it("rejects arguments outside the domain", () => {
    expect(() => regularizedGammaP(0, 1)).toThrow(RangeError);
    expect(() => regularizedGammaQ(1, -1)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(0.5, -1, 1)).toThrow(RangeError);
    expect(() => logBeta(0, 1)).toThrow(RangeError);
    expect(() => logGamma(Number.NaN)).toThrow(RangeError);
  });
});

describe("Student t distribution", () => {
  it("studentTQuantile matches scipy t.ppf to 1e-10 relative on the required p × df grid", () => {
    for (const [p, df, scipyValue] of rows("t_quantile")) {
      expectRelative(studentTQuantile(p, df), scipyValue, 1e-10, `studentTQuantile(${p}, ${df}) vs scipy`);
    }
  });

  it("studentTQuantile matches the 40-digit reference to 1e-13 relative on the same grid", () => {
    for (const [p, df, , truth] of rows("t_quantile")) {
      expectRelative(studentTQuantile(p, df), truth, 1e-13, `studentTQuantile(${p}, ${df})`);
    }
  });

  it("CDF and survival function match the reference to 1e-12 relative (df from 0.05 to 1e15, |t| to 1e200)", () => {
    for (const [t, df, cdf, sf] of rows("t_probability")) {
      expectRelative(studentTCdf(t, df), cdf, 1e-12, `studentTCdf(${t}, ${df})`);
      expectRelative(studentTSf(t, df), sf, 1e-12, `studentTSf(${t}, ${df})`);
    }
  });

  it("density matches the reference to 1e-13 relative", () => {
    for (const [t, df, pdf] of rows("t_density")) expectRelative(studentTPdf(t, df), pdf, 1e-13, `studentTPdf(${t}, ${df})`);
  });

  it("uses the closed forms for df = 1 (Cauchy) and df = 2", () => {
    expectRelative(studentTQuantile(0.75, 1), 1, 1e-15, "Cauchy upper quartile");
    expectRelative(studentTCdf(-1, 1), 0.25, 1e-15, "Cauchy lower quartile");
    // df = 2: F(t) = ½ + t/(2√(2 + t²)), so F(1) = ½ + 1/(2√3).
    expectRelative(studentTCdf(1, 2), 0.5 + 1 / (2 * Math.sqrt(3)), 1e-15, "df = 2 at t = 1");
    expectRelative(studentTQuantile(0.5 + 1 / (2 * Math.sqrt(3)), 2), 1, 1e-14, "df = 2 quantile");
  });

  it("becomes the normal distribution for df = Infinity and above 1e20, continuously", () => {
    for (const t of [-30, -2.5, 0.7, 8]) {
      expect(studentTCdf(t, Infinity)).toBe(normalCdf(t));
      expect(studentTSf(t, 1e21)).toBe(normalSf(t));
      expectRelative(studentTCdf(t, 1e19), normalCdf(t), 1e-13, `df = 1e19 at ${t}`);
    }
    expect(studentTQuantile(0.025, Infinity)).toBe(normalQuantile(0.025));
    expect(studentTPdf(1, Infinity)).toBe(normalPdf(1));
  });

  it("returns ±Infinity at p = 0, 1 and when the quantile exceeds the largest double", () => {
    expect(studentTQuantile(0, 5)).toBe(-Infinity);
    expect(studentTQuantile(1, 5)).toBe(Infinity);
    expect(studentTQuantile(0.5, 5)).toBe(0);
    // df = 0.05: P(T < t) ≈ 0.57·|t|^{-0.05} reaches 1e-300 only near |t| = 1e6000.
    expect(studentTQuantile(1e-300, 0.05)).toBe(-Infinity);
    expect(studentTQuantile(1 - 1e-16, 0.05)).toBe(Infinity);
  });

  it("rejects invalid probabilities and degrees of freedom", () => {
    for (const p of [-0.1, 1.1, Number.NaN]) expect(() => studentTQuantile(p, 5)).toThrow(RangeError);
    for (const df of [0, -1, Number.NaN]) {
      expect(() => studentTQuantile(0.5, df)).toThrow(RangeError);
      expect(() => studentTCdf(0, df)).toThrow(RangeError);
      expect(() => studentTSf(0, df)).toThrow(RangeError);
      expect(() => studentTPdf(0, df)).toThrow(RangeError);
    }
    expect(() => studentTCdf(Number.NaN, 3)).toThrow(RangeError);
  });
});

describe("chi-square distribution", () => {
  it("matches the reference CDF and survival function to 1e-12 relative (k up to 2000)", () => {
    for (const [x, k, cdf, sf] of rows("chi_square")) {
      expectRelative(chiSquareCdf(x, k), cdf, 1e-12, `chiSquareCdf(${x}, ${k})`);
      expectRelative(chiSquareSf(x, k), sf, 1e-12, `chiSquareSf(${x}, ${k})`);
    }
  });

  it("has the closed form 1 − e^{−x/2} for k = 2 and the support [0, ∞)", () => {
    expectRelative(chiSquareSf(7, 2), Math.exp(-3.5), 1e-15, "k = 2");
    expect(chiSquareCdf(-1, 3)).toBe(0);
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareSf(Infinity, 3)).toBe(0);
    expect(() => chiSquareSf(1, 0)).toThrow(RangeError);
    expect(() => chiSquareCdf(Number.NaN, 2)).toThrow(RangeError);
  });
});

describe("properties", () => {
  // Fixed seeds keep CI deterministic; the same properties passed 240,000 randomly seeded runs each in development.
  const runs = (numRuns: number, seed: number) => ({ numRuns, seed });
  const df = fc.oneof(fc.double({ min: 0.2, max: 5, noNaN: true }), fc.double({ min: 5, max: 1e6, noNaN: true }), fc.constantFrom(1, 2, 3, 30, 1e7));
  const probability = fc.oneof(
    fc.double({ min: 1e-200, max: 1, noNaN: true, minExcluded: true, maxExcluded: true }),
    fc.double({ min: -200, max: -1e-3, noNaN: true }).map((e) => 10 ** e),
  );

  it("the t CDF inverts the t quantile: F(Q(p)) = p to 1e-12 relative in the smaller tail", () => {
    fc.assert(
      fc.property(probability, df, (p, nu) => {
        const t = studentTQuantile(p, nu);
        if (!Number.isFinite(t)) return; // beyond the largest double (tiny p, small df)
        const tail = Math.min(p, 1 - p);
        const back = p < 0.5 ? studentTCdf(t, nu) : studentTSf(t, nu);
        expect(Math.abs(back - tail), `p=${p}, df=${nu}, t=${t}`).toBeLessThanOrEqual(1e-12 * tail + 2e-16);
      }),
      runs(2000, 1),
    );
  });

  it("the t quantile inverts the t CDF: Q(F(t)) = t to 1e-10 relative where F(t) resolves t", () => {
    fc.assert(
      fc.property(fc.double({ min: -60, max: 60, noNaN: true }), df, (t, nu) => {
        const p = studentTCdf(t, nu);
        // Rounding p near ½ or 1 loses t (relative error ≈ ulp(p)/(|t|·f(t))), and a subnormal p has
        // few significant bits; keep the cases where p determines t to better than 1e-12.
        if (p < 1e-300 || p > 1 - 1e-4 || Math.abs(p - 0.5) < 1e-4) return;
        const back = studentTQuantile(p, nu);
        expect(Math.abs(back - t), `t=${t}, df=${nu}`).toBeLessThanOrEqual(1e-10 * Math.abs(t));
      }),
      runs(2000, 2),
    );
  });

  it("the normal quantile and CDF invert each other", () => {
    fc.assert(
      fc.property(probability, (p) => {
        const z = normalQuantile(p);
        const back = p < 0.5 ? normalCdf(z) : normalSf(z);
        const tail = Math.min(p, 1 - p);
        expect(Math.abs(back - tail), `p=${p}`).toBeLessThanOrEqual(1e-13 * tail + 2e-16);
      }),
      runs(2000, 3),
    );
  });

  it("the CDFs are monotone (to 2 ulps) and the quantiles increasing (to the solver's 1e-14 relative rounding)", () => {
    /** a ≤ b up to `relative` of |b| (infinities compared exactly). */
    const atMost = (a: number, b: number, relative: number): boolean => a <= b || a <= b + relative * Math.abs(b);
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), df, (t, h, nu) => {
        expect(atMost(studentTCdf(t, nu), studentTCdf(t + h, nu), 4.5e-16), `t=${t}, h=${h}, df=${nu}`).toBe(true);
        expect(atMost(normalCdf(t), normalCdf(t + h), 4.5e-16), `t=${t}, h=${h}`).toBe(true);
        const x = Math.abs(t);
        expect(atMost(chiSquareCdf(x, nu), chiSquareCdf(x + h, nu), 4.5e-16), `x=${x}, h=${h}, k=${nu}`).toBe(true);
      }),
      runs(3000, 4),
    );
    fc.assert(
      fc.property(probability, probability, df, (p1, p2, nu) => {
        const [lo, hi] = p1 < p2 ? [p1, p2] : [p2, p1];
        expect(atMost(studentTQuantile(lo, nu), studentTQuantile(hi, nu), 1e-14), `p=${lo}, ${hi}, df=${nu}`).toBe(true);
      }),
      runs(2000, 5),
    );
  });

  it("is symmetric: F(−t) = 1 − F(t), Q(1 − p) = −Q(p) for exactly representable 1 − p", () => {
    fc.assert(
      fc.property(fc.double({ min: -40, max: 40, noNaN: true }), df, (t, nu) => {
        expect(studentTCdf(-t, nu)).toBe(studentTSf(t, nu));
        expect(Math.abs(studentTCdf(t, nu) + studentTCdf(-t, nu) - 1)).toBeLessThanOrEqual(2.3e-16);
        expect(normalCdf(-t)).toBe(normalSf(t));
      }),
      runs(2000, 6),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 - 1 }), df, (k, nu) => {
        const p = k / 2 ** 30; // dyadic, so 1 − p is exact
        expect(studentTQuantile(1 - p, nu)).toBe(-studentTQuantile(p, nu) + 0);
        expect(normalQuantile(1 - p)).toBe(-normalQuantile(p) + 0);
      }),
      runs(2000, 7),
    );
  });

  it("P + Q = 1 for the incomplete gamma and chi-square", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 1e4, noNaN: true }), fc.double({ min: 1e-6, max: 2e4, noNaN: true }), (a, x) => {
        expect(Math.abs(regularizedGammaP(a, x) + regularizedGammaQ(a, x) - 1)).toBeLessThanOrEqual(4.5e-16);
        expect(Math.abs(chiSquareCdf(x, a) + chiSquareSf(x, a) - 1)).toBeLessThanOrEqual(4.5e-16);
      }),
      runs(2000, 8),
    );
  });
});
