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
    expect(r.df).toBe(g.df);
  });

  it("stratified by labelled clusters: a small-sample factor per stratum and Welch–Satterthwaite df (closed form)", () => {
    // Clusters 0–5 unlabelled, 6–8 labelled (rows 6 and 8 are labelled; cluster 7 has a labelled second row).
    const values = [0.2, 0.4, 0.1, 0.3, 0.5, 0.35, 2.0, -1.5, 1.2, 0.6];
    const clusters = [0, 1, 2, 3, 4, 5, 6, 7, 8, 7];
    const labelled = [0, 0, 0, 0, 0, 0, 1, 0, 1, 1];
    const n = values.length;
    const mean = values.reduce((a, b) => a + b, 0) / n;
    const totals = new Array<number>(9).fill(0);
    values.forEach((v, i) => {
      totals[clusters[i]] += v - mean;
    });
    const tMean = totals.reduce((a, b) => a + b, 0) / 9;
    const ss = (gs: number[]) => gs.reduce((a, g) => a + (totals[g] - tMean) ** 2, 0);
    const v0 = (6 / 5) * ss([0, 1, 2, 3, 4, 5]);
    const v1 = (3 / 2) * ss([6, 7, 8]);
    const r = clusterRobustVariance(values, clusters, 9, 0, n, undefined, labelled);
    expect(r.variance).toBeCloseTo((v0 + v1) / (n * n), 15);
    expect(r.df).toBeCloseTo((v0 + v1) ** 2 / (v0 ** 2 / 5 + v1 ** 2 / 2), 12);
    // The labelled residuals dominate: the df is near the labelled stratum's 2, far below G − 1 = 8.
    expect(r.df).toBeLessThan(3);
    // One labelled cluster is not a stratum: plain CRV1 with G − 1 df.
    const one = clusterRobustVariance(values, clusters, 9, 0, n, undefined, [0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    const plain = clusterRobustVariance(values, clusters, 9);
    expect(one.variance).toBe(plain.variance);
    expect(one.df).toBe(8);
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
  it("Satterthwaite degrees of freedom move from the jackknife's df (calibration dominates) to the sampling df (sampling dominates)", () => {
    expect(satterthwaiteDegreesOfFreedom(0, 999, 0.01, 4)).toBe(4);
    expect(satterthwaiteDegreesOfFreedom(0.01, 999, 0, 4)).toBe(999);
    expect(satterthwaiteDegreesOfFreedom(0.01, 999, 0.01, 0)).toBe(999);
    // Equal components: (2v)² / (v²/999 + v²/4) = 4 / (1/999 + 1/4).
    expect(satterthwaiteDegreesOfFreedom(0.01, 999, 0.01, 4)).toBeCloseTo(4 / (1 / 999 + 1 / 4), 10);
    expect(satterthwaiteDegreesOfFreedom(Number.NaN, 0, 0, 0)).toBe(1);
  });
});
