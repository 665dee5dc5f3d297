/**
 * The interval-efficiency check of interval-efficiency.test.ts on REAL judge → oracle pairs: the
 * resampled Arena world (test/helpers/arena-world.ts) draws whole (S, Y) pairs from the Arena sample's
 * 480 labelled base rows, so every truth is exact. `base` carries a simple random sample of labels
 * (augmented route); `tilted_up` / `tilted_down` draw with probability ∝ exp(±3·S) and go through the
 * calibrator alone. The estimate is the one of the synthetic cells (`directCellOf`: buildEvalTable +
 * estimateDirect analytic, the labelled rows as the calibration source).
 *
 * Measured (seed 75 000, 300 replications; 2 000 replications in brackets):
 *   n = 1000, 10% labels: base 0.927 ×0.95 [0.941 ×0.98] | tilted_up 0.940 ×0.98 [0.942 ×1.01] | tilted_down 0.840 ×1.00 [0.858 ×1.05]
 *   n = 250, 25% labels:  base 0.950 ×1.02 [0.958 ×1.05] | tilted_up 0.933 ×1.05 [0.950 ×1.08] | tilted_down 0.847 ×1.11 [0.888 ×1.09]
 * (coverage ×width/ideal); over seeds 75 000–78 000 width/ideal stayed within 0.95–1.12 in these cells.
 * Paired comparisons: no wrong-direction significance (0.000); right-direction 0.35 and 0.19.
 *
 * KNOWN SHORTFALL — tilted_down under-covers (0.82–0.90 at 200–300 replications, 0.86–0.89 at 2 000, in every
 * cell of the bench grid) at about the ideal MEAN width. Its tilt puts 13% of its mass on judge scores
 * 0.1 and 0.2, which only 9 of the 480 pairs have (Y means 0.56 and 0.17: E[Y | S] is not monotone
 * there). With 100 labels, 15% of replications have no label at S ≤ 0.2; the calibrator then
 * extrapolates ~0.6 from S = 0.45–0.7, the error is +0.025 on average and the calibration jackknife
 * cannot see it (those replications cover 0.76). The t-statistic's SD is 1.38: the interval's width
 * does not track the error, though its mean does. The isotonic limit's own bias is small (−0.006).
 * Coverage recovers with a milder tilt (λ = 1: 0.948, 1.5: 0.937) and drops with a stronger (λ = 5: 0.72).
 * Neither the labelled-cluster bootstrap (0.83–0.85) nor kurtosis-based jackknife df (0.85–0.89, at 1.3× the
 * width) closes it. `analyze` flags tilted_down (LOW-LABEL-SUPPORT or REFUSE-LEVEL) in 82% of replications at
 * n = 1000 × 10% (the unflagged ones cover 0.925) but in only 39% at 25% (unflagged: 0.85).
 * The goal assertions over all three policies are therefore `it.fails` below: they document the gap
 * and turn red when it closes.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { arenaCell, arenaPopulation, arenaTruth } from "../helpers/arena-world.js";
import type { Cell } from "../helpers/interval-grid.js";

/** Width/ideal bounds: 1.4× the narrowest measured ratio (0.95) is 1.33, above the upper bound. */
const MIN_WIDTH_RATIO = 0.85;
const MAX_WIDTH_RATIO = 1.2;

describe("the resampled Arena population", () => {
  it("is the 480 oracle-labelled base rows, with exact truths", () => {
    const { scores, labels } = arenaPopulation();
    expect(scores.length).toBe(480);
    expect(labels.length).toBe(480);
    const truth = arenaTruth();
    expect(truth.base).toBeCloseTo(0.7540625, 10); // the mean of the 480 labels
    expect(truth.tilted_up).toBeCloseTo(0.7793, 4);
    expect(truth.tilted_down).toBeCloseTo(0.6925, 4);
  });
});

describe.each([
  [1000, 0.1],
  [250, 0.25],
])("resampled Arena, Direct analytic, n = %i, label share %d (300 replications)", (n, share) => {
  let cell: Cell;
  beforeAll(() => {
    cell = arenaCell({ n, share, reps: 300, seed: 75_000 });
    expect(cell.policies.map((p) => p.policy)).toEqual(["base", "tilted_up", "tilted_down"]);
  });

  it("base and tilted_up: pooled coverage 0.93–0.97, each ≥ 0.90", () => {
    const covering = cell.policies.slice(0, 2);
    const pooled = covering.reduce((a, p) => a + p.coverage, 0) / covering.length;
    expect(pooled).toBeGreaterThanOrEqual(0.93);
    expect(pooled).toBeLessThanOrEqual(0.97);
    for (const p of covering) expect(p.coverage, p.policy).toBeGreaterThanOrEqual(0.9);
  });

  it(`every policy's mean width is ${MIN_WIDTH_RATIO}–${MAX_WIDTH_RATIO}× the ideal`, () => {
    for (const p of cell.policies) {
      expect(p.widthRatio, p.policy).toBeGreaterThanOrEqual(MIN_WIDTH_RATIO);
      expect(p.widthRatio, p.policy).toBeLessThanOrEqual(MAX_WIDTH_RATIO);
    }
  });

  it("at most 3% of paired comparisons are significant in the wrong direction", () => {
    expect(cell.wrongDirection).toBeLessThanOrEqual(0.03);
  });

  // Expected to fail (see the module comment): tilted_down covers 0.84–0.85 here.
  it.fails("KNOWN SHORTFALL: pooled coverage over all three policies 0.93–0.97 and each ≥ 0.90", () => {
    expect(cell.pooledCoverage).toBeGreaterThanOrEqual(0.93);
    expect(cell.pooledCoverage).toBeLessThanOrEqual(0.97);
    for (const p of cell.policies) expect(p.coverage, p.policy).toBeGreaterThanOrEqual(0.9);
  });
});

describe("resampled Arena, Direct analytic, n = 250, 5% labels (13; 1,500 replications)", () => {
  // Few labels crowded toward the top of the scale (mostly 0.7–0.9, a tail to 0): a sample that misses
  // the tail gives a high estimate and a small SE together, so a symmetric interval misses on the
  // high side. The t interval on the logit scale (numeric/analytic-interval.ts) leans with the
  // estimate. Measured on these replications (symmetric, clipped → logit): base 0.933 → 0.945,
  // tilted_up 0.913 → 0.934 coverage; intervals above the truth 0.063 → 0.045 and 0.082 → 0.058;
  // width/ideal 1.13 → 1.12 and 1.18 → 1.17. (4,000 replications: 0.931 → 0.944, 0.917 → 0.933.)
  let cell: Cell;
  beforeAll(() => {
    cell = arenaCell({ n: 250, share: 0.05, reps: 1500, seed: 91_000 });
  });

  it("base and tilted_up: pooled coverage ≥ 0.93, and at most 6% of intervals lie above the truth", () => {
    const [base, up] = cell.policies;
    expect((base.coverage + up.coverage) / 2).toBeGreaterThanOrEqual(0.93);
    expect((base.missAbove + up.missAbove) / 2).toBeLessThanOrEqual(0.06);
  });

  it(`every policy's mean width is ${MIN_WIDTH_RATIO}–${MAX_WIDTH_RATIO}× the ideal`, () => {
    for (const p of cell.policies) {
      expect(p.widthRatio, p.policy).toBeGreaterThanOrEqual(MIN_WIDTH_RATIO);
      expect(p.widthRatio, p.policy).toBeLessThanOrEqual(MAX_WIDTH_RATIO);
    }
  });
});
