import { evaluationDataFromRecords } from "@cjeval/core";
import { describe, expect, it } from "vitest";
import { buildRun, DENSITY_BINS, ViewRunSchema } from "../src/index.js";

describe("buildRun", () => {
  it("builds a valid run whose rows and calibration agree with the data", () => {
    const records: Record<string, unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      const s = (i % 20) / 20;
      for (const policy of ["a", "b"]) {
        const judge = policy === "a" ? s : Math.min(1, s + 0.05);
        records.push({
          policy,
          prompt_id: `p${i}`,
          prompt: `prompt ${i}`,
          response: `${policy} ${i}`,
          judge_score: judge,
          ...(i % 3 === 0 ? { oracle_label: judge > 0.5 ? 1 : 0 } : {}),
        });
      }
    }
    const run = buildRun({ id: "r", label: "r", kind: "dropped", source: "mem" }, evaluationDataFromRecords(records));
    expect(ViewRunSchema.parse(run)).toBeTruthy();
    expect(run.rows?.judge.length).toBe(120);
    expect(run.rows?.prompts.id.length).toBe(60);
    expect(run.calibration?.density.all.reduce((a, b) => a + b, 0)).toBe(120);
    expect(run.calibration?.density.all.length).toBe(DENSITY_BINS);
    expect(run.calibration?.labelled.score.length).toBe(40);
    const residuals = run.rows?.residual.filter((r) => r !== null) ?? [];
    expect(residuals.length).toBe(40);
    expect(run.result?.policies.map((p) => p.policy)).toEqual(["a", "b"]);
  });
});
