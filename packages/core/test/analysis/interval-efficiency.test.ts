/**
 * Width efficiency as a tested property (issue 14): 95% intervals cover within [0.93, 0.97] and are
 * at most 1.15× the ideal width 2 · 1.96 · SD(estimate), in seeded Monte Carlo worlds with a lenient
 * judge on a 0.05 grid (and a coarse 0.2 grid), a labelled base policy (augmented) and two policies
 * evaluated through the calibrator alone. The cells here are the regime where the claim holds
 * (≥ 50 labels), plus the labelled policy alone down to 20 labels, and — with the bounds they meet —
 * policies through the calibrator alone with 13 and 5 labels; `npm run bench` prints the whole grid.
 */
import { describe, expect, it } from "vitest";
import { directCell, stackedDrCell, type Cell } from "../helpers/interval-grid.js";

function expectEfficient(cell: Cell, minCoverage = 0.93): void {
  expect(cell.pooledCoverage).toBeGreaterThanOrEqual(minCoverage);
  expect(cell.pooledCoverage).toBeLessThanOrEqual(0.97);
  for (const p of cell.policies) {
    expect(p.coverage, p.policy).toBeGreaterThanOrEqual(0.9);
    expect(p.widthRatio, p.policy).toBeLessThanOrEqual(1.15);
    // Not over-shrunk either: an interval narrower than 0.85 × ideal could not cover 93%.
    expect(p.widthRatio, p.policy).toBeGreaterThanOrEqual(0.85);
  }
}

describe("Direct analytic intervals: coverage 0.93–0.97 at ≤ 1.15× the ideal width", () => {
  it.each([
    [1000, 0.05],
    [1000, 0.25],
    [250, 0.25],
    [4000, 0.02],
    [4000, 0.1],
  ])("n = %i, label share %d (300 replications)", (n, share) => {
    expectEfficient(directCell({ n, share, reps: 300, seed: 70_000 }));
  });

  it("with a coarse judge (five score levels), n = 1000, 10% labels", () => {
    expectEfficient(directCell({ n: 1000, share: 0.1, reps: 300, seed: 71_000, judgeSteps: 5 }));
  });

  // A policy with labels of its own (residual-augmented) has no calibration jackknife to pay for: its
  // stratified pseudo-outcome variance with labelled-cluster df keeps it efficient with 20–25 labels
  // (measured: 1.00× at 0.93 and 1.07× at 0.96; it was 1.19× and 1.28× with the jackknife added).
  it.each([
    [1000, 0.02],
    [250, 0.1],
  ])("the labelled policy at n = %i, label share %d: covers ≥ 0.92 at 0.85–1.15× the ideal width (300 replications)", (n, share) => {
    const base = directCell({ n, share, reps: 300, seed: 70_000 }).policies[0];
    expect(base.policy).toBe("base");
    expect(base.coverage).toBeGreaterThanOrEqual(0.92);
    expect(base.coverage).toBeLessThanOrEqual(0.97);
    expect(base.widthRatio).toBeLessThanOrEqual(1.15);
    expect(base.widthRatio).toBeGreaterThanOrEqual(0.85);
  });
});

describe("plug-in policies with few labels: valid, and no wider than their labels' residual df make them", () => {
  // The calibration jackknife's df are min(J − 1, c − level sets of the fit) (calibration/jackknife-groups.ts),
  // and the t interval is formed on the logit scale (numeric/analytic-interval.ts). On these 300 replications:
  // 13 labels 1.15–1.26× at coverage 0.950–0.957, 5 labels 1.45–1.52× at 0.947–0.953; the symmetric interval
  // clipped to [0, 1] gave 1.21–1.32× and 1.54–1.61×. The earlier df cap ⌊c/2⌋ − 1 gave 1.36–1.43× and
  // 1.86–1.88× (400 replications); t at J − 1 df covered 0.90 with 5 labels. No valid t interval from c labels
  // is narrower than c₄(c) · t₀.₉₇₅(c − 1)/1.96 × the ideal: 1.10× at 13, 1.33× at 5.
  it.each([
    [250, 0.05, 1.29],
    [250, 0.02, 1.57],
  ])("n = %i, label share %d: each covers ≥ 0.92 at ≤ %d× the ideal width (300 replications)", (n, share, maxWidth) => {
    const plugIn = directCell({ n, share, reps: 300, seed: 70_000 }).policies.slice(1);
    expect(plugIn.map((p) => p.policy)).toEqual(["better", "worse"]);
    for (const p of plugIn) {
      expect(p.coverage, p.policy).toBeGreaterThanOrEqual(0.92);
      expect(p.coverage, p.policy).toBeLessThanOrEqual(0.97);
      expect(p.widthRatio, p.policy).toBeLessThanOrEqual(maxWidth);
    }
  });
});

describe("paired comparisons of the labelled policy with policies through the calibrator alone", () => {
  // Both estimates move with the same labels (the calibrator is mean-preserving), so their difference is far
  // more precise than either. The comparison takes the labels' part from the jackknife of the difference,
  // each replicate deleting its group's labels from the calibrator and from the residual mean (direct.ts,
  // analyticComparisons), with the residuals moving with the group-deleted full model rather than with
  // refitted cross-fitting folds (DirectWorld.refitInputs). Measured on these replications (width / ideal,
  // coverage), adding the two variances → the jackknife of the difference with refitted folds → with the shift:
  //   1000 × 25%: 2.79–2.98× (1.000) → 1.04–1.05× (0.970–0.973) → 1.00–1.01× (0.953–0.960)
  //   1000 × 5%:  3.35–3.85× (1.000) → 1.43–1.56× (0.997–1.000) → 1.14–1.20× (0.953–0.977)
  //   250 × 5%:   2.9–3.3×           → 1.82–1.86× (0.987–0.997) → 1.51× (0.977–0.990)
  //   250 × 2% (5 labels): 4.2×      → 4.1×                     → 1.86–1.88× (0.967–0.990)
  it.each([
    [1000, 0.25, 1.1],
    [1000, 0.05, 1.3],
    [250, 0.05, 1.65],
    [250, 0.02, 2.1],
  ])("n = %i, label share %d: cover ≥ 0.93 at ≤ %d× the ideal width (300 replications)", (n, share, maxWidth) => {
    const coupled = directCell({ n, share, reps: 300, seed: 70_000 }).pairs.filter((p) => p.pair.startsWith("base-"));
    expect(coupled.map((p) => p.pair)).toEqual(["base-better", "base-worse"]);
    for (const p of coupled) {
      expect(p.coverage, p.pair).toBeGreaterThanOrEqual(0.93);
      expect(p.widthRatio, p.pair).toBeLessThanOrEqual(maxWidth);
    }
  });
});

describe("stacked-DR intervals", () => {
  // Measured on these 1,000 replications: coverage 0.941 at 1.04× the ideal width (the five-fold jackknife gave
  // 1.0 at 1.55×); on 4,500 others 0.949–0.954 at 1.01–1.08×. The first 150 of these read 0.920 and the first
  // 300 0.913, and the bound here had been lowered to 0.90 for them: it was Monte Carlo noise.
  it("n = 500, 25% labels: coverage 0.93–0.97 at ≤ 1.15× the ideal width (1,000 replications)", () => {
    expectEfficient(stackedDrCell({ n: 500, share: 0.25, reps: 1000, seed: 73_000 }));
  });

  // 25 labels, binary, and a target that shifts mass to high scores: the estimate is biased by about
  // 0.24 SD. On the logit scale (numeric/analytic-interval.ts) the interval leans with the estimate.
  // Measured on these replications: coverage 0.930 at 1.06× the ideal width; the symmetric interval
  // covered 0.907 at 1.18×.
  it("n = 500, 5% labels: coverage ≥ 0.92 at ≤ 1.12× the ideal width (300 replications)", () => {
    const [target] = stackedDrCell({ n: 500, share: 0.05, reps: 300, seed: 73_000 }).policies;
    expect(target.coverage).toBeGreaterThanOrEqual(0.92);
    expect(target.widthRatio).toBeLessThanOrEqual(1.12);
  });
});

describe("paired comparisons between close policies (issue 14: wrong-direction significance ≤ 3%)", () => {
  // True values 0.473, 0.501, 0.528, 0.555: adjacent gaps of 0.027, which 5% labels resolve about half the time.
  const close = [
    { name: "base", shift: 0 },
    { name: "up", shift: 0.1 },
    { name: "down", shift: -0.1 },
    { name: "up2", shift: 0.2 },
  ];
  // Measured (these 200 replications): wrong 0.000 at both shares; right 0.91 at 5% and 1.00 at 25% labels — half
  // the pairs compare the labelled base with a policy through the calibrator. Before those took the labels' part
  // from the jackknife of their difference (analyticComparisons) the power was 0.50 and 0.68, and 0.79 at 5% while
  // that jackknife refitted the cross-fitting folds. The power bound fails if intervals grow wider than the data
  // need, the wrong-direction bound if they under-cover.
  it.each([
    [0.05, 0.85],
    [0.25, 0.9],
  ])(
    "label share %d: at most 3 percent of comparisons significant in the wrong direction, a share ≥ %d in the right one (200 replications)",
    (share, power) => {
      const cell = directCell({ n: 1000, share, reps: 200, seed: 74_000, policies: close });
      expect(cell.wrongDirection).toBeLessThanOrEqual(0.03);
      expect(cell.rightDirection).toBeGreaterThanOrEqual(power);
    },
  );
});
