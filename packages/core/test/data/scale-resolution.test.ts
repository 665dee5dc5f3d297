import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadEvaluationData } from "../../src/data/load.js";
import { inputError, removeTrees, writeTree } from "./support.js";

afterAll(removeTrees);

/** Fresh draws judged 3–97 (looks 0–100) and a calibration file judged 0.2–0.9 (looks 0–1). */
function mixedTree() {
  const dir = writeTree({
    "a_responses.jsonl": [
      { prompt_id: "p1", judge_score: 3, oracle_label: 2 },
      { prompt_id: "p2", judge_score: 97 },
      { prompt_id: "p3", judge_score: 50, oracle_label: 4 },
    ],
    "labels/calibration.jsonl": [
      { prompt_id: "c1", judge_score: 0.2, oracle_label: 1 },
      { prompt_id: "c2", judge_score: 0.9, oracle_label: 5 },
    ],
  });
  return { dir, a: path.join(dir, "a_responses.jsonl"), cal: path.join(dir, "labels", "calibration.jsonl") };
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 14));
}

describe("scale resolution across sources", () => {
  it("refuses sources that infer different scales for the same quantity", async () => {
    const { a, cal } = mixedTree();
    const error = await inputError(() => loadEvaluationData([a], { calibrationFile: cal }));
    expect(error.message).toBe(
      `mixed judge scales: ${a} looks 0–100 (observed 3 to 97), ${cal} looks 0–1 (observed 0.2 to 0.9); ` +
        "declare --judge-scale LO,HI (option judgeScale) so that every source is read on one scale",
    );
  });

  it("lets a declared scale override inference for every source; oracle labels resolve independently", async () => {
    const { a, cal } = mixedTree();
    const data = await loadEvaluationData([a], { calibrationFile: cal, judgeScale: { min: 0, max: 100 } });
    expect(data.judgeScale).toEqual({ scale: { min: 0, max: 100 }, origin: "declared" });
    expect(data.oracleScale).toEqual({ scale: { min: 1, max: 5 }, origin: "inferred" });
    expectClose(
      data.draws.map((d) => d.judgeScore),
      [0.03, 0.97, 0.5],
    );
    expect(data.draws.map((d) => d.oracleLabel)).toEqual([0.25, null, 0.75]);
    expectClose(
      data.calibration.map((c) => c.judgeScore),
      [0.002, 0.009],
    );
    expect(data.calibration.map((c) => c.oracleLabel)).toEqual([0, 1]);
  });

  it("names the file:line of a value outside a declared scale", async () => {
    const { a, cal } = mixedTree();
    const judge = await inputError(() => loadEvaluationData([a], { calibrationFile: cal, judgeScale: { min: 0, max: 10 } }));
    expect(judge.message).toBe(`${a}:2: field 'judge_score' = 97: outside the declared judge scale 0–10`);
    const oracle = await inputError(() => loadEvaluationData([a], { calibrationFile: cal, judgeScale: { min: 0, max: 100 }, oracleScale: { min: 2, max: 5 } }));
    expect(oracle.message).toBe(`${cal}:1: field 'oracle_label' = 1: outside the declared oracle scale 2–5`);
  });

  it("accepts values within 1e-9 of a declared bound and clamps them onto [0, 1]", async () => {
    const dir = writeTree({
      "a_responses.jsonl": [
        { prompt_id: "p", judge_score: 1 + 5e-10 },
        { prompt_id: "q", judge_score: -5e-10 },
      ],
    });
    const data = await loadEvaluationData([dir], { judgeScale: { min: 0, max: 1 } });
    expect(data.draws.map((d) => d.judgeScore)).toEqual([1, 0]);
  });

  it("asks for a declaration when values fit no standard scale", async () => {
    const dir = writeTree({
      "a_responses.jsonl": [
        { prompt_id: "p", judge_score: 20 },
        { prompt_id: "q", judge_score: 250 },
      ],
    });
    const file = path.join(dir, "a_responses.jsonl");
    const error = await inputError(() => loadEvaluationData([dir]));
    expect(error.message).toBe(
      `${file}:2: field 'judge_score' = 250: judge_score values of ${file} span 20 to 250, beyond every standard scale ` +
        "(0–1, 1–5, 0–5, 1–7, 1–10, 0–10, 0–100); declare --judge-scale LO,HI (option judgeScale)",
    );
    const negative = await inputError(() => loadEvaluationData([writeTree({ "a_responses.jsonl": [{ prompt_id: "p", judge_score: 0.5, oracle_label: -1 }] })]));
    expect(negative.location).toMatchObject({ line: 1, field: "oracle_label", value: -1 });
  });

  it("infers per policy within a multi-policy file", async () => {
    const dir = writeTree({
      "draws.jsonl": [
        { policy: "x", prompt_id: "p", judge_score: 0.5 },
        { policy: "y", prompt_id: "p", judge_score: 4 },
      ],
    });
    const file = path.join(dir, "draws.jsonl");
    const error = await inputError(() => loadEvaluationData([file]));
    expect(error.message).toContain(`${file} (policy 'x') looks 0–1 (observed 0.5 to 0.5), ${file} (policy 'y') looks 1–5 (observed 4 to 4)`);
  });
});
