import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { analyze, evaluationDataFromRecords, type EvaluationData } from "@cjeval/core";
import { simulateWorld } from "@cjeval/core/advanced";
import { describe, expect, it } from "vitest";
import { sampleForLabelling, withSampleLabels, type DesignRequest } from "../src/index.js";

/**
 * End to end on a synthetic world with known truth: a good logging policy (its answers sit mostly
 * where the judge is sure), two policies evaluated through the calibrator alone, 1,000 prompts,
 * 100 oracle labels on the logging policy chosen by each design, and 50 historical labels (an
 * independent draw) that inform the designs and the calibrator alike. Each replication analyses
 * the design-weighted labels with `analyze` (analytic inference).
 */
const POLICIES = [
  { name: "base", shift: 1 },
  { name: "better", shift: 1.3 },
  { name: "worse", shift: 0.7 },
];
const REPLICATIONS = 200;
const BUDGET = 100;
const UNIT = { min: 0, max: 1 };

const DESIGNS: [string, DesignRequest][] = [
  ["simple-random", { kind: "simple-random" }],
  ["stratified-proportional", { kind: "stratified", allocation: "proportional" }],
  ["stratified-neyman", { kind: "stratified", allocation: "neyman" }],
  ["active", { kind: "active" }],
];

interface Tally {
  errors: number[];
  widths: number[];
  covered: number;
}

function replicate(rep: number): { data: EvaluationData; hidden: Map<string, number>; truth: Record<string, number> } {
  const world = simulateWorld({ policies: POLICIES, prompts: 1000, oracleShare: 1, seed: 500 + rep });
  const history = simulateWorld({ policies: POLICIES, prompts: 1000, oracleShare: 0.05, seed: 90_000 + rep });
  const calibration = history.records
    .filter((r) => r.oracle_label !== undefined)
    .map((r) => ({ prompt_id: `history-${r.prompt_id as string}`, judge_score: r.judge_score, oracle_label: r.oracle_label }));
  const hidden = new Map(world.records.filter((r) => r.oracle_label !== undefined).map((r) => [r.prompt_id as string, r.oracle_label as number]));
  const unlabelled = world.records.map(({ oracle_label: _label, ...rest }) => rest);
  return { data: evaluationDataFromRecords(unlabelled, { calibration, judgeScale: UNIT, oracleScale: UNIT }), hidden, truth: world.truth };
}

const tallies = new Map<string, Map<string, Tally>>(
  DESIGNS.map(([name]) => [name, new Map(POLICIES.map((p) => [p.name, { errors: [], widths: [], covered: 0 }]))]),
);
for (let rep = 0; rep < REPLICATIONS; rep++) {
  const { data, hidden, truth } = replicate(rep);
  for (const [name, design] of DESIGNS) {
    const sample = sampleForLabelling(data, { design, budget: BUDGET, seed: rep + 1, policies: ["base"] });
    const labels = sample.rows.map((r) => ({
      policy: r.policy,
      promptId: r.prompt_id,
      drawIdx: r.draw_idx,
      label: hidden.get(r.prompt_id) as number,
      inclusion: r.oracle_inclusion_probability,
    }));
    const result = analyze(withSampleLabels(data, labels), { inference: "analytic" });
    for (const p of result.policies) {
      const t = tallies.get(name)?.get(p.policy) as Tally;
      const [lo, hi] = p.ci as [number, number];
      t.errors.push((p.estimate as number) - truth[p.policy]);
      t.widths.push(hi - lo);
      if (lo <= truth[p.policy] && truth[p.policy] <= hi) t.covered++;
    }
  }
}

const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
const meanWidth = (design: string) => mean([...(tallies.get(design) as Map<string, Tally>).values()].map((t) => mean(t.widths)));
const summary = Object.fromEntries(
  DESIGNS.map(([name]) => [
    name,
    {
      mean_ci_width: meanWidth(name),
      width_ratio_vs_simple_random: meanWidth(name) / meanWidth("simple-random"),
      policies: Object.fromEntries(
        [...(tallies.get(name) as Map<string, Tally>)].map(([policy, t]) => {
          const bias = mean(t.errors);
          const sd = Math.sqrt(t.errors.reduce((a, e) => a + (e - bias) ** 2, 0) / (t.errors.length - 1));
          return [policy, { bias, mc_se: sd / Math.sqrt(t.errors.length), coverage: t.covered / REPLICATIONS, mean_ci_width: mean(t.widths) }];
        }),
      ),
    },
  ]),
);
const artifacts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../test-artifacts");
mkdirSync(artifacts, { recursive: true });
writeFileSync(path.join(artifacts, "design-monte-carlo.json"), `${JSON.stringify(summary, null, 2)}\n`);

describe.each(DESIGNS.slice(1).map(([name]) => name))(`%s design, ${REPLICATIONS} replications`, (design) => {
  it.each(POLICIES.map((p) => p.name))("%s: unbiased (|bias| < 3 Monte Carlo SE) with 95%% CI coverage in [0.90, 0.99]", (policy) => {
    const s = summary[design].policies[policy];
    expect(Math.abs(s.bias)).toBeLessThan(3 * s.mc_se);
    expect(s.coverage).toBeGreaterThanOrEqual(0.9);
    expect(s.coverage).toBeLessThanOrEqual(0.99);
  });
});

describe("design efficiency at the same budget", () => {
  it.each(["stratified-neyman", "active"])("%s gives a narrower mean 95%% CI than simple random sampling", (design) => {
    expect(summary[design].width_ratio_vs_simple_random).toBeLessThan(0.97);
  });
});
