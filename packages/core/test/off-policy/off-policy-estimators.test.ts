import { describe, expect, it } from "vitest";
import { calibratedIpsFromWeights, estimateCalibratedIps, stabiliseWeights } from "../../src/off-policy/calibrated-ips.js";
import { directMethodTerm, drEstimate, drFunctional } from "../../src/off-policy/dr-shared.js";
import { clipWeights, hajekWeights, rawWeights } from "../../src/off-policy/importance-weights.js";
import { minVarianceSimplex } from "../../src/numeric/min-variance-simplex.js";
import { fitIsotonic } from "../../src/calibration/isotonic.js";
import { IsotonicOutcomeFitter } from "../../src/off-policy/outcome-model.js";
import { offPolicyInterval } from "../../src/off-policy/off-policy-inference.js";
import type { TargetProblem } from "../../src/off-policy/off-policy-problem.js";
import { cleverCovariate, solveIdentityFluctuation, solveLogisticFluctuation } from "../../src/off-policy/tmle.js";
import { clusterRobustVariance } from "../../src/numeric/cluster-robust.js";
import { studentTQuantile } from "../../src/numeric/distributions.js";
import { foldJackknifeVariance, satterthwaiteDegreesOfFreedom } from "../../src/numeric/jackknife.js";
import { createRng } from "../../src/numeric/rng.js";
import { loadOpeGolden } from "../helpers/shared-data.js";

/** A small problem with fresh draws: weights rise with S, one draw per row. */
function toyProblem(n: number, seed: number): TargetProblem {
  const rng = createRng(seed);
  const scores = Float64Array.from({ length: n }, () => Math.round(20 * rng.nextFloat()) / 20);
  const rewards = Float64Array.from(scores, (s) => 0.2 + 0.6 * s);
  const folds = Int32Array.from({ length: n }, (_, i) => i % 5);
  const drawStart = Int32Array.from({ length: n + 1 }, (_, i) => i);
  const draws = Float64Array.from(scores, (s) => Math.min(1, s + 0.1));
  return {
    target: "t",
    rows: Int32Array.from({ length: n }, (_, i) => i),
    logRatio: Float64Array.from(scores, (s) => 2 * s + 0.3 * rng.nextNormal()),
    scores,
    rewards,
    oofRewards: rewards,
    oofCalibrated: rewards,
    weightTarget: rewards,
    jackknifeRewards: [0, 1, 2, 3, 4].map((k) => Float64Array.from(rewards, (r) => r + 0.01 * k)),
    jackknifeDf: 4,
    index: scores,
    folds,
    nFolds: 5,
    clusters: Int32Array.from({ length: n }, (_, i) => i),
    nClusterCodes: n,
    fresh: { drawStart, scores: draws, oof: Float64Array.from(draws, (s) => 0.2 + 0.6 * s), index: draws, jackknifeDirect: null },
  };
}

describe("importance weights", () => {
  it("Hájek weights are mean-one and stable for huge log-ratios; clipping renormalises once", () => {
    const w = hajekWeights(Float64Array.from([1000, 999, 998, -5000]));
    expect(w.reduce((a, b) => a + b, 0) / 4).toBeCloseTo(1, 14);
    expect(w[0] / w[1]).toBeCloseTo(Math.E, 12);
    expect(w[3]).toBe(0);
    expect(rawWeights(Float64Array.from([800, 0]))[0]).toBeGreaterThan(1e300);
    const c = clipWeights(Float64Array.from([10, 1, 1, 1, 1]), 2);
    expect(c.reduce((a, b) => a + b, 0) / 5).toBeCloseTo(1, 14);
    expect(c[0] / c[1]).toBeCloseTo(2, 14);
  });

  it("SIMCal-W outer-fold weights are non-negative and mean-one with ESS above the raw weights'", () => {
    const p = toyProblem(500, 3);
    const s = stabiliseWeights(p);
    expect(Math.min(...s.weights)).toBeGreaterThan(0);
    expect(s.weights.reduce((a, b) => a + b, 0) / 500).toBeCloseTo(1, 12);
    const ess = (w: Float64Array) => w.reduce((a, b) => a + b, 0) ** 2 / w.reduce((a, b) => a + b * b, 0);
    expect(ess(s.weights)).toBeGreaterThan(ess(hajekWeights(p.logRatio)));
    const est = estimateCalibratedIps(p);
    expect(est.estimate).toBe(calibratedIpsFromWeights(p, s).estimate);
    expect(est.estimate).toBeCloseTo(s.weights.reduce((acc, w, i) => acc + w * p.rewards[i], 0) / 500, 14);
    expect(est.influence.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
  });
});

describe("TMLE", () => {
  it("matches the reference fluctuation golden vectors (logit ε, 4 Newton steps; identity ε)", () => {
    const g = loadOpeGolden().tmle_fluctuation;
    const logit = solveLogisticFluctuation(g.g0, g.R, g.h);
    expect(logit.epsilon).toBeCloseTo(g.eps_logit, 9);
    expect(logit.iterations).toBe(g.iters);
    expect(logit.converged).toBe(true);
    expect(solveIdentityFluctuation(g.g0, g.R, g.h).epsilon).toBeCloseTo(g.eps_identity, 12);
  });

  it("the per-fold clever covariate reproduces weights that are a function of S within each fold", () => {
    const p = toyProblem(300, 4);
    const w = Float64Array.from(p.scores, (s, i) => 0.5 + s + 0.1 * p.folds[i]);
    const { h, hDraws } = cleverCovariate(p, w);
    h.forEach((v, i) => expect(v).toBeCloseTo(w[i], 12));
    expect(hDraws.every(Number.isFinite)).toBe(true);
  });
});

describe("isotonic outcome models", () => {
  it("one prepared fitter per problem predicts as a per-fold fit from scratch, unweighted and ω-weighted", () => {
    const base = toyProblem(400, 13);
    const rng = createRng(131);
    // Rewards with ties in (index, reward) and fresh draws at other scores, so sort order and weights matter.
    const rewards = Float64Array.from(base.scores, (s) => Math.round(4 * (s + 0.2 * rng.nextNormal())) / 4);
    const problem: TargetProblem = { ...base, rewards };
    const fresh = problem.fresh as NonNullable<TargetProblem["fresh"]>;
    const fitter = new IsotonicOutcomeFitter(problem);
    for (const omega of [null, Float64Array.from({ length: 400 }, () => 0.1 + 2 * rng.nextFloat())]) {
      const got = fitter.predict(omega);
      for (let k = 0; k < problem.nFolds; k++) {
        const train = [...Array(400).keys()].filter((i) => problem.folds[i] !== k);
        const model = fitIsotonic(
          train.map((i) => problem.index[i]),
          train.map((i) => rewards[i]),
          omega === null ? null : train.map((i) => omega[i]),
          { yMin: -Infinity, yMax: Infinity },
        );
        for (let i = 0; i < 400; i++) {
          if (problem.folds[i] !== k) continue;
          expect(got.logged[i]).toBe(model.predictOne(problem.index[i]));
          for (let d = fresh.drawStart[i]; d < fresh.drawStart[i + 1]; d++) expect(got.draws[d]).toBe(model.predictOne(fresh.index[d]));
        }
      }
    }
  });
});

describe("DR functional, stacking and inference", () => {
  it("ψ = direct-method mean + weighted residual mean, with a mean-zero IF", () => {
    const parts = drFunctional([1, 2, 0.5], [0.5, 0.9, 0.1], [0.4, 0.7, 0.3], Int32Array.from([0, 2, 3, 4]), [0.6, 0.8, 0.5, 0.2]);
    expect(parts.dm).toBeCloseTo((0.7 + 0.5 + 0.2) / 3, 14);
    expect(parts.correction).toBeCloseTo((0.1 + 0.4 - 0.1) / 3, 14);
    expect(parts.estimate).toBeCloseTo(parts.dm + parts.correction, 14);
    expect(parts.influence.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 14);
  });

  it("a jackknife replicate is the DR functional with R^(−g), ĝ + R^(−g) − R and the group's direct-method term (to 1e-12)", () => {
    const base = toyProblem(300, 9);
    const rng = createRng(91);
    const n = base.rows.length;
    // Two draws per row; each group's calibrator moves the draws and the rewards by its own amounts.
    const drawStart = Int32Array.from({ length: n + 1 }, (_, j) => 2 * j);
    const drawsOf = (shift: number) => Float64Array.from({ length: 2 * n }, (_, d) => Math.min(1, base.scores[d >> 1] + shift + 0.05 * Math.sin(d)));
    const groups = [0.01, -0.02, 0.03, 0.005].map((shift) => ({ draws: drawsOf(shift), rewards: Float64Array.from(base.rewards, (r) => r + shift * r * r) }));
    const problem: TargetProblem = {
      ...base,
      jackknifeRewards: groups.map((g) => g.rewards),
      fresh: {
        drawStart,
        scores: drawsOf(0),
        oof: drawsOf(0),
        index: drawsOf(0),
        jackknifeDirect: Float64Array.from(groups, (g) => directMethodTerm(drawStart, g.draws, new Float64Array(n))),
      },
    };
    const weights = Float64Array.from({ length: n }, () => 0.2 + 1.6 * rng.nextFloat());
    const outcome = { logged: Float64Array.from(base.rewards, (r) => r + 0.03 * rng.nextNormal()), draws: drawsOf(0.02) };
    const untargeted = Float64Array.from(outcome.logged, (g) => g - 0.01);
    for (const jackknifeOutcome of [outcome.logged, untargeted]) {
      const est = drEstimate(problem, weights, outcome, jackknifeOutcome);
      groups.forEach((g, k) => {
        const moved = Float64Array.from(jackknifeOutcome, (o, j) => o + g.rewards[j] - base.rewards[j]);
        const direct = drFunctional(weights, g.rewards, moved, drawStart, g.draws).estimate;
        expect(Math.abs((est.replicates as Float64Array)[k] - direct)).toBeLessThanOrEqual(1e-12 * Math.abs(direct));
      });
    }
  });

  it("the simplex QP gives the closed form, uniform weights for identical components, and respects the simplex", () => {
    const pi = minVarianceSimplex(Float64Array.from([1, 0, 0, 4]), 2);
    expect(pi[0]).toBeCloseTo(0.8, 12);
    const same = minVarianceSimplex(
      Float64Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1]).map((v, i) => v + (i % 4 === 0 ? 1e-4 : 0)),
      3,
    );
    same.forEach((v) => expect(v).toBeCloseTo(1 / 3, 10));
    // Negative unconstrained optimum: Σ = [[1, 2], [2, 5]] ⇒ π ∝ Σ⁻¹1 = (3, −1) ⇒ clipped to (1, 0).
    expect(Array.from(minVarianceSimplex(Float64Array.from([1, 2, 2, 5]), 2))).toEqual([1, 0]);
  });

  it("SE² = CRV1 + OUA jackknife, df = Satterthwaite, CI = ψ ± t(df)·SE (on the logit scale for a bounded estimator inside (0, 1))", () => {
    const p = toyProblem(200, 5);
    const influence = Float64Array.from({ length: 200 }, (_, i) => Math.sin(i));
    const replicates = Float64Array.from([0.5, 0.52, 0.49, 0.51, 0.55]);
    const est = { estimate: 0.5, influence, replicates, weights: new Float64Array(200).fill(1) };
    const r = offPolicyInterval(p, est, 0.05);
    const crv = clusterRobustVariance(influence, p.clusters, 200);
    const jack = foldJackknifeVariance(replicates);
    expect(r.se ** 2).toBeCloseTo(crv.variance + jack, 14);
    const df = satterthwaiteDegreesOfFreedom(crv.variance, 199, jack, 4);
    expect(r.df).toBe(df);
    expect(r.ci[1] - 0.5).toBeCloseTo(studentTQuantile(0.975, df) * r.se, 12);
    // A bounded estimator's interval is formed on the logit scale (same SE and df) …
    const logitHalf = (studentTQuantile(0.975, df) * r.se) / 0.25;
    const bounded = offPolicyInterval(p, { ...est, estimate: 0.5 }, 0.05, true);
    expect(bounded.se).toBe(r.se);
    expect(bounded.ci[0]).toBeCloseTo(1 / (1 + Math.exp(logitHalf)), 12);
    expect(bounded.ci[1]).toBeCloseTo(1 / (1 + Math.exp(-logitHalf)), 12);
    // … unless the estimate leaves (0, 1): then the symmetric interval, not clipped, shows it.
    const outside = offPolicyInterval(p, { ...est, estimate: 1.2 }, 0.05, true);
    expect(outside.ci[0]).toBeCloseTo(1.2 - studentTQuantile(0.975, df) * r.se, 12);
    expect(outside.ci[1]).toBeCloseTo(1.2 + studentTQuantile(0.975, df) * r.se, 12);
  });
});

describe("TMLE targeting removes a biased outcome model's bias (ε applied to logged rows and fresh draws)", () => {
  it("plug-in off by ≈ 0.1, TMLE within 0.02 of the truth, and ε ≠ 0", () => {
    // S uniform on a 0.05 grid, w(S) = 0.4 + 1.2·S (mean one), E[Y | S] = 0.25 + 0.5·S; fresh S′ drawn from
    // the tilted density w(S)·p(S); outcome model biased by −0.10; clever covariate h = w(S).
    const rng = createRng(21);
    const n = 20000;
    const grid = Array.from({ length: 21 }, (_, k) => k / 20);
    const wOf = (s: number) => 0.4 + 1.2 * s;
    const mu = (s: number) => 0.25 + 0.5 * s;
    const s = Float64Array.from({ length: n }, () => grid[rng.nextInt(21)]);
    const y = Float64Array.from(s, (v) => (rng.nextFloat() < mu(v) ? 1 : 0));
    const total = grid.reduce((a, v) => a + wOf(v), 0);
    const tilted = () => {
      let u = rng.nextFloat() * total;
      for (const v of grid) if ((u -= wOf(v)) < 0) return v;
      return 1;
    };
    const sFresh = Float64Array.from({ length: n }, tilted);
    const truth = grid.reduce((a, v) => a + wOf(v) * mu(v), 0) / total;
    const w = Float64Array.from(s, wOf);
    const g0 = Float64Array.from(s, (v) => mu(v) - 0.1);
    const g0Fresh = Float64Array.from(sFresh, (v) => mu(v) - 0.1);
    const start = Int32Array.from({ length: n + 1 }, (_, i) => i);
    const plugIn = g0Fresh.reduce((a, b) => a + b, 0) / n;
    const fl = solveLogisticFluctuation(g0, y, w);
    const logit = (p: number) => Math.log(p / (1 - p));
    const expit = (x: number) => 1 / (1 + Math.exp(-x));
    const gStar = Float64Array.from(g0, (g, i) => expit(logit(g) + fl.epsilon * w[i]));
    const gStarFresh = Float64Array.from(g0Fresh, (g, i) => expit(logit(g) + fl.epsilon * wOf(sFresh[i])));
    const tmle = drFunctional(w, y, gStar, start, gStarFresh).estimate;
    const loggedOnly = drFunctional(w, y, gStar, start, g0Fresh).estimate;
    expect(Math.abs(plugIn - truth)).toBeGreaterThan(0.07);
    expect(fl.epsilon).not.toBe(0);
    expect(Math.abs(tmle - truth)).toBeLessThan(0.02);
    expect(Math.abs(tmle - plugIn)).toBeGreaterThan(0.05);
    // Shifting only the logged side zeroes the weighted residual and collapses to the plug-in.
    expect(Math.abs(loggedOnly - plugIn)).toBeLessThan(0.01);
  });
});
