import { describe, expect, it } from "vitest";
import { fitSimcal, populationVariance } from "../../src/off-policy/simcal.js";
import { createRng } from "../../src/numeric/rng.js";
import { loadOpeGolden } from "../helpers/shared-data.js";
import { referenceCriterion } from "./simcal-criterion-reference.js";

describe("SIMCal-W weight stabilisation", () => {
  const g = loadOpeGolden().simcal_fit_transform;

  // The golden vector pins the reference's variance-only mixture (method-ope §6.4 step 7). The default
  // selection is now bias-aware (`mse`, issue 14: a deliberate deviation), so these two tests ask for
  // `selection: "variance"` explicitly; the rule itself is unchanged.
  it("reproduces the reference fit_transform golden vector with the reference selection IF", () => {
    const model = fitSimcal(g.w, g.s, g.r, g.folds, { selectionInfluence: "reference", selection: "variance" });
    expect(model.mixture[0]).toBeCloseTo(g.mixture[0], 7);
    expect(model.mixture[1]).toBeCloseTo(g.mixture[1], 7);
    expect(model.gamma).toBe(g.gamma);
    expect(model.varBefore).toBeCloseTo(g.var_before, 10);
    const out = model.predict(g.w, g.s);
    out.forEach((v, i) => expect(v).toBeCloseTo(g.w_cal[i], 7));
    expect(populationVariance(out)).toBeCloseTo(g.var_after, 8);
  });

  it("with the ratio IF picks the mixture that minimises the cross-fitted ratio-IF variance", () => {
    const ratio = fitSimcal(g.w, g.s, g.r, g.folds, { selection: "variance" });
    const { influence, candidates } = ratio.selection;
    const n = g.w.length;
    // The ratio IF u(t − ψ_train)/mean(u_train), recomputed for row 0 of candidate 0.
    const u = candidates[0];
    let su = 0;
    let sut = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (g.folds[i] === g.folds[0]) continue;
      su += u[i];
      sut += u[i] * g.r[i];
      m++;
    }
    expect(influence[0]).toBeCloseTo((u[0] * (g.r[0] - sut / su)) / (su / m), 12);
    const variance = (pi: number) => {
      const v = Float64Array.from({ length: n }, (_, i) => pi * influence[2 * i] + (1 - pi) * influence[2 * i + 1]);
      return populationVariance(v);
    };
    const best = Math.min(...Array.from({ length: 1001 }, (_, k) => variance(k / 1000)));
    expect(ratio.mixture[0] + ratio.mixture[1]).toBeCloseTo(1, 12);
    expect(variance(ratio.mixture[0])).toBeLessThanOrEqual(best + 1e-9);
    expect(Math.abs(ratio.mixture[0] - g.mixture[0])).toBeGreaterThan(1e-3);
  });

  it("meets the variance cap exactly on the training rows and keeps weights mean-one and positive", () => {
    const rng = createRng(7);
    const n = 400;
    const s = Float64Array.from({ length: n }, () => rng.nextFloat());
    const w = Float64Array.from(s, (x) => Math.exp(8 * x + 1.5 * rng.nextNormal()));
    const t = Float64Array.from(s, (x) => x + 0.1 * rng.nextNormal());
    const folds = Int32Array.from({ length: n }, (_, i) => i % 5);
    const model = fitSimcal(w, s, t, folds);
    expect(model.gamma).toBeGreaterThan(0);
    const out = model.predict(w, s);
    expect(out.reduce((a, b) => a + b, 0) / n).toBeCloseTo(1, 12);
    expect(Math.min(...out)).toBeGreaterThan(0);
    expect(populationVariance(out)).toBeLessThanOrEqual(1 + 1e-9);
    expect(populationVariance(out)).toBeGreaterThan(0.99);
    expect(model.varBefore).toBeGreaterThan(1);
  });

  it("MSE selection: the criterion equals a direct computation with cross-fitted candidates; rising weights are not flattened", () => {
    // Weights rise with the index: the variance-only rule takes the flat decreasing projection, the
    // MSE rule does not.
    const rng = createRng(11);
    const n = 300;
    const s = Float64Array.from({ length: n }, () => Math.round(20 * rng.nextFloat()) / 20);
    const w = Float64Array.from(s, (x) => Math.exp(1.5 * x + 0.3 * rng.nextNormal()));
    const t = Float64Array.from(s, (x) => 0.1 + 0.8 * x * x + 0.05 * rng.nextNormal());
    const folds = Int32Array.from({ length: n }, (_, i) => i % 5);
    const model = fitSimcal(w, s, t, folds);
    expect(model.mixture).toHaveLength(3);
    expect(model.mixture.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const old = fitSimcal(w, s, t, folds, { selection: "variance" });
    expect(old.mixture[1]).toBeGreaterThan(0.9);
    expect(model.mixture[2]).toBeLessThan(0.1);
    // The criterion at the chosen mixture and the model's γ, computed row by row.
    const wMean = w.reduce((x, y) => x + y, 0) / n;
    const base = Float64Array.from(w, (x) => x / wMean);
    const want = referenceCriterion({ base, s, t, folds, epsilon: 1e-9, gamma: model.gamma, pi: model.mixture });
    expect(model.mse!.bias).toBeCloseTo(want.bias, 12);
    expect(model.mse!.variance).toBeCloseTo(want.variance, 12);
    expect(model.mse!.biasVariance).toBeCloseTo(want.biasVariance, 12);
    expect(model.mse!.mse).toBeCloseTo(want.mse, 12);
    expect(old.mse).toBeNull();
  });
});
