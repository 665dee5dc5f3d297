import { describe, expect, it } from "vitest";
import { clusterRobustVariance } from "../../src/numeric/cluster-robust.js";
import { foldJackknifeVariance, satterthwaiteDegreesOfFreedom } from "../../src/numeric/jackknife.js";
import { loadOpeGolden } from "../helpers/shared-data.js";

describe("cluster-robust (CRV1) variance", () => {
  it("matches the reference golden vector (se, df = G − 1)", () => {
    const g = loadOpeGolden().cluster_robust_se;
    const r = clusterRobustVariance(g.phi, g.clusters, 5);
    expect(Math.sqrt(r.variance)).toBeCloseTo(g.se, 12);
    expect(r.nClusters - 1).toBe(g.df);
  });

  it("with one row per cluster equals sd(ψ, n−1)/√n", () => {
    const psi = [0.3, -0.1, 0.7, 0.2, 0.05, -0.4];
    const n = psi.length;
    const mean = psi.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(psi.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    const r = clusterRobustVariance(psi, [0, 1, 2, 3, 4, 5], 6);
    expect(Math.sqrt(r.variance)).toBeCloseTo(sd / Math.sqrt(n), 14);
  });

  it("is unavailable (NaN) with a single cluster and respects row ranges", () => {
    expect(clusterRobustVariance([1, 2, 3], [0, 0, 0], 1).variance).toBeNaN();
    const full = clusterRobustVariance([9, 9, 1, 2, 3, 4], [0, 0, 1, 2, 3, 4], 5, 2, 6);
    const alone = clusterRobustVariance([1, 2, 3, 4], [1, 2, 3, 4], 5);
    expect(full.variance).toBe(alone.variance);
  });
});

describe("OUA delete-one-fold jackknife", () => {
  it("matches the reference golden vector", () => {
    const g = loadOpeGolden().oracle_jackknife_variance;
    expect(foldJackknifeVariance(g.jack)).toBeCloseTo(g.var, 15);
  });
  it("is a sum over folds: exactly K × the mean-form for K ∈ {2, 3, 5, 10}", () => {
    for (const K of [2, 3, 5, 10]) {
      const est = Array.from({ length: K }, (_, k) => Math.sin(k + 1) / 10);
      const mean = est.reduce((a, b) => a + b, 0) / K;
      const meanForm = ((K - 1) / K) * (est.reduce((a, b) => a + (b - mean) ** 2, 0) / K);
      expect(foldJackknifeVariance(est) / meanForm).toBeCloseTo(K, 10);
    }
    expect(foldJackknifeVariance([0.4])).toBe(0);
    expect(foldJackknifeVariance([0.5, 0.5, 0.5])).toBe(0);
  });
  it("Satterthwaite degrees of freedom move from the jackknife's df (calibration dominates) to G − 1 (sampling dominates)", () => {
    expect(satterthwaiteDegreesOfFreedom(0, 1000, 0.01, 4)).toBe(4);
    expect(satterthwaiteDegreesOfFreedom(0.01, 1000, 0, 4)).toBe(999);
    expect(satterthwaiteDegreesOfFreedom(0.01, 1000, 0.01, 0)).toBe(999);
    // Equal components: (2v)² / (v²/999 + v²/4) = 4 / (1/999 + 1/4).
    expect(satterthwaiteDegreesOfFreedom(0.01, 1000, 0.01, 4)).toBeCloseTo(4 / (1 / 999 + 1 / 4), 10);
    expect(satterthwaiteDegreesOfFreedom(Number.NaN, 1, 0, 0)).toBe(1);
  });
});
