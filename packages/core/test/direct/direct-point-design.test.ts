import { describe, expect, it } from "vitest";
import type { LabelDesign } from "../../src/index.js";
import { buildEvalTable, createRng, directPointEstimate, type EvalRowInput } from "../../src/advanced.js";

/**
 * Design-unbiasedness of the known-propensity route of the point functional (Horvitz–Thompson):
 * a fixed finite population, a deliberately biased calibrator f, and oracle labels drawn by Poisson
 * sampling with unequal, residual-correlated inclusion probabilities π. Over repeated samples the
 * known-propensity estimate f̄ + Σ e/π / N averages to the population mean of Y, while the
 * representative route (which ignores π) does not.
 */
const N = 400;
const population = (() => {
  const rng = createRng(7);
  const scores = Float64Array.from({ length: N }, () => Math.round(rng.nextFloat() * 20) / 20);
  const labels = scores.map((s) => Math.min(1, Math.max(0, 0.9 * s * s + 0.15 * (rng.nextFloat() - 0.5))));
  const pi = scores.map((s) => 0.04 + 0.5 * s * s);
  return { scores, labels, pi, truth: labels.reduce((a, y) => a + y, 0) / N };
})();
const calibrate = (s: number) => 0.3 + 0.4 * s;

function estimates(seed: number): { ht: number; representative: number; pseudoMean: number } {
  const rng = createRng(seed);
  const rows: EvalRowInput[] = [];
  for (let i = 0; i < N; i++) {
    const sampled = rng.nextFloat() < population.pi[i];
    rows.push({ policy: "a", promptId: `p${i}`, judgeScore: population.scores[i], oracleLabel: sampled ? population.labels[i] : null });
  }
  const table = buildEvalTable(rows, ["a"]);
  const calibrated = table.points.scores.map(calibrate);
  const residualPredictions = Float64Array.from(table.labelledRows, (r) => calibrate(table.scores[r]));
  const inclusion = Float64Array.from(table.inputIndex, (i) => population.pi[i]);
  const run = (design: LabelDesign, pseudo?: Float64Array) =>
    directPointEstimate({ table, calibrated, residualPredictions, clusterWeights: null, augment: true, design }, pseudo).estimates[0];
  const pseudo = new Float64Array(N);
  const ht = run({ kind: "known_propensity", inclusion }, pseudo);
  return { ht, representative: run({ kind: "representative" }), pseudoMean: pseudo.reduce((a, v) => a + v, 0) / N };
}

function summary(values: number[]): { mean: number; mcSe: number } {
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, mcSe: sd / Math.sqrt(values.length) };
}

describe("directPointEstimate under a known-propensity label design (2,000 Poisson samples)", () => {
  const draws = Array.from({ length: 2000 }, (_, k) => estimates(1000 + k));
  const ht = summary(draws.map((d) => d.ht));
  const representative = summary(draws.map((d) => d.representative));

  it("is design-unbiased: the mean estimate is within 3 Monte Carlo SE of the population mean", () => {
    expect(Math.abs(ht.mean - population.truth)).toBeLessThan(3 * ht.mcSe);
  });

  it("the representative route, which ignores π, is biased under the same unequal-probability design", () => {
    expect(Math.abs(representative.mean - population.truth)).toBeGreaterThan(3 * representative.mcSe);
  });

  it("pseudo-outcomes f + e/π average to the estimate", () => {
    for (const d of draws.slice(0, 20)) expect(d.pseudoMean).toBeCloseTo(d.ht, 12);
  });
});

describe("label weights of the point functional (the calibration jackknife's deleted labels)", () => {
  // Policy a: four unlabelled rows and four labelled ones, f(s) = s, residual predictions r̂ = s − 0.1.
  const rows: EvalRowInput[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8].map((s, i) => ({
    policy: "a",
    promptId: `p${i}`,
    judgeScore: s,
    oracleLabel: i >= 4 ? [0.9, 0.3, 0.8, 1][i - 4] : null,
  }));
  const table = buildEvalTable(rows, ["a"]);
  const calibrated = Float64Array.from(table.points.scores);
  const residualPredictions = Float64Array.from(table.labelledRows, (r) => table.scores[r] - 0.1);
  const kept = Float64Array.from(table.labelledRows, (r) => (table.labels[r] === 0.3 ? 0 : 1));
  const residuals = Array.from(table.labelledRows, (r, li) => ({ e: table.labels[r] - residualPredictions[li], kept: kept[li] === 1 }));
  const plugIn = 0.45;

  it("a representative design averages the residuals of the rows kept", () => {
    const keptE = residuals.filter((x) => x.kept).map((x) => x.e);
    const expected = plugIn + keptE.reduce((a, b) => a + b, 0) / keptE.length;
    const run = (labelWeights: Float64Array | null) =>
      directPointEstimate({ table, calibrated, residualPredictions, labelWeights, clusterWeights: null, augment: true, design: { kind: "representative" } })
        .estimates[0];
    expect(run(kept)).toBeCloseTo(expected, 12);
    // All weights 1 is the plain estimate: f̄ + the mean of every residual.
    expect(run(Float64Array.from(kept, () => 1))).toBeCloseTo(plugIn + residuals.reduce((a, x) => a + x.e, 0) / 4, 12);
  });

  it("a known-propensity design rescales the Horvitz–Thompson sum of the rows kept to all of them", () => {
    const inclusion = Float64Array.from(table.inputIndex, (i) => (i >= 4 ? 0.5 : 1));
    const keptSum = residuals.filter((x) => x.kept).reduce((a, x) => a + x.e / 0.5, 0);
    const estimate = directPointEstimate({
      table,
      calibrated,
      residualPredictions,
      labelWeights: kept,
      clusterWeights: null,
      augment: true,
      design: { kind: "known_propensity", inclusion },
    }).estimates[0];
    expect(estimate).toBeCloseTo(plugIn + (keptSum * (4 / 3)) / 8, 12);
  });
});
