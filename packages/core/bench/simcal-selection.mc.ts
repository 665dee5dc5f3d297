/**
 * Monte Carlo of calibrated IPS with the variance-only SIMCal-W selection (the reference's, method-ope
 * §6.4 step 7) against the bias-aware MSE selection (default), with SNIPS for context, in the
 * synthetic off-policy world with exact ratios (test/estimators/ope-world.ts): a uniform logger and
 * four targets whose weights rise (or, for `worse`, fall) with the judge score, so the weights matter.
 * Per cell n × label share, seeded replications; prints RMSE, mean |bias|, 95% coverage and the share
 * of the 6 target pairs ranked in the true order.
 *
 * Run (about 1 min on the 2-core machine; REPS overrides the 25 replications per cell):
 *   cd packages/core && npx vitest run --config bench/vitest.config.ts bench/simcal-selection.mc.ts
 */
import { it } from "vitest";
import { analyzeOffPolicy } from "../src/analysis/analyze-off-policy.js";
import { loggedDataFromRecords } from "../src/off-policy/logged.js";
import { simulateOpeTargets } from "../test/off-policy/ope-world-targets.js";

const TARGETS = { worse: { theta: -0.5 }, mild: { theta: 0.8 }, tilted: { theta: 1.5, tilt: 0.2 }, strong: { theta: 3 } };
const REPS = Number(process.env.REPS ?? 25);
const RUNS = [
  { name: "snips", options: { estimator: "snips" } },
  { name: "calibrated-ips, variance selection (old)", options: { estimator: "calibrated-ips", simcalSelection: "variance" as const } },
  { name: "calibrated-ips, MSE selection (new)", options: { estimator: "calibrated-ips" } },
];

interface Tally {
  sq: number;
  abs: number;
  covered: number;
  count: number;
  pairsRight: number;
  pairs: number;
}

it("SIMCal-W selection: variance-only vs bias-aware MSE", () => {
  const overall = RUNS.map((): Tally => ({ sq: 0, abs: 0, covered: 0, count: 0, pairsRight: 0, pairs: 0 }));
  const lines: string[] = [];
  for (const [n, share] of [
    [500, 0.05],
    [500, 0.25],
    [1000, 0.05],
    [1000, 0.25],
  ] as const) {
    const cell = RUNS.map((): Tally => ({ sq: 0, abs: 0, covered: 0, count: 0, pairsRight: 0, pairs: 0 }));
    for (let rep = 0; rep < REPS; rep++) {
      const world = simulateOpeTargets({ logger: { theta: 0 }, n, labelShare: share, seed: 90_000 + Math.round(100_000 * share) + n + rep }, TARGETS);
      const logged = loggedDataFromRecords(world.logged);
      RUNS.forEach((run, k) => {
        const r = analyzeOffPolicy(logged, null, run.options);
        for (const t of [cell[k], overall[k]]) {
          for (const p of r.policies) {
            const e = (p.estimate as number) - world.truth[p.policy];
            t.sq += e * e;
            t.abs += Math.abs(e);
            t.count++;
            if ((p.ci[0] as number) <= world.truth[p.policy] && world.truth[p.policy] <= (p.ci[1] as number)) t.covered++;
          }
          for (let a = 0; a < r.policies.length; a++) {
            for (let b = a + 1; b < r.policies.length; b++) {
              const pa = r.policies[a];
              const pb = r.policies[b];
              const truthOrder = Math.sign(world.truth[pa.policy] - world.truth[pb.policy]);
              if (Math.sign((pa.estimate as number) - (pb.estimate as number)) === truthOrder) t.pairsRight++;
              t.pairs++;
            }
          }
        }
      });
    }
    lines.push(`n = ${n}, ${share * 100}% labels, ${REPS} replications × 4 targets`);
    RUNS.forEach((run, k) => lines.push(row(run.name, cell[k])));
  }
  lines.push(`all cells (${4 * REPS} replications × 4 targets)`);
  RUNS.forEach((run, k) => lines.push(row(run.name, overall[k])));
  console.log(lines.join("\n"));
});

function row(name: string, t: Tally): string {
  const f = (x: number) => x.toFixed(3);
  return `  ${name.padEnd(42)} RMSE ${f(Math.sqrt(t.sq / t.count))}  mean|bias| ${f(t.abs / t.count)}  coverage ${((100 * t.covered) / t.count).toFixed(1)}%  pairwise ${((100 * t.pairsRight) / t.pairs).toFixed(1)}%`;
}
