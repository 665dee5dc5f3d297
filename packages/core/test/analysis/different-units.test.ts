import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/analyze.js";
import { AnalysisResultSchema } from "../../src/analysis/result-schema.js";
import { evaluationDataFromRecords } from "../../src/data/from-records.js";
import { bestPolicy, differentUnits } from "../../src/diagnostics/gates.js";

/** Three prompts fully labelled on a 1–5 oracle scale: too few clusters to fit a calibrator. */
const labelled = (policy: number) =>
  Array.from({ length: 3 }, (_, i) => ({ prompt_id: `q${i}`, judge_score: 0.3 + 0.1 * i, oracle_label: 3 + policy + (i % 2) }));
/** Forty unlabelled prompts with high judge scores (0.9 on average, in judge units). */
const unlabelled = Array.from({ length: 40 }, (_, i) => ({ prompt_id: `q${i}`, judge_score: 0.85 + (i % 2) * 0.1 }));

describe("estimates in different units are never ranked together", () => {
  it("a judge-units policy next to an oracle-units one is flagged DIFFERENT-UNITS and no winner is named from one comparable policy", () => {
    const r = analyze(evaluationDataFromRecords({ labelled: labelled(1), raw: unlabelled }), { inference: "analytic" });
    const raw = r.policies.find((p) => p.policy === "raw")!;
    const oracle = r.policies.find((p) => p.policy === "labelled")!;
    expect([raw.units, oracle.units]).toEqual(["judge", "oracle"]);
    expect(raw.flags).toEqual(["UNCALIBRATED", "DIFFERENT-UNITS"]);
    expect(oracle.flags).not.toContain("DIFFERENT-UNITS");
    expect(r.best_policy).toMatchObject({ best: null, raw_best: "labelled", demoted: false });
    expect(r.best_policy?.reason).toBe("only 'labelled' is in oracle units; 'raw' (DIFFERENT-UNITS) cannot be ranked against it, so no policy is named best.");
    expect(r.diagnostics.warnings).toContain(
      "'raw' is reported in judge units (raw judge-score mean) while 'labelled' is in oracle units: estimates in different units are not ranked against each other (flag DIFFERENT-UNITS); label some of their responses so they can be calibrated.",
    );
    expect(r.comparisons).toEqual([]);
    AnalysisResultSchema.parse(JSON.parse(JSON.stringify(r)));
  });

  it("with two oracle-units policies the best is chosen among them; the judge-units one is neither raw best nor best", () => {
    const r = analyze(evaluationDataFromRecords({ low: labelled(0), high: labelled(1), raw: unlabelled }), { inference: "analytic" });
    expect(r.policies.find((p) => p.policy === "raw")!.flags).toContain("DIFFERENT-UNITS");
    expect(r.best_policy?.raw_best).toBe("high");
    expect(r.best_policy?.best).toBe("high");
  });

  it("same units: nothing is flagged, and the gate functions agree", () => {
    expect(
      differentUnits([
        { policy: "a", units: "judge" },
        { policy: "b", units: "judge" },
      ]),
    ).toBeNull();
    expect(
      differentUnits([
        { policy: "a", units: "oracle" },
        { policy: "b", units: "judge" },
      ])?.policies,
    ).toEqual(["b"]);
    const verdict = bestPolicy([
      { policy: "a", estimate: 4.2, flags: [] },
      { policy: "b", estimate: 0.9, flags: ["UNCALIBRATED", "DIFFERENT-UNITS"] },
      { policy: "c", estimate: 3.9, flags: [] },
    ]);
    expect(verdict).toMatchObject({ best: "a", rawBest: "a", demoted: false });
  });
});
