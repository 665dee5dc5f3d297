import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadEvaluationData } from "../../src/data/load.js";
import { fixturesDir, referencePromptId } from "./support.js";

const folder = path.join(fixturesDir, "folder");
const labels = path.join(fixturesDir, "labels.jsonl");
const at = (file: string, line: number) => ({ file: path.join(folder, file), line });

describe("loadEvaluationData: a folder plus a calibration file", async () => {
  const data = await loadEvaluationData([folder], { calibrationFile: labels });

  it("finds one policy per file pattern and skips reserved stems with a warning each", () => {
    expect(data.policies).toEqual(["alpha", "beta", "delta", "gamma"]);
    expect(data.sources).toEqual([
      { policy: "alpha", file: path.join(folder, "alpha_responses.jsonl") },
      { policy: "beta", file: path.join(folder, "beta.jsonl") },
      { policy: "delta", file: path.join(folder, "fresh_draws", "delta_responses.jsonl") },
      { policy: "gamma", file: path.join(folder, "responses", "gamma.jsonl") },
    ]);
    const skips = data.warnings.filter((w) => w.startsWith("skipped"));
    expect(skips).toHaveLength(2);
    expect(skips[0]).toContain(path.join(folder, "calibration.jsonl"));
    expect(skips[1]).toContain(path.join(folder, "logged_data.jsonl"));
  });

  it("infers independent judge (0–10) and oracle (1–5) scales", () => {
    expect(data.judgeScale).toEqual({ scale: { min: 0, max: 10 }, origin: "inferred" });
    expect(data.oracleScale).toEqual({ scale: { min: 1, max: 5 }, origin: "inferred" });
  });

  it("canonicalizes every row and maps scores into [0, 1]", () => {
    const none = {};
    expect(data.draws).toEqual([
      {
        policy: "alpha",
        promptId: "q1",
        drawIdx: 0,
        judgeScore: 0.8,
        oracleLabel: 0.75,
        prompt: "First question?",
        response: "Short answer here",
        numericFields: none,
        source: at("alpha_responses.jsonl", 1),
      },
      {
        policy: "alpha",
        promptId: "q1",
        drawIdx: 1,
        judgeScore: 0.65,
        oracleLabel: null,
        prompt: "First question?",
        response: "Another  answer",
        numericFields: none,
        source: at("alpha_responses.jsonl", 2),
      },
      {
        policy: "alpha",
        promptId: "2",
        drawIdx: 0,
        judgeScore: 0,
        oracleLabel: null,
        response: "two",
        numericFields: { length_chars: 3 },
        source: at("alpha_responses.jsonl", 4),
      },
      {
        policy: "beta",
        promptId: "q1",
        drawIdx: 0,
        judgeScore: 1,
        oracleLabel: 1,
        numericFields: { latency_ms: 120 },
        source: at("beta.jsonl", 1),
      },
      {
        policy: "beta",
        promptId: referencePromptId("Second question?"),
        drawIdx: 0,
        judgeScore: 0,
        oracleLabel: 0,
        prompt: "Second question?",
        numericFields: none,
        source: at("beta.jsonl", 2),
      },
      {
        policy: "delta",
        promptId: "q1",
        drawIdx: 3,
        judgeScore: 0.75,
        oracleLabel: null,
        numericFields: none,
        source: at("fresh_draws/delta_responses.jsonl", 1),
      },
      {
        policy: "delta",
        promptId: "q1",
        drawIdx: 0,
        judgeScore: 0,
        oracleLabel: null,
        numericFields: none,
        source: at("fresh_draws/delta_responses.jsonl", 2),
      },
      {
        policy: "delta",
        promptId: "q1",
        drawIdx: 1,
        judgeScore: 0.2,
        oracleLabel: null,
        numericFields: none,
        source: at("fresh_draws/delta_responses.jsonl", 3),
      },
      {
        policy: "gamma",
        promptId: "q1",
        drawIdx: 0,
        judgeScore: 0.95,
        oracleLabel: null,
        numericFields: none,
        source: at("responses/gamma.jsonl", 1),
      },
      {
        policy: "gamma",
        promptId: "q2",
        drawIdx: 0,
        judgeScore: 0,
        oracleLabel: null,
        numericFields: none,
        source: at("responses/gamma.jsonl", 2),
      },
    ]);
  });

  it("keeps labelled calibration rows, skips and counts unlabelled ones, and fabricates missing ids with a warning", () => {
    expect(data.calibration).toEqual([
      { promptId: "c1", judgeScore: 1, oracleLabel: 1, numericFields: {}, source: { file: labels, line: 1 } },
      {
        promptId: referencePromptId("Calibration prompt"),
        judgeScore: 0,
        oracleLabel: 0,
        response: "yes it is",
        numericFields: {},
        source: { file: labels, line: 2 },
      },
      { promptId: "calibration_row_4", judgeScore: 0.5, oracleLabel: 0.5, numericFields: { extra: 7 }, source: { file: labels, line: 4 } },
    ]);
    expect(data.nUnlabelledCalibrationSkipped).toBe(1);
    expect(data.warnings).toContain(`${labels}: 1 calibration row has neither prompt_id nor prompt; gave them ids calibration_row_<line> (lines 4)`);
    expect(data.dropped).toEqual({ total: 0, byPolicy: {}, byReason: {}, rows: [] });
  });
});

describe("loadEvaluationData: other input shapes", () => {
  it("reads a multi-policy file whose rows carry policy or target_policy", async () => {
    const file = path.join(fixturesDir, "multi-policy.jsonl");
    const data = await loadEvaluationData([file]);
    expect(data.policies).toEqual(["m1", "m2"]);
    expect(data.sources).toEqual([
      { policy: "m1", file },
      { policy: "m2", file },
    ]);
    expect(data.draws.map((d) => [d.policy, d.promptId, d.judgeScore, d.oracleLabel, d.source.line])).toEqual([
      ["m1", "a", 0.2, null, 1],
      ["m2", "a", 0.9, 1, 2],
      ["m1", "b", 0.4, 0, 3],
    ]);
    expect(data.judgeScale).toEqual({ scale: { min: 0, max: 1 }, origin: "inferred" });
    expect(data.calibration).toEqual([]);
    expect(data.nUnlabelledCalibrationSkipped).toBe(0);
  });

  it("combines several inputs and reads an explicit <policy>_responses.jsonl file as that policy", async () => {
    const data = await loadEvaluationData([path.join(fixturesDir, "multi-policy.jsonl"), path.join(folder, "responses", "gamma.jsonl")], {
      judgeScale: { min: 0, max: 10 },
    });
    expect(data.policies).toEqual(["gamma", "m1", "m2"]);
    expect(data.judgeScale.origin).toBe("declared");
    expect(data.draws.filter((d) => d.policy === "m2").map((d) => d.judgeScore)).toEqual([0.09]);
  });

  it("returns a null oracle scale when no label exists and none is declared", async () => {
    const data = await loadEvaluationData([path.join(folder, "responses", "gamma.jsonl")]);
    expect(data.oracleScale).toBeNull();
    expect(data.judgeScale.scale).toEqual({ min: 0, max: 10 });
  });
});
