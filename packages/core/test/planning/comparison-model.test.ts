import { describe, expect, it } from "vitest";
import {
  evaluationDataFromRecords,
  measureComparisonModel,
  pilotFromData,
  planFromPilot,
  planFromSimulation,
  PlanReportSchema,
  type Pilot,
} from "../../src/index.js";
import { simulateWorld } from "../../src/advanced.js";
import { comparedPolicies, comparisonsOnPrompts } from "../../src/planning/comparison-model.js";

const POLICIES = [
  { name: "pilot", shift: 0.5 },
  { name: "other", shift: 0 },
  { name: "third", shift: 0.2 },
];
const world = simulateWorld({ policies: POLICIES, prompts: 400, oracleShare: 0.3, seed: 9 });
const data = evaluationDataFromRecords(world.records);
const FAST = { replicates: 4 };

describe("a pilot's partner policies", () => {
  it("carries every partner's scores per prompt, null where a partner did not answer", () => {
    const dropped = [...new Set(world.records.map((r) => r.prompt_id as string))].slice(0, 3);
    const pilot = pilotFromData(
      evaluationDataFromRecords(world.records.filter((r) => !(r.policy === "third" && dropped.includes(r.prompt_id as string)))),
      "pilot",
    );
    expect(pilot.partners).toEqual(["other", "third"]);
    expect(pilot.partnerLabels).toBe(0);
    const all = [...pilot.labelled, ...pilot.unlabelled];
    expect(
      all
        .filter((p) => p.partnerScores === null)
        .map((p) => p.id)
        .sort(),
    ).toEqual([...dropped].sort());
    const first = all.find((p) => p.partnerScores !== null) as (typeof all)[number];
    const scoreOf = (policy: string) => world.records.find((r) => r.policy === policy && r.prompt_id === first.id)?.judge_score;
    expect(first.partnerScores).toEqual([[scoreOf("other")], [scoreOf("third")]]);
    expect(measureComparisonModel(pilot, FAST).warnings).toContain(
      "3 of the pilot policy's prompts are not answered by every compared policy; comparisons are measured on the other 397",
    );
  });

  it("measures one model per pair and plans on their component-wise maximum", () => {
    const pilot = pilotFromData(data, "pilot");
    const measured = measureComparisonModel(pilot, FAST);
    expect(measured.pairs.map((p) => `${p.a}-${p.b}`)).toEqual(["pilot-other", "pilot-third", "other-third"]);
    expect(measured.sharedPrompts).toBe(400);
    const fitted = measured.pairs.filter((p) => p.model.fitOk);
    expect(fitted.length).toBeGreaterThan(0);
    expect(measured.model?.sigma2Eval).toBe(Math.max(...fitted.map((p) => p.model.sigma2Eval)));
    expect(measured.model?.sigma2Cal).toBe(Math.max(...fitted.map((p) => p.model.sigma2Cal)));
    expect(measured.model?.sigma2Small).toBe(Math.max(...fitted.map((p) => p.model.sigma2Small ?? 0)));
    // The grid reaches down to 5% of the labels: 120 labels, n_ref 120 ⇒ m from 15 (the floor).
    expect(Math.min(...measured.pairs[0].measurements.map((x) => x.m))).toBe(15);
    expect(measureComparisonModel(pilot, { ...FAST, policies: ["third"] }).pairs.map((p) => `${p.a}-${p.b}`)).toEqual(["pilot-third"]);
  });

  it("hands back each pair's comparison in the order of its pairs", () => {
    const compared = comparedPolicies(pilotFromData(data, "pilot"), ["third", "other"]);
    expect(compared.pairs).toEqual([
      ["pilot", "third"],
      ["pilot", "other"],
      ["third", "other"],
    ]);
    const comparisons = comparisonsOnPrompts([...compared.labelled, ...compared.unlabelled], compared);
    expect(comparisons.map((c) => (c === null ? null : [compared.policies[c.i], compared.policies[c.j]]))).toEqual(compared.pairs);
  });

  it("names what it cannot compare, and says why a comparison is not measured", () => {
    const pilot = pilotFromData(data, "pilot");
    expect(() => measureComparisonModel(pilot, { policies: ["nobody"] })).toThrow("policy 'nobody' is not in the pilot (policies: pilot, other, third)");
    expect(() => measureComparisonModel(pilot, { policies: ["pilot"] })).toThrow("no policy to compare with the pilot policy");
    const alone: Pilot = { ...pilot, partners: [] };
    expect(() => measureComparisonModel(alone)).toThrow("the pilot has one policy ('pilot')");
    // Only 40 prompts shared: too few for a grid. The model is null and the warning says so.
    const few: Pilot = {
      ...pilot,
      labelled: pilot.labelled.map((p, i) => (i < 10 ? p : { ...p, partnerScores: null })),
      unlabelled: pilot.unlabelled.map((p, i) => (i < 30 ? p : { ...p, partnerScores: null })),
    };
    const measured = measureComparisonModel(few, FAST);
    expect(measured.model).toBeNull();
    expect(measured.warnings[0]).toMatch(/^paired comparisons are not measured on the 40 prompts every compared policy answers \(10 labelled\): /);
  });

  it("uses no partner's labels, and says how many it left unused", () => {
    const labelledOther = simulateWorld({ policies: POLICIES, prompts: 400, oracleShare: 0.3, fullyLabelledPolicies: ["third"], seed: 9 });
    const pilot = pilotFromData(evaluationDataFromRecords(labelledOther.records), "pilot");
    expect(pilot.partnerLabels).toBe(400);
    const measured = measureComparisonModel(pilot, { ...FAST, policies: ["other"] });
    expect(measured.warnings).toContain(
      "400 oracle labels on other policies' draws are not used for the comparison model: the plan buys labels for 'pilot' only and evaluates the others through its calibrator",
    );
  });
});

describe("plan reports with paired comparisons", () => {
  const request = { costs: { judgeCost: 1, oracleCost: 16 }, targetMde: 0.05, pilot: FAST };

  it("plans the detectable difference of paired policies when the pilot has several, schema-valid", () => {
    const report = PlanReportSchema.parse(planFromPilot(data, { ...request, check: { replicates: 5 } }));
    expect(report.comparison_model?.pairs).toHaveLength(3);
    expect(report.mde_plan?.comparison_basis).toBe("paired");
    expect(report.power_analysis.comparison_basis).toBe("paired");
    expect(report.mde_plan?.mde).toBeLessThanOrEqual(0.05);
    expect(report.check?.comparisons?.map((c) => `${c.a}-${c.b}`)).toEqual(["pilot-other", "pilot-third", "other-third"]);
  });

  it("assumes independent policies for a one-policy pilot and a synthetic world", () => {
    const one = evaluationDataFromRecords(world.records.filter((r) => r.policy === "pilot"));
    const single = planFromPilot(one, request);
    expect(single.comparison_model).toBeNull();
    expect(single.mde_plan?.comparison_basis).toBe("independent");
    expect(single.mde_plan?.se_comparison).toBeCloseTo(Math.SQRT2 * (single.mde_plan?.se_level ?? 0), 14);
    expect(() => planFromPilot(one, { ...request, compare: ["other"] })).toThrow("the pilot has one policy ('pilot')");
    const simulated = planFromSimulation({ r2: 0.5, prompts: 400 }, request);
    expect(simulated.comparison_model).toBeNull();
    expect(simulated.power_analysis.comparison_basis).toBe("independent");
  });
});
