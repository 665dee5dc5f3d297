import { evaluationDataFromRecords, type EvaluationData } from "@cjeval/core";
import { simulateWorld } from "@cjeval/core/advanced";
import { describe, expect, it } from "vitest";
import { decideAfterRound, itemIdOf, labelInRounds, lookAlpha, validateRoundsPlan, type Oracle, type RoundsPlan } from "../src/index.js";

const POLICIES = [
  { name: "base", shift: 1 },
  { name: "better", shift: 1.3 },
];
const UNIT = { min: 0, max: 1 };

/** A world without labels, and an oracle that knows every base row's label (and counts its calls). */
function world(seed: number, prompts = 600): { data: EvaluationData; oracle: Oracle & { asked: string[] }; truth: Record<string, number> } {
  const w = simulateWorld({ policies: POLICIES, prompts, oracleShare: 1, seed });
  const hidden = new Map(
    w.records
      .filter((r) => r.oracle_label !== undefined)
      .map((r) => [itemIdOf({ policy: "base", promptId: r.prompt_id as string, drawIdx: 0 }), r.oracle_label as number]),
  );
  const asked: string[] = [];
  const oracle = {
    id: "simulated",
    scale: UNIT,
    asked,
    async label(item: { itemId: string }) {
      asked.push(item.itemId);
      const label = hidden.get(item.itemId);
      if (label === undefined) throw new Error(`no hidden label for ${item.itemId}`);
      return { label };
    },
  };
  const data = evaluationDataFromRecords(
    w.records.map(({ oracle_label: _y, ...rest }) => rest),
    { judgeScale: UNIT, oracleScale: UNIT },
  );
  return { data, oracle, truth: w.truth };
}

describe("the stopping rule", () => {
  const plan: RoundsPlan = { schedule: [50, 100, 150], targetHalfWidth: 0.04, alpha: 0.05, policies: ["a"] };

  it("stops when every watched half-width reaches the target, else continues until the schedule ends", () => {
    expect(decideAfterRound(plan, 0, { a: 0.039, b: 0.2 })).toEqual({ action: "stop", reason: "target_reached" });
    expect(decideAfterRound(plan, 0, { a: 0.041, b: 0.01 })).toEqual({ action: "continue", nextBudget: 100 });
    expect(decideAfterRound(plan, 1, { a: null })).toEqual({ action: "continue", nextBudget: 150 });
    expect(decideAfterRound(plan, 2, { a: 0.05 })).toEqual({ action: "stop", reason: "budget_spent" });
    expect(decideAfterRound({ ...plan, policies: undefined }, 0, { a: 0.01, b: 0.05 })).toMatchObject({ action: "continue" });
  });

  it("analyses every look at α/K and refuses malformed plans", () => {
    expect(lookAlpha(plan)).toBeCloseTo(0.05 / 3, 15);
    expect(() => validateRoundsPlan({ ...plan, schedule: [50, 50] })).toThrow(/schedule\[1\]/);
    expect(() => validateRoundsPlan({ ...plan, schedule: [] })).toThrow(/at least one round/);
    expect(() => validateRoundsPlan({ ...plan, targetHalfWidth: 0 })).toThrow(/targetHalfWidth/);
    expect(() => validateRoundsPlan({ ...plan, alpha: 1 })).toThrow(/alpha/);
  });
});

describe("labelInRounds", () => {
  const plan: RoundsPlan = { schedule: [40, 80, 120], targetHalfWidth: 0.001, policies: ["base"] };

  it("labels nested samples, asking the oracle once per item, and analyses the last look at α/K", async () => {
    const { data, oracle } = world(3);
    const persisted: string[] = [];
    const run = await labelInRounds({
      data,
      design: { kind: "stratified" },
      seed: 9,
      plan,
      oracle,
      frame: ["base"],
      analyze: { inference: "analytic" },
      onLabel: (row) => void persisted.push(row.item_id),
    });
    expect(run.rounds.map((r) => r.budget)).toEqual([40, 80, 120]);
    expect(run.rounds.map((r) => r.labelled)).toEqual([40, 80, 120]);
    expect(run.rounds[2].decision).toEqual({ action: "stop", reason: "budget_spent" });
    expect(new Set(oracle.asked).size).toBe(120);
    expect(oracle.asked).toHaveLength(120);
    expect(persisted).toEqual(oracle.asked);
    expect(run.sample.rows.map((r) => r.item_id).sort()).toEqual([...oracle.asked].sort());
    expect(run.result.diagnostics.inference.alpha).toBeCloseTo(0.05 / 3, 15);
    expect(run.result.diagnostics.label_design).toMatchObject({ kind: "known_propensity", n_labelled: 120 });
  });

  it("stops after the first round when the target is already met", async () => {
    const { data, oracle } = world(4);
    const run = await labelInRounds({
      data,
      design: { kind: "simple-random" },
      seed: 2,
      plan: { ...plan, targetHalfWidth: 0.5 },
      oracle,
      frame: ["base"],
      analyze: { inference: "analytic" },
    });
    expect(run.rounds).toHaveLength(1);
    expect(run.rounds[0].decision).toEqual({ action: "stop", reason: "target_reached" });
    expect(oracle.asked).toHaveLength(40);
  });
});

describe("coverage of the interval at a data-dependent stopping round (150 worlds)", () => {
  const plan: RoundsPlan = { schedule: [30, 60, 90, 120], targetHalfWidth: 0.06, alpha: 0.05 };
  const stops: number[] = [];
  let covered = 0;
  const WORLDS = 150;

  it("covers the truth in at least 93% of worlds, stopping at different rounds", async () => {
    for (let w = 0; w < WORLDS; w++) {
      const { data, oracle, truth } = world(2000 + w, 1000);
      const run = await labelInRounds({
        data,
        design: { kind: "stratified", allocation: "proportional" },
        seed: w + 1,
        plan,
        oracle,
        frame: ["base"],
        analyze: { inference: "analytic" },
      });
      stops.push(run.rounds.length);
      if (run.result.policies.every((p) => (p.ci[0] as number) <= truth[p.policy] && truth[p.policy] <= (p.ci[1] as number))) covered++;
    }
    expect(new Set(stops).size).toBeGreaterThanOrEqual(2);
    expect(covered / WORLDS).toBeGreaterThanOrEqual(0.93);
  });
});
