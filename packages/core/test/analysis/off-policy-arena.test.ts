import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeOffPolicy, OFF_POLICY_ESTIMATORS } from "../../src/analysis/analyze-off-policy.js";
import { AnalysisResultSchema, type AnalysisResult } from "../../src/analysis/result-schema.js";
import type { EvaluationData } from "../../src/data/evaluation-data.js";
import { loadEvaluationData } from "../../src/data/load.js";
import type { LoggedData } from "../../src/off-policy/logged.js";
import { loadLoggedData } from "../../src/off-policy/logged-file.js";
import { bestPolicy } from "../../src/diagnostics/gates.js";
import { arenaDir } from "../helpers/shared-data.js";

let fresh: EvaluationData;
let logged: LoggedData;
const results: Record<string, AnalysisResult> = {};
const TARGETS = ["clone", "parallel_universe_prompt", "unhelpful"];

beforeAll(async () => {
  fresh = await loadEvaluationData([path.join(arenaDir, "fresh_draws")]);
  logged = await loadLoggedData(path.join(arenaDir, "logged_data.jsonl"), { judgeScale: fresh.judgeScale.scale });
  for (const name of OFF_POLICY_ESTIMATORS) results[name] = analyzeOffPolicy(logged, fresh, { estimator: name });
});

const op = (name: string, policy: string) => results[name].diagnostics.policies[policy].off_policy!;

describe("off-policy estimators on the Arena sample (logged_data.jsonl + fresh draws)", () => {
  it("reads the three targets (base is the logger, not a target) and pools the 480 labels once", () => {
    expect(logged.targets).toEqual(TARGETS);
    expect(logged.n).toBe(1000);
    const r = results["stacked-dr"];
    expect(r.diagnostics.calibration?.n_oracle).toBe(480);
    expect(r.diagnostics.calibration?.n_from_calibration_file).toBe(0);
    expect(r.diagnostics.warnings.some((w) => w.startsWith("480 logged row(s) repeat"))).toBe(true);
  });

  it("every estimator returns finite estimates and intervals for every target, in the analyze JSON contract", () => {
    for (const name of OFF_POLICY_ESTIMATORS) {
      const r = AnalysisResultSchema.parse(JSON.parse(JSON.stringify(results[name])));
      expect(r.estimator).toBe(name);
      expect(r.policies.map((p) => p.policy)).toEqual(TARGETS);
      for (const p of r.policies) {
        expect(Number.isFinite(p.estimate)).toBe(true);
        expect(Number.isFinite(p.ci[0]) && Number.isFinite(p.ci[1])).toBe(true);
        expect(p.ci[0]! <= p.estimate! && p.estimate! <= p.ci[1]!).toBe(true);
        expect(p.n).toBe(1000);
        expect(p.n_oracle).toBe(480);
      }
      expect(r.comparisons).toHaveLength(3);
    }
  });

  it("raw SNIPS ESS is tiny for parallel_universe_prompt and unhelpful; SIMCal raises it far above for every target", () => {
    expect(op("snips", "clone").ess_raw).toBeCloseTo(0.2146, 3);
    for (const t of ["parallel_universe_prompt", "unhelpful"]) {
      expect(op("snips", t).ess_raw).toBeGreaterThan(0.003);
      expect(op("snips", t).ess_raw).toBeLessThan(0.008);
    }
    // Changed with the bias-aware SIMCal-W selection (issue 14, a deliberate deviation from the spec's
    // variance-only rule): the MSE criterion keeps part of the raw weights for unhelpful, whose ESS is
    // now 0.65 instead of 0.83 (clone 0.99, parallel_universe_prompt 0.89). The variance cap still
    // bounds it below by about 0.5 on the training rows.
    for (const t of TARGETS) {
      const stabilised = op("calibrated-ips", t).ess_stabilised!;
      expect(stabilised).toBeGreaterThan(t === "unhelpful" ? 0.6 : 0.8);
      expect(stabilised).toBeGreaterThan(3 * op("calibrated-ips", t).ess_raw);
    }
  });

  it("weight, overlap and TTC diagnostics match an independent numpy computation (fixtures/gen_ope_arena.py)", () => {
    const expected = JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/ope-arena.json"), "utf8"));
    for (const t of TARGETS) {
      const e = expected[t];
      const d = op("snips", t);
      expect(d.raw_ratio_mean).toBeCloseTo(e.raw_ratio_mean, 9);
      expect(d.ess_raw).toBeCloseTo(e.ess_raw, 12);
      expect(d.hill_tail_index!).toBeCloseTo(e.hill_raw, 10);
      expect(d.top_1pct_mass).toBeCloseTo(e.top_1pct_mass, 12);
      expect(d.judge_overlap.mode).toBe("fresh_draws");
      expect(d.judge_overlap.affinity!).toBeCloseTo(e.bhattacharyya_fresh, 12);
      expect(d.ttc.normalizer).toBe("total");
      expect(d.ttc.total).toBeCloseTo(e.ttc_total, 12);
      expect(d.ttc.per_char).toBeCloseTo(e.ttc_per_char, 12);
      expect(d.ttc.per_token).toBeNull();
      expect(d.cle.factor!).toBeCloseTo(e.cle_total, 9);
    }
  });

  it("the gates flag logs-only IPS despite high ESS after SIMCal", () => {
    const flags = (name: string, t: string) => results[name].policies.find((p) => p.policy === t)!.flags;
    expect(flags("calibrated-ips", "clone")).toEqual([]);
    expect(flags("calibrated-ips", "parallel_universe_prompt")).toContain("LOW-TTC");
    expect(flags("calibrated-ips", "unhelpful")).toEqual(expect.arrayContaining(["LOW-TTC", "LOW-OVERLAP"]));
    expect(flags("snips", "unhelpful")).toEqual(expect.arrayContaining(["LOW-ESS", "HEAVY-TAIL", "LOW-TTC"]));
  });

  it("stacked-DR agrees with Direct mode on the honest targets and flags the adversarial one", () => {
    const r = results["stacked-dr"];
    const est = (t: string) => r.policies.find((p) => p.policy === t)!;
    // Direct mode (README): clone 0.764, parallel_universe_prompt 0.765.
    expect(Math.abs(est("clone").estimate! - 0.764)).toBeLessThan(0.02);
    expect(Math.abs(est("parallel_universe_prompt").estimate! - 0.765)).toBeLessThan(0.02);
    expect(est("clone").flags).toEqual([]);
    expect(est("unhelpful").flags).toContain("LOW-LABEL-SUPPORT");
    const w = op("stacked-dr", "clone").stacking!.weights;
    expect(w["dr-cpo"] + w.tmle + w.mrdr).toBeCloseTo(1, 10);
    expect(r.best_policy?.best).not.toBe("unhelpful");
  });

  it("Horvitz–Thompson puts parallel_universe_prompt at 15.9 on a 0–1 scale: flagged OUTSIDE-PARAMETER-SPACE and never named best", () => {
    const r = results.ips;
    const pup = r.policies.find((p) => p.policy === "parallel_universe_prompt")!;
    expect(pup.estimate!).toBeGreaterThan(10);
    expect(pup.flags).toContain("OUTSIDE-PARAMETER-SPACE");
    for (const p of r.policies) if (p.policy !== "parallel_universe_prompt") expect(p.flags).not.toContain("OUTSIDE-PARAMETER-SPACE");
    // Every target is flagged (LOW-ESS, HEAVY-TAIL at least): no best policy, with the reason.
    expect(r.best_policy?.raw_best).toBe("parallel_universe_prompt");
    expect(r.best_policy?.best).toBeNull();
    expect(r.best_policy?.all_flagged).toBe(true);
    expect(r.best_policy?.reason).toMatch(/^every policy is flagged \(.*OUTSIDE-PARAMETER-SPACE ×1.*\), so the ranking cannot name a winner\.$/);
    // Even when flags are ignored, an impossible value is not the winner.
    const loose = bestPolicy(
      r.policies.map((p) => ({ policy: p.policy, estimate: p.estimate!, flags: p.flags })),
      { reliableOnly: false },
    );
    expect(loose?.best).toBe("clone");
    // Calibrated IPS and the DR family stay inside the scale.
    for (const name of ["calibrated-ips", "snips", "stacked-dr"])
      for (const p of results[name].policies) expect(p.flags).not.toContain("OUTSIDE-PARAMETER-SPACE");
  });
});
