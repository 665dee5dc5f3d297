import { AnalysisResultSchema } from "@cjeval/core";
import { createRng, ORACLE_INCLUSION_FIELD } from "@cjeval/core/advanced";
import { describe, expect, it } from "vitest";
import { runOffPolicy } from "../../src/stages/off-policy.js";
import type { PolicyRecords } from "../../src/stages/estimate-records.js";

// The rows the estimate stage hands to the off-policy units (see `freshDrawRecords`): the logging policy a's
// responses with log-probs, its labelled rows carrying the label design's π, and the target b's fresh draws.
// The design labels every prompt with a hidden trait (π = 1) whose oracle labels run 0.3 higher at the same
// judge score, and 40% of the others (π = 0.4).
function campaignRecords(seed: number): PolicyRecords {
  const rng = createRng(seed);
  const a: Record<string, unknown>[] = [];
  const b: Record<string, unknown>[] = [];
  for (let i = 0; i < 120; i++) {
    const prompt = { prompt_id: `q${i}`, prompt: `Question ${i}` };
    const score = Math.round(20 * rng.nextFloat()) / 20;
    const trait = rng.nextFloat() < 0.3;
    const pi = trait ? 1 : 0.4;
    const label = Math.min(1, Math.max(0, 0.6 * score + (trait ? 0.3 : 0) + 0.1 * (rng.nextFloat() - 0.5)));
    const base = -20 - 10 * rng.nextFloat();
    a.push({
      ...prompt,
      response: `a says ${i}`,
      judge_score: score,
      ...(rng.nextFloat() < pi ? { oracle_label: label, [ORACLE_INCLUSION_FIELD]: pi } : {}),
      base_policy_logprob: base,
      target_policy_logprobs: { b: base + score - 0.5 },
    });
    b.push({ ...prompt, response: `b says ${i}`, judge_score: Math.round(20 * Math.min(1, score + 0.1 * rng.nextFloat())) / 20 });
  }
  return { a, b };
}

describe("runOffPolicy", () => {
  it("fits the calibrator with the label design's weights 1/π and records the design, without a warning", () => {
    const records = campaignRecords(4);
    const labelled = records.a.filter((r) => r.oracle_label !== undefined);
    for (const estimator of ["stacked-dr", "calibrated-ips"] as const) {
      const analysis = AnalysisResultSchema.parse(runOffPolicy(estimator, { records, logging: "a", targets: ["b"] }));
      // a's labelled rows are both fresh draws and logged rows: each label counts once.
      expect(analysis.diagnostics.label_design).toEqual({
        kind: "known_propensity",
        origin: "rows",
        n_labelled: labelled.length,
        inclusion_range: [0.4, 1],
        field: ORACLE_INCLUSION_FIELD,
      });
      expect(analysis.diagnostics.calibration?.n_oracle).toBe(labelled.length);
      expect(analysis.diagnostics.warnings.filter((w) => /design|inclusion/.test(w))).toEqual([]);
      // Without π the same labels are fitted unweighted: the over-sampled trait pulls the estimate up.
      const strip = (rows: Record<string, unknown>[]) => rows.map(({ [ORACLE_INCLUSION_FIELD]: _pi, ...rest }) => rest);
      const plain = runOffPolicy(estimator, { records: { a: strip(records.a), b: records.b }, logging: "a", targets: ["b"] });
      expect(plain.diagnostics.label_design).toMatchObject({ kind: "representative", origin: "default" });
      expect((plain.policies[0].estimate as number) - (analysis.policies[0].estimate as number)).toBeGreaterThan(0.02);
    }
  });
});
