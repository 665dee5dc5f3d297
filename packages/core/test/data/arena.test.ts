import path from "node:path";
import { describe, expect, it } from "vitest";
import { covariateColumns } from "../../src/data/covariates.js";
import { loadEvaluationData } from "../../src/data/load.js";
import { arenaDir } from "../helpers/shared-data.js";
import { mean, pythonReference } from "./support.js";

const freshDraws = path.join(arenaDir, "fresh_draws");
const loggedData = path.join(arenaDir, "logged_data.jsonl");
const expected = pythonReference.arena;

describe("the real arena sample", async () => {
  const data = await loadEvaluationData([freshDraws], { calibrationFile: loggedData });

  it("loads 4 policies × 1000 rows on unit scales, with 480 oracle labels on base", () => {
    expect(data.policies).toEqual(["base", "clone", "parallel_universe_prompt", "unhelpful"]);
    expect(data.judgeScale).toEqual({ scale: { min: 0, max: 1 }, origin: "inferred" });
    expect(data.oracleScale).toEqual({ scale: { min: 0, max: 1 }, origin: "inferred" });
    expect(data.dropped.total).toBe(0);
    for (const policy of data.policies) {
      const rows = data.draws.filter((d) => d.policy === policy);
      const want = expected.policies[policy];
      expect(rows).toHaveLength(1000);
      expect(rows.filter((d) => d.oracleLabel !== null)).toHaveLength(want.nLabelled);
      expect(new Set(rows.map((d) => d.promptId)).size).toBe(want.nPrompts);
      expect(rows[0].promptId).toBe(want.firstPromptId);
      expect(mean(rows.map((d) => d.judgeScore))).toBeCloseTo(want.meanJudge, 12);
      if (want.meanOracle !== null) expect(mean(rows.filter((d) => d.oracleLabel !== null).map((d) => d.oracleLabel!))).toBeCloseTo(want.meanOracle, 12);
      expect(mean([...covariateColumns(rows, ["response_length"])[0]])).toBeCloseTo(want.meanWords, 9);
    }
    expect(expected.policies.base.nLabelled).toBe(480);
  });

  it("loads logged_data.jsonl as a calibration file: 480 labelled rows kept, 520 unlabelled skipped", () => {
    expect(data.calibration).toHaveLength(480);
    expect(data.nUnlabelledCalibrationSkipped).toBe(520);
    expect(expected.calibration).toMatchObject({ nLabelled: 480, nUnlabelled: 520 });
    expect(data.calibration[0].promptId).toBe(expected.calibration.firstPromptId);
    expect(data.calibration[0].source).toEqual({ file: loggedData, line: 2 });
    expect(mean(data.calibration.map((c) => c.judgeScore))).toBeCloseTo(expected.calibration.meanJudge, 12);
    expect(mean(data.calibration.map((c) => c.oracleLabel))).toBeCloseTo(expected.calibration.meanOracle, 12);
    const [logprob] = covariateColumns(data.calibration, ["base_policy_logprob"]);
    expect(mean([...logprob])).toBeCloseTo(expected.calibration.meanBaseLogprob, 9);
    expect(data.warnings).toEqual([]);
  });

  it("finds the same policies from the sample's root folder, skipping logged_data.jsonl with a warning", async () => {
    const root = await loadEvaluationData([arenaDir]);
    expect(root.policies).toEqual(data.policies);
    expect(root.draws).toHaveLength(4000);
    expect(root.warnings).toEqual([
      `skipped ${loggedData}: 'logged_data' is a reserved name, not a policy (pass it with --calibration if it holds calibration labels)`,
    ]);
  });
});
