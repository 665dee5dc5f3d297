import { describe, expect, it } from "vitest";
import { calibratedMeanCI } from "../../src/index.js";
import { studentTQuantile } from "../../src/advanced.js";

/** Deterministic example of method-direct §5: S = linspace(0.05, 0.95, 40), Y = clip(0.1 + 0.8S + 0.05 sin i). */
const S = Array.from({ length: 40 }, (_, i) => 0.05 + (0.9 * i) / 39);
const Y = S.map((s, i) => Math.min(1, Math.max(0, 0.1 + 0.8 * s + 0.05 * Math.sin(i))));

describe("calibratedMeanCI (array API)", () => {
  it("reproduces the reference's point estimate with even rows labelled (analytic path)", () => {
    const labels = Y.map((y, i) => (i % 2 === 0 ? y : Number.NaN));
    const r = calibratedMeanCI(S, labels, { inference: "analytic" });
    expect(r.estimate).toBeCloseTo(0.4890622, 6);
    expect(r.calibrator?.selectedMode).toBe("monotone");
    expect(r.nOracle).toBe(20);
    expect(r.route).toBe("augmented");
    // Reference: cluster SE 0.0400270 and OUA variance 1.448e-6 give SE 0.0400451. Our jackknife
    // (20 groups of one label) re-evaluates the residual term with each refit's own out-of-fold
    // models, so it also measures the cross-fitting noise the reference's fold jackknife cancels:
    // the SE is the reference's cluster SE plus a calibration part, within 5% of its total.
    expect(r.se).toBeGreaterThan(0.040027);
    expect(r.se).toBeLessThan(0.0400451 * 1.05);
    expect(r.ci[0]).toBeLessThan(r.estimate);
  });

  it("returns the oracle mean with a t interval (on the logit scale of [0, 1]) when every row is labelled", () => {
    const r = calibratedMeanCI(S, Y, { inference: "analytic", clusterIds: S.map((_, i) => `c${i}`) });
    expect(r.calibrator).toBeNull();
    expect(r.route).toBe("direct_oracle");
    expect(r.estimate).toBeCloseTo(0.5014414, 6);
    expect(r.se).toBeCloseTo(0.034379, 5);
    const half = (studentTQuantile(0.975, 39) * r.se) / (r.estimate * (1 - r.estimate));
    const logit = Math.log(r.estimate / (1 - r.estimate));
    expect(r.ci[0]).toBeCloseTo(1 / (1 + Math.exp(-(logit - half))), 10);
    expect(r.ci[1]).toBeCloseTo(1 / (1 + Math.exp(-(logit + half))), 10);
  });

  it("is reproducible for a seed on the bootstrap path", () => {
    const labels = Y.map((y, i) => (i % 2 === 0 ? y : Number.NaN));
    const a = calibratedMeanCI(S, labels, { replicates: 200, seed: 3 });
    const b = calibratedMeanCI(S, labels, { replicates: 200, seed: 3 });
    expect(a.ci).toEqual(b.ci);
    expect(a.estimate).toBeCloseTo(0.4890622, 6);
  });

  it("rejects bad input loudly", () => {
    expect(() => calibratedMeanCI([0.1, Number.NaN], [0.2, 0.3])).toThrow(/not finite/);
    expect(() => calibratedMeanCI([0.1, 0.2], [0.2])).toThrow(/use NaN/);
    expect(() => calibratedMeanCI([0.1, 0.2], [1.5, Number.NaN])).toThrow(/outside \[0, 1\]/);
    expect(() => calibratedMeanCI([0.1, 0.2, 0.3], [Number.NaN, Number.NaN, Number.NaN])).toThrow(/no oracle labels/);
    expect(() => calibratedMeanCI([0.1, 0.2, 0.3, 0.4], [0.1, 0.2, Number.NaN, Number.NaN])).toThrow(/at least 4/);
  });
});
