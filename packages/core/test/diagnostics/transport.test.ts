import { describe, expect, it } from "vitest";
import { CjeInputError } from "../../src/index.js";
import { classifyTransport, fitCalibrator, transportAudit, type TransportAuditOptions } from "../../src/advanced.js";

/** A calibrator predicting 0 everywhere: the labels passed are then the residuals themselves. */
const ZERO = { predictScores: (scores: ArrayLike<number>) => new Float64Array(scores.length) };

function audit(residuals: readonly number[], options: TransportAuditOptions = {}, scores?: readonly number[]) {
  return transportAudit(scores ?? residuals.map((_, i) => i / residuals.length), residuals, ZERO, options);
}

function alternating(n: number, a: number, b: number): number[] {
  return Array.from({ length: n }, (_, i) => (i % 2 === 0 ? a : b));
}

function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

describe("transportAudit: golden values (method-direct §5, reference cje-eval 0.6)", () => {
  // Deterministic calibration set: S = linspace(0.05, 0.95, 40), Y = clip(0.1 + 0.8S + 0.05 sin i), even rows labelled.
  const S = linspace(0.05, 0.95, 40);
  const labelled = S.map((_, i) => i).filter((i) => i % 2 === 0);
  const calibrator = fitCalibrator({
    scores: labelled.map((i) => S[i]),
    labels: labelled.map((i) => Math.min(1, Math.max(0, 0.1 + 0.8 * S[i] + 0.05 * Math.sin(i)))),
    clusterIds: labelled.map((i) => `row_${i}`),
  });
  // Probes: S = linspace(0.1, 0.9, 30), Y = f(S) + cycle(0.02, −0.01, 0) + 0.01.
  const probeScores = linspace(0.1, 0.9, 30);
  const fitted = calibrator.predictScores(probeScores);
  const probeLabels = probeScores.map((_, i) => fitted[i] + [0.02, -0.01, 0][i % 3] + 0.01);

  it("PASSes at delta_max 0.05 with the reference's interval, half-width and detectable bias", () => {
    const a = transportAudit(probeScores, probeLabels, calibrator, { deltaMax: 0.05 });
    expect(a.status).toBe("PASS");
    expect(a.reason).toBeNull();
    expect(a.deltaHat).toBeCloseTo(0.0133333, 7);
    expect(a.se).toBeCloseTo(0.002316, 7);
    expect(a.ci[0]).toBeCloseTo(0.0085965, 7);
    expect(a.ci[1]).toBeCloseTo(0.0180701, 7);
    expect(a.effectiveClusters).toBe(30);
    expect(a.df).toBe(29);
    expect(a.ciHalfWidth).toBeCloseTo(0.0047368, 7);
    expect(a.minMarginForPass).toBeCloseTo(0.0180701, 7);
    expect(a.detectableBias80).toBeCloseTo(0.006686, 7);
  });

  it("is NOT_GRADED without a margin; family size 3 widens the interval to the reference's", () => {
    const a = transportAudit(probeScores, probeLabels, calibrator, { familySize: 3 });
    expect(a.status).toBe("NOT_GRADED");
    expect(a.reason).toBe("margin_not_declared");
    expect(a.ci[0]).toBeCloseTo(0.0074485, 7);
    expect(a.ci[1]).toBeCloseTo(0.0192181, 7);
    expect(a.perAuditConfidence).toBeCloseTo(0.98333, 5);
    expect(a.simultaneousConfidence).toBe(0.95);
  });
});

describe("transportAudit: interval", () => {
  it("equals the one-sample Student-t interval when every probe is its own cluster (n = 12)", () => {
    const r = [0.03, -0.01, 0.05, 0.02, 0.0, 0.04, -0.02, 0.01, 0.06, 0.02, -0.03, 0.03];
    const n = r.length;
    const mean = r.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
    const t = 2.200985160082949; // scipy.stats.t.ppf(0.975, 11)
    const a = audit(r, { deltaMax: 0.2 });
    expect(a.deltaHat).toBeCloseTo(mean, 14);
    expect(a.ci[0]).toBeCloseTo(mean - (t * sd) / Math.sqrt(n), 12);
    expect(a.ci[1]).toBeCloseTo(mean + (t * sd) / Math.sqrt(n), 12);
    expect(a.ciHalfWidth).toBeGreaterThan((1.96 * sd) / Math.sqrt(n));
  });

  it("uses the weighted mean and the weighted sandwich over clusters (hand-computed, 5 probes in 3 clusters)", () => {
    const r = [0.1, 0.3, -0.2, 0.05, 0.4];
    const w = [1, 2, 0.5, 1.5, 1];
    const clusters = ["a", "a", "b", "c", "c"];
    const W = 6;
    const delta = (0.1 * 1 + 0.3 * 2 - 0.2 * 0.5 + 0.05 * 1.5 + 0.4 * 1) / W;
    const totals = [1 * (0.1 - delta) + 2 * (0.3 - delta), 0.5 * (-0.2 - delta), 1.5 * (0.05 - delta) + 1 * (0.4 - delta)];
    const se = Math.sqrt(((3 / 2) * totals.reduce((s, x) => s + x * x, 0)) / (W * W));
    const kish = (W * W) / (3 * 3 + 0.5 * 0.5 + 2.5 * 2.5);
    const a = audit(r, { weights: w, clusterIds: clusters, deltaMax: 0.05 });
    expect(a.deltaHat).toBeCloseTo(delta, 14);
    expect(a.se).toBeCloseTo(se, 14);
    expect(a.effectiveClusters).toBeCloseTo(kish, 14);
    expect(a.df).toBe(1);
    expect(a.nClusters).toBe(3);
    expect(a.weighted).toBe(true);
  });

  it("has an infinite interval with a single cluster (no row-level fallback)", () => {
    const a = audit([0.01, 0.02, 0.03], { clusterIds: ["p", "p", "p"], deltaMax: 0.05 });
    expect(a.se).toBe(Infinity);
    expect(a.ci).toEqual([-Infinity, Infinity]);
    expect(a.status).toBe("INCONCLUSIVE");
    expect(a.reason).toBe("insufficient_effective_clusters");
  });

  it("widens with the family size: Bonferroni per-audit level 0.99 for five audits at 0.95", () => {
    const r = alternating(40, 0.01, -0.01);
    const one = audit(r, { deltaMax: 0.05 });
    const five = audit(r, { deltaMax: 0.05, familySize: 5 });
    expect(five.ciHalfWidth).toBeGreaterThan(one.ciHalfWidth);
    expect(five.perAuditConfidence).toBeCloseTo(0.99, 14);
    expect(five.simultaneousConfidence).toBe(0.95);
  });

  it("threads alpha: alpha 0.20 gives a narrower interval", () => {
    const r = alternating(40, 0.02, -0.01);
    expect(audit(r, { alpha: 0.2 }).ciHalfWidth).toBeLessThan(audit(r).ciHalfWidth);
  });
});

describe("transportAudit: the state machine", () => {
  it("PASS: residuals ±0.01 (40 probes) at delta_max 0.05, mean residual exactly 0", () => {
    const a = audit(alternating(40, 0.01, -0.01), { deltaMax: 0.05 });
    expect(a.status).toBe("PASS");
    expect(a.deltaHat).toBeCloseTo(0, 12);
    expect(a.action).toContain("established within the declared margin");
  });

  it("FAIL above: residuals 0.09/0.11, the interval lies wholly above +0.05", () => {
    const a = audit(alternating(40, 0.09, 0.11), { deltaMax: 0.05 });
    expect(a.status).toBe("FAIL");
    expect(a.reason).toBe("unacceptable_mean_residual");
    expect(a.ci[0]).toBeGreaterThan(0.05);
  });

  it("FAIL below: a shift of −0.2 gives mean residual −0.2", () => {
    const a = audit(alternating(40, -0.19, -0.21), { deltaMax: 0.05 });
    expect(a.status).toBe("FAIL");
    expect(a.deltaHat).toBeCloseTo(-0.2, 12);
  });

  it("INCONCLUSIVE when the interval crosses the margin (residuals −0.04/0.16)", () => {
    const a = audit(alternating(40, -0.04, 0.16), { deltaMax: 0.05 });
    expect(a.status).toBe("INCONCLUSIVE");
    expect(a.reason).toBe("interval_crosses_margin");
  });

  it("NOT_GRADED without a margin, whatever the residuals", () => {
    expect(audit(alternating(40, 0.5, 0.6)).status).toBe("NOT_GRADED");
  });

  it("treats an interval exactly touching the margin as inside, one ulp further as outside", () => {
    const centred = alternating(40, 0.012, -0.008);
    const hi = audit(centred).ci[1];
    expect(audit(centred, { deltaMax: hi }).status).toBe("PASS");
    expect(audit(centred, { deltaMax: hi * (1 - Number.EPSILON) }).status).toBe("INCONCLUSIVE");
    const shifted = alternating(40, 0.09, 0.11);
    const lo = audit(shifted).ci[0];
    expect(audit(shifted, { deltaMax: lo }).status).toBe("INCONCLUSIVE");
    expect(audit(shifted, { deltaMax: lo * (1 - Number.EPSILON) }).status).toBe("FAIL");
    const negative = shifted.map((x) => -x);
    const hiNeg = audit(negative).ci[1];
    expect(audit(negative, { deltaMax: -hiNeg }).status).toBe("INCONCLUSIVE");
    expect(audit(negative, { deltaMax: -hiNeg * (1 - Number.EPSILON) }).status).toBe("FAIL");
  });

  it("classifies bounds on the margin directly", () => {
    expect(classifyTransport([-0.05, 0.05], 0.05, 20)).toEqual({ status: "PASS", reason: null });
    expect(classifyTransport([0.05, 0.1], 0.05, 20)).toEqual({ status: "INCONCLUSIVE", reason: "interval_crosses_margin" });
    expect(classifyTransport([-0.1, -0.05], 0.05, 20)).toEqual({ status: "INCONCLUSIVE", reason: "interval_crosses_margin" });
    expect(classifyTransport([0.0500001, 0.1], 0.05, 3)).toEqual({ status: "FAIL", reason: "unacceptable_mean_residual" });
    expect(classifyTransport([-0.01, 0.01], 0.05, 19.999)).toEqual({ status: "INCONCLUSIVE", reason: "insufficient_effective_clusters" });
    expect(classifyTransport([-0.01, 0.01], null, 100)).toEqual({ status: "NOT_GRADED", reason: "margin_not_declared" });
  });

  it("needs 20 effective clusters to PASS: 19 probes are INCONCLUSIVE, 20 PASS", () => {
    const nineteen = audit(alternating(19, 0.01, -0.01), { deltaMax: 0.05 });
    expect(nineteen.effectiveClusters).toBe(19);
    expect(nineteen.status).toBe("INCONCLUSIVE");
    expect(nineteen.reason).toBe("insufficient_effective_clusters");
    const twenty = audit(alternating(20, 0.01, -0.01), { deltaMax: 0.05 });
    expect(twenty.effectiveClusters).toBe(20);
    expect(twenty.df).toBe(19);
    expect(twenty.status).toBe("PASS");
  });

  it("counts Kish effective clusters with weights: 20 equally weighted clusters PASS, unequal weights (n_eff < 20) do not", () => {
    const r = alternating(20, 0.01, -0.01);
    const equal = audit(r, { deltaMax: 0.05, weights: r.map(() => 0.1) });
    expect(equal.effectiveClusters).toBe(20);
    expect(equal.status).toBe("PASS");
    const weights = r.map((_, i) => (i < 2 ? 2 : 1));
    const unequal = audit(r, { deltaMax: 0.05, weights });
    expect(unequal.effectiveClusters).toBeCloseTo(22 ** 2 / (2 * 4 + 18), 12);
    expect(unequal.status).toBe("INCONCLUSIVE");
    expect(unequal.reason).toBe("insufficient_effective_clusters");
  });

  it("grades FAIL even below the cluster floor (15 probes with mean residual 0.40)", () => {
    const a = audit(alternating(15, 0.38, 0.42), { deltaMax: 0.05 });
    expect(a.effectiveClusters).toBe(15);
    expect(a.status).toBe("FAIL");
  });

  it("clusters probes: 40 probes in 10 prompts count 10 clusters and are INCONCLUSIVE", () => {
    const a = audit(alternating(40, 0.01, -0.01), { deltaMax: 0.05, clusterIds: Array.from({ length: 40 }, (_, i) => `p${i % 10}`) });
    expect(a.nClusters).toBe(10);
    expect(a.effectiveClusters).toBe(10);
    expect(a.status).toBe("INCONCLUSIVE");
  });
});

describe("transportAudit: residual table and inputs", () => {
  it("bins quantised scores into at most 5 occupied quantile bins with exact mean residuals", () => {
    const scores = Array.from({ length: 40 }, (_, i) => [0.2, 0.4, 0.6, 0.8, 1][i % 5]);
    const r = scores.map((s, i) => s / 10 + (i % 2 === 0 ? 0.01 : -0.01));
    const a = audit(r, {}, scores);
    const occupied = a.bins.filter((b) => b.count > 0);
    expect(occupied.length).toBeLessThanOrEqual(5);
    for (const b of occupied) expect(b.count).toBeGreaterThanOrEqual(3);
    expect(a.binOccupancy).toBeGreaterThanOrEqual(0.5);
    expect(a.bins.reduce((s, b) => s + b.count, 0)).toBe(40);
    const last = a.bins[a.bins.length - 1];
    expect(last.upper).toBe(1);
    expect(last.meanResidual).toBeCloseTo(0.1, 12);
  });

  it("uses one bin around a constant score", () => {
    const a = audit([0.01, -0.01, 0.02], {}, [0.5, 0.5, 0.5]);
    expect(a.bins).toHaveLength(1);
    expect(a.bins[0]).toMatchObject({ lower: 0.5 - 1e-6, upper: 0.5 + 1e-6, count: 3 });
  });

  it("passes covariates to the calibrator", () => {
    let seen: readonly ArrayLike<number>[] | undefined;
    const cal = {
      predictScores: (s: ArrayLike<number>, c?: readonly ArrayLike<number>[]) => {
        seen = c;
        return Float64Array.from(s, (_, i) => (c as readonly ArrayLike<number>[])[0][i]);
      },
    };
    const a = transportAudit([0.1, 0.2, 0.3], [1, 2, 3], cal, { covariates: [[1, 2, 3]] });
    expect(seen?.[0]).toEqual([1, 2, 3]);
    expect(a.deltaHat).toBe(0);
  });

  it.each([0, -0.1, Infinity, Number.NaN])("rejects delta_max = %s", (deltaMax) => {
    expect(() => audit([0.01, 0.02], { deltaMax })).toThrow(CjeInputError);
  });

  it("rejects bad options and inputs with a CjeInputError", () => {
    expect(() => audit([0.01, 0.02], { alpha: 0.5 })).toThrow(/alpha/);
    expect(() => audit([0.01, 0.02], { familySize: 0 })).toThrow(/family size/);
    expect(() => audit([0.01, 0.02], { minEffectiveClusters: 1 })).toThrow(/effective clusters/);
    expect(() => audit([0.01, 0.02], { weights: [1, 0] })).toThrow(/weight/);
    expect(() => audit([0.01, 0.02], { clusterIds: ["a"] })).toThrow(/cluster ids/);
    expect(() => audit([])).toThrow(/no probes/);
    expect(() => transportAudit([0.1, 0.2], [0.1, Number.NaN], ZERO)).toThrow(/oracle label/);
  });
});
