import { chiSquareSf } from "@cjeval/core/advanced";
import { describe, expect, it } from "vitest";
import {
  allocateStrata,
  buildFrame,
  drawSample,
  permanentRandomNumbers,
  planDesign,
  prepareDesign,
  proportionalInclusion,
  scoreCuts,
  type DesignPlan,
  type DesignRequest,
} from "../src/index.js";
import { worldData } from "./helpers.js";

const DRAWS = 2000;
const BUDGET = 40;
const data = worldData(150, 0.2);
const frame = buildFrame(data);

/**
 * Pearson statistic of inclusion counts X_i over R independent draws against R·π_i. Poisson designs:
 * Σ (X − Rπ)²/(Rπ(1 − π)) ~ χ²(#rows). Fixed-size strata: each stratum's counts sum to R·m_h, so
 * its statistic is scaled by (N_h − 1)/N_h and has N_h − 1 degrees of freedom. Certain rows (π = 1)
 * carry no information and are left out.
 */
function inclusionChiSquare(plan: DesignPlan, counts: Int32Array, draws: number): { statistic: number; df: number } {
  const pi = plan.inclusion;
  const term = (i: number) => (counts[i] - draws * pi[i]) ** 2 / (draws * pi[i] * (1 - pi[i]));
  if (plan.selection.kind === "poisson") {
    let statistic = 0;
    let df = 0;
    pi.forEach((p, i) => {
      if (p < 1) {
        statistic += term(i);
        df++;
      }
    });
    return { statistic, df };
  }
  const { stratum, sizes } = plan.selection;
  let statistic = 0;
  let df = 0;
  sizes.forEach((_, h) => {
    const rows = Array.from(stratum.keys()).filter((i) => stratum[i] === h && pi[i] < 1);
    if (rows.length < 2) return;
    statistic += (rows.reduce((s, i) => s + term(i), 0) * (rows.length - 1)) / rows.length;
    df += rows.length - 1;
  });
  return { statistic, df };
}

/** A study variable correlated with the score and the policy, known on every row. */
const y = Float64Array.from(frame.rows, (r) => r.score * r.score + (r.policy === "base" ? 0.3 : 0));
const yMean = y.reduce((a, v) => a + v, 0) / y.length;

const REQUESTS: [string, DesignRequest][] = [
  ["simple random", { kind: "simple-random" }],
  ["stratified, proportional", { kind: "stratified", allocation: "proportional" }],
  ["stratified, Neyman", { kind: "stratified", allocation: "neyman" }],
  ["per-policy, equal", { kind: "per-policy", allocation: "equal" }],
  ["Poisson, size ∝ field", { kind: "poisson", sizeField: "size" }],
  ["active", { kind: "active" }],
];

describe.each(REQUESTS)("%s design over 2,000 seeded draws", (_, request) => {
  const { spec } = prepareDesign(frame, request, BUDGET);
  const plan = planDesign(frame, spec, BUDGET);
  const counts = new Int32Array(frame.rows.length);
  const ht: number[] = [];
  const sizes: number[] = [];
  for (let seed = 1; seed <= DRAWS; seed++) {
    const selected = drawSample(plan, permanentRandomNumbers(frame.rows.length, seed));
    let total = 0;
    for (const i of selected) {
      counts[i]++;
      total += y[i] / plan.inclusion[i];
    }
    ht.push(total / frame.rows.length);
    sizes.push(selected.length);
  }

  it("gives every row a positive π and spends the budget in expectation", () => {
    expect(Math.min(...plan.inclusion)).toBeGreaterThan(0);
    expect(plan.inclusion.reduce((a, p) => a + p, 0)).toBeCloseTo(BUDGET, 9);
    if (plan.selection.kind === "stratified") expect(new Set(sizes)).toEqual(new Set([BUDGET]));
  });

  it("includes rows with empirical frequencies matching π (chi-square, α = 0.001)", () => {
    const { statistic, df } = inclusionChiSquare(plan, counts, DRAWS);
    expect(df).toBeGreaterThan(100);
    expect(chiSquareSf(statistic, df)).toBeGreaterThan(0.001);
  });

  it("gives Horvitz–Thompson means within 3 Monte Carlo SE of the population mean", () => {
    const mean = ht.reduce((a, v) => a + v, 0) / DRAWS;
    const sd = Math.sqrt(ht.reduce((a, v) => a + (v - mean) ** 2, 0) / (DRAWS - 1));
    expect(Math.abs(mean - yMean)).toBeLessThan((3 * sd) / Math.sqrt(DRAWS));
  });
});

describe("the chi-square check can fail", () => {
  it("rejects inclusion frequencies drawn with probabilities other than the recorded π", () => {
    const plan = planDesign(frame, prepareDesign(frame, { kind: "active" }, BUDGET).spec, BUDGET);
    const wrong: DesignPlan = { ...plan, inclusion: proportionalInclusion(new Float64Array(frame.rows.length).fill(1), BUDGET) };
    const counts = new Int32Array(frame.rows.length);
    for (let seed = 1; seed <= DRAWS; seed++) for (const i of drawSample(plan, permanentRandomNumbers(frame.rows.length, seed))) counts[i]++;
    const { statistic, df } = inclusionChiSquare(wrong, counts, DRAWS);
    expect(chiSquareSf(statistic, df)).toBeLessThan(0.001);
  });
});

describe("nested rounds", () => {
  it.each(REQUESTS)("%s: a larger budget with the same seed draws a superset, with π never decreasing", (_, request) => {
    const { spec } = prepareDesign(frame, request, BUDGET);
    const prn = permanentRandomNumbers(frame.rows.length, 7);
    let previous: Set<number> = new Set();
    let previousPi: Float64Array | null = null;
    for (const budget of [BUDGET, 60, 90, 130]) {
      const plan = planDesign(frame, spec, budget);
      const current = new Set(drawSample(plan, prn));
      for (const i of previous) expect(current.has(i)).toBe(true);
      if (previousPi !== null) plan.inclusion.forEach((p, i) => expect(p).toBeGreaterThanOrEqual((previousPi as Float64Array)[i] - 1e-12));
      previous = current;
      previousPi = plan.inclusion;
    }
  });
});

describe("allocation and inclusion helpers", () => {
  it("allocateStrata gives the exact optimal integer Neyman allocation (brute force on a small case)", () => {
    const N = [30, 12, 50];
    const sigma = [0.1, 0.4, 0.2];
    const m = allocateStrata(
      N.map((n, h) => n * sigma[h]),
      N,
      20,
    );
    const variance = (a: number[]) => a.reduce((s, mh, h) => s + (N[h] * sigma[h]) ** 2 / mh, 0);
    let best = Infinity;
    for (let a = 1; a <= 18; a++) for (let b = 1; b <= Math.min(12, 19 - a); b++) best = Math.min(best, variance([a, b, 20 - a - b]));
    expect(variance(Array.from(m))).toBeCloseTo(best, 12);
    expect(m.reduce((a, v) => a + v, 0)).toBe(20);
  });

  it("allocateStrata never shrinks a stratum when the budget grows, and respects 1 ≤ m_h ≤ N_h", () => {
    const N = [3, 40, 9, 25];
    let previous = allocateStrata([3, 40, 9, 25], N, 4);
    for (let budget = 5; budget <= 77; budget++) {
      const m = allocateStrata([3, 40, 9, 25], N, budget);
      m.forEach((mh, h) => {
        expect(mh).toBeGreaterThanOrEqual(previous[h]);
        expect(mh).toBeLessThanOrEqual(N[h]);
      });
      previous = m;
    }
    expect(() => allocateStrata([1, 1], [5, 5], 1)).toThrow(/between 2/);
  });

  it("proportionalInclusion caps at 1, keeps the floor and spends the budget", () => {
    const pi = proportionalInclusion([100, 1, 1, 1, 0], 2.5, 0.1);
    expect(pi[0]).toBe(1);
    expect(pi[4]).toBeCloseTo(0.1, 12);
    expect(pi.reduce((a, p) => a + p, 0)).toBeCloseTo(2.5, 12);
    expect(pi[1]).toBeCloseTo(pi[2], 15);
    expect(() => proportionalInclusion([1, 1, 1], 0.2, 0.1)).toThrow(/floor/);
  });

  it("scoreCuts keeps equal scores in one stratum", () => {
    expect(scoreCuts([0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.1, 0.5, 0.9, 0.95], 5)).toEqual([0.85, 0.9]);
  });

  it("active priorities are scaled to a maximum of 1 and the default floor is a quarter of the uniform rate", () => {
    const { spec } = prepareDesign(frame, { kind: "active" }, BUDGET);
    if (spec.kind !== "active") throw new Error("expected an active spec");
    expect(Math.max(...spec.priority)).toBe(1);
    expect(spec.floor).toBeCloseTo((0.25 * BUDGET) / frame.rows.length, 12);
  });
});
