import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { analyze, AnalysisResultSchema, type AnalysisResult, type EvaluationData } from "../../src/index.js";
import { loadEvaluationData } from "../../src/node.js";
import { arenaDir } from "../helpers/shared-data.js";

/** Reference (cje-eval 0.6) results on the Arena sample, calibration from base's 480 labels. */
const REFERENCE: Record<string, { estimate: number; ci: [number, number] }> = {
  base: { estimate: 0.754, ci: [0.734, 0.775] },
  clone: { estimate: 0.764, ci: [0.744, 0.782] },
  parallel_universe_prompt: { estimate: 0.765, ci: [0.744, 0.782] },
  unhelpful: { estimate: 0.51, ci: [0.28, 0.7] },
};

describe("Chatbot Arena sample (real data)", () => {
  let data: EvaluationData;
  let result: AnalysisResult;
  beforeAll(async () => {
    data = await loadEvaluationData([path.join(arenaDir, "fresh_draws")]);
    result = analyze(data);
  });

  it("validates against the published JSON schema", () => {
    expect(() => AnalysisResultSchema.parse(result)).not.toThrow();
    expect(result.diagnostics.inference).toMatchObject({ method: "analytic" });
  });

  it("matches the reference estimates and 95% intervals within 0.01 (default analytic intervals; the reference's bootstrap)", () => {
    for (const p of result.policies) {
      const ref = REFERENCE[p.policy];
      expect(Math.abs((p.estimate as number) - ref.estimate)).toBeLessThan(0.01);
      if (p.policy === "unhelpful") continue;
      expect(Math.abs((p.ci[0] as number) - ref.ci[0])).toBeLessThan(0.01);
      expect(Math.abs((p.ci[1] as number) - ref.ci[1])).toBeLessThan(0.01);
    }
  });

  it("gives unhelpful a wider interval than the reference, dominated by calibration: its calibration rests on 4 labels", () => {
    const ci = result.policies.find((r) => r.policy === "unhelpful")?.ci;
    expect(ci).toBeDefined();
    const [lo, hi] = ci as [number, number];
    expect(hi - lo).toBeGreaterThan(REFERENCE.unhelpful.ci[1] - REFERENCE.unhelpful.ci[0]);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    const components = result.diagnostics.policies.unhelpful.variance_components;
    expect(components?.calibration as number).toBeGreaterThan(10 * (components?.sampling as number));
  });

  it("flags unhelpful with LOW-LABEL-SUPPORT and leaves base, clone and parallel_universe_prompt unflagged", () => {
    const flags = Object.fromEntries(result.policies.map((p) => [p.policy, p.flags]));
    expect(flags.unhelpful).toContain("LOW-LABEL-SUPPORT");
    expect(flags.base).toEqual([]);
    expect(flags.clone).toEqual([]);
    expect(flags.parallel_universe_prompt).toEqual([]);
    const sparse = result.diagnostics.policies.unhelpful.label_support?.sparse_mass as number;
    expect(sparse).toBeGreaterThan(0.5);
  });

  it("routes base (with its own labels) through residual augmentation and the others through the plug-in", () => {
    const routes = Object.fromEntries(result.policies.map((p) => [p.policy, p.route]));
    expect(routes).toEqual({ base: "augmented", clone: "plug_in", parallel_universe_prompt: "plug_in", unhelpful: "plug_in" });
    expect(result.policies.find((p) => p.policy === "base")?.n_oracle).toBe(480);
  });

  it("counts logged-data labels that repeat base's labelled draws once", async () => {
    const pooled = await loadEvaluationData([path.join(arenaDir, "fresh_draws")], { calibrationFile: path.join(arenaDir, "logged_data.jsonl") });
    const r = analyze(pooled, { inference: "analytic" });
    expect(r.diagnostics.calibration?.n_oracle).toBe(480);
    expect(r.diagnostics.calibration?.n_from_calibration_file).toBe(0);
    expect(r.diagnostics.warnings.some((w) => w.includes("480 calibration-file row(s) repeat"))).toBe(true);
  });

  it("analytic inference gives the same point estimates with Satterthwaite t intervals (J − 1 ≤ df ≤ (G − 1) + (J − 1))", () => {
    const analytic = analyze(data, { inference: "analytic" });
    analytic.policies.forEach((p, i) => {
      expect(p.estimate).toBeCloseTo(result.policies[i].estimate as number, 12);
      // 480 labelled prompts: 50 jackknife groups (49 df); 1,000 prompt clusters (999 df).
      expect(p.df).toBeGreaterThanOrEqual(49);
      expect(p.df).toBeLessThanOrEqual(999 + 49);
    });
  });
});
