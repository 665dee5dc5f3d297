import { describe, expect, it } from "vitest";
import { studentTQuantile } from "../../src/numeric/distributions.js";
import { analyticInterval } from "../../src/numeric/analytic-interval.js";

const base = { samplingDf: 20, jackknife: null, alpha: 0.05 } as const;

describe("analyticInterval", () => {
  it("without bounds: estimate ± t(df)·se, symmetric", () => {
    const r = analyticInterval({ ...base, estimate: 0.7, samplingVariance: 0.0009 });
    const half = studentTQuantile(0.975, 20) * 0.03;
    expect(r.se).toBeCloseTo(0.03, 15);
    expect(r.ci[0]).toBeCloseTo(0.7 - half, 15);
    expect(r.ci[1]).toBeCloseTo(0.7 + half, 15);
  });

  it("with bounds: the t interval on the logit scale of [L, U], inside the bounds and leaning toward the middle", () => {
    const q = studentTQuantile(0.975, 20);
    for (const [estimate, se, bounds] of [
      [0.8, 0.05, [0, 1]],
      [0.1, 0.08, [0, 1]],
      [4.2, 0.3, [1, 5]],
    ] as const) {
      const r = analyticInterval({ ...base, estimate, samplingVariance: se * se, bounds });
      const [L, U] = bounds;
      const u = (estimate - L) / (U - L);
      const half = (q * se) / ((U - L) * u * (1 - u));
      const expit = (x: number) => 1 / (1 + Math.exp(-x));
      const logit = Math.log(u / (1 - u));
      expect(r.ci[0]).toBeCloseTo(L + (U - L) * expit(logit - half), 12);
      expect(r.ci[1]).toBeCloseTo(L + (U - L) * expit(logit + half), 12);
      expect(r.ci[0]).toBeGreaterThan(L);
      expect(r.ci[1]).toBeLessThan(U);
      // Longer on the side with more room: for u > 1/2 the lower arm is the longer one.
      const lower = estimate - r.ci[0];
      const upper = r.ci[1] - estimate;
      if (u > 0.5) expect(lower).toBeGreaterThan(upper);
      else expect(upper).toBeGreaterThan(lower);
      // The reported SE and df stay those of the estimate's scale.
      expect(r.se).toBeCloseTo(se, 15);
    }
  });

  it("with bounds and an estimate on or outside a bound: the symmetric interval, not clipped", () => {
    const q = studentTQuantile(0.975, 20);
    for (const estimate of [1, 0, 1.2, -0.1]) {
      const r = analyticInterval({ ...base, estimate, samplingVariance: 0.0004, bounds: [0, 1] });
      expect(r.ci).toEqual([estimate - q * 0.02, estimate + q * 0.02]);
    }
  });
});
