import { evaluationDataFromRecords } from "@cjeval/core";
import { describe, expect, it } from "vitest";
import { SampleRecordSchema, sampleForLabelling, type SampleRecord } from "../src/index.js";
import { worldData } from "./helpers.js";

describe("sampleForLabelling", () => {
  const data = worldData(120, 0.1);

  it("draws a blind, reproducible sample and records the design", () => {
    const a = sampleForLabelling(data, { design: { kind: "stratified", allocation: "neyman" }, budget: 30, seed: 3, policies: ["base"] });
    const b = sampleForLabelling(data, { design: { kind: "stratified", allocation: "neyman" }, budget: 30, seed: 3, policies: ["base"] });
    expect(a.rows).toEqual(b.rows);
    expect(a.rows).toHaveLength(30);
    expect(new Set(a.rows.map((r) => r.policy))).toEqual(new Set(["base"]));
    a.rows.forEach((r) => expect(r.design_weight).toBeCloseTo(1 / r.oracle_inclusion_probability, 12));
    const record = SampleRecordSchema.parse(JSON.parse(JSON.stringify(a.record)));
    expect(record).toMatchObject({ seed: 3, budget: 30, size: 30, frame: { rows: 120, policies: ["base"] } });
    expect(record.strata?.reduce((s, h) => s + h.sampled, 0)).toBe(30);
    expect(a.record.warnings.join(" ")).toMatch(/labelled frame row\(s\) were not drawn by this design/);
    const other = sampleForLabelling(data, { design: { kind: "stratified", allocation: "neyman" }, budget: 30, seed: 4, policies: ["base"] });
    expect(other.rows.map((r) => r.item_id)).not.toEqual(a.rows.map((r) => r.item_id));
  });

  it("draws a later round from the record: a superset with the same design, seed and frame", () => {
    const first = sampleForLabelling(data, { design: { kind: "active" }, budget: 25, seed: 8, policies: ["base"] });
    const round = sampleForLabelling(data, { design: first.record, budget: 50, seed: 999 });
    expect(round.record.seed).toBe(8);
    expect(round.spec).toEqual(first.spec);
    const ids = new Set(round.rows.map((r) => r.item_id));
    first.rows.forEach((r) => expect(ids.has(r.item_id)).toBe(true));
  });

  it("refuses a round on different fresh draws or with a smaller budget", () => {
    const first = sampleForLabelling(data, { design: { kind: "simple-random" }, budget: 20, seed: 1, policies: ["base"] });
    const record: SampleRecord = first.record;
    const changed = evaluationDataFromRecords(data.draws.slice(1).map((d) => ({ policy: d.policy, prompt_id: d.promptId, judge_score: d.judgeScore })));
    expect(() => sampleForLabelling(changed, { design: record, budget: 30, seed: 1 })).toThrow(/differ from the frame the recorded design was drawn from/);
    expect(() => sampleForLabelling(data, { design: record, budget: 10, seed: 1 })).toThrow(/field 'budget' = 10: a later round cannot have a smaller budget/);
  });

  it("refuses unknown policies and impossible budgets", () => {
    expect(() => sampleForLabelling(data, { design: { kind: "simple-random" }, budget: 5, seed: 1, policies: ["nope"] })).toThrow(
      /field 'policies' = "nope": unknown policy/,
    );
    expect(() => sampleForLabelling(data, { design: { kind: "simple-random" }, budget: 500, seed: 1 })).toThrow(/field 'budget' = 500/);
    expect(() => sampleForLabelling(data, { design: { kind: "stratified", strata: 5 }, budget: 3, seed: 1 })).toThrow(/between 5 \(one label per stratum\)/);
  });
});

describe("design requests", () => {
  const data = worldData(60, 0);
  it("refuses options the design does not take and unknown allocation rules", () => {
    expect(() => sampleForLabelling(data, { design: { kind: "active", strata: 4 }, budget: 10, seed: 1 })).toThrow(
      /field 'strata' = 4: does not apply to the active design/,
    );
    expect(() => sampleForLabelling(data, { design: { kind: "per-policy", allocation: "neyman" }, budget: 10, seed: 1 })).toThrow(
      /field 'allocation' = "neyman": the per-policy design allocates by proportional or equal/,
    );
  });

  it("warns that Neyman allocation without pilot labels equals proportional allocation", () => {
    const neyman = sampleForLabelling(data, { design: { kind: "stratified", allocation: "neyman" }, budget: 20, seed: 1 });
    const proportional = sampleForLabelling(data, { design: { kind: "stratified", allocation: "proportional" }, budget: 20, seed: 1 });
    expect(neyman.record.warnings.join(" ")).toMatch(/equals proportional allocation/);
    expect(neyman.rows.map((r) => r.item_id)).toEqual(proportional.rows.map((r) => r.item_id));
  });
});
