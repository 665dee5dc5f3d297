import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/analyze.js";
import { analyzeOffPolicy } from "../../src/analysis/analyze-off-policy.js";
import { AnalysisResultSchema } from "../../src/analysis/result-schema.js";
import { evaluationDataFromRecords } from "../../src/data/from-records.js";
import { loggedDataFromRecords } from "../../src/off-policy/logged.js";
import { simulateOpeTargets } from "../off-policy/ope-world-targets.js";

describe("best policy from an all-flagged ranking", () => {
  it("Direct analyze: without labels every policy is UNCALIBRATED, so best is null with the reason", () => {
    const records = Object.fromEntries(
      ["a", "b", "c"].map((policy, k) => [policy, Array.from({ length: 40 }, (_, i) => ({ prompt_id: `q${i}`, judge_score: ((i * 7 + 3 * k) % 10) / 10 }))]),
    );
    const r = analyze(evaluationDataFromRecords(records), { inference: "analytic" });
    expect(r.policies.every((p) => p.flags.includes("UNCALIBRATED"))).toBe(true);
    expect(r.best_policy).toMatchObject({ best: null, all_flagged: true, demoted: false });
    expect(r.best_policy?.reason).toBe("every policy is flagged (UNCALIBRATED ×3), so the ranking cannot name a winner.");
    AnalysisResultSchema.parse(JSON.parse(JSON.stringify(r)));
  });

  it("the schema still reads results written before `reason` existed (best a string, no reason)", () => {
    const r = analyze(
      evaluationDataFromRecords({
        a: [
          { prompt_id: "1", judge_score: 0.5 },
          { prompt_id: "2", judge_score: 0.6 },
        ],
      }),
      { inference: "analytic" },
    );
    const old = { ...r, best_policy: { best: "a", raw_best: "a", demoted: false, raw_best_flags: [], all_flagged: false } };
    expect(AnalysisResultSchema.parse(old).best_policy?.best).toBe("a");
  });

  it("off-policy IPS: ratios off their footing put an estimate outside 0–1; it is flagged and never named best", () => {
    // Synthetic world with exact ratios; `shifted` is the `tilted` target whose log-probs are all raised
    // by 3 nats (a system-prompt footing change, as parallel_universe_prompt on the Arena sample): its
    // Horvitz–Thompson mean is e³ ≈ 20 times too large.
    const world = simulateOpeTargets({ logger: { theta: 0 }, n: 400, labelShare: 0.25, seed: 5 }, { tilted: { theta: 1.5, tilt: 0.2 }, mild: { theta: 0.8 } });
    // (Log-probs must stay ≤ 0, so the logger and the other targets are lowered by 3 instead.)
    const logged = world.logged.map((row) => {
      const lp = row.target_policy_logprobs as Record<string, number>;
      return {
        ...row,
        base_policy_logprob: (row.base_policy_logprob as number) - 3,
        target_policy_logprobs: { tilted: lp.tilted - 3, mild: lp.mild - 3, shifted: lp.tilted },
      };
    });
    const r = analyzeOffPolicy(loggedDataFromRecords(logged), null, { estimator: "ips" });
    const shifted = r.policies.find((p) => p.policy === "shifted")!;
    expect(shifted.estimate!).toBeGreaterThan(5);
    expect(shifted.flags).toContain("OUTSIDE-PARAMETER-SPACE");
    expect(r.policies.filter((p) => p.policy !== "shifted").every((p) => !p.flags.includes("OUTSIDE-PARAMETER-SPACE"))).toBe(true);
    expect(r.best_policy?.raw_best).toBe("shifted");
    expect(r.best_policy?.best).not.toBe("shifted");
    AnalysisResultSchema.parse(JSON.parse(JSON.stringify(r)));
    // Self-normalised weights are immune to the footing: SNIPS keeps it inside the scale.
    const snips = analyzeOffPolicy(loggedDataFromRecords(logged), null, { estimator: "snips" });
    expect(snips.policies.every((p) => !p.flags.includes("OUTSIDE-PARAMETER-SPACE"))).toBe(true);
  });
});
