import { describe, expect, it } from "vitest";
import { promptHashId } from "../../src/data/fields.js";
import { evaluationDataFromRecords } from "../../src/data/from-records.js";
import { inputError, pythonReference } from "./support.js";

describe("evaluationDataFromRecords", () => {
  it("reads a flat array whose rows name their policy, located as in-memory:<index + 1>", () => {
    const data = evaluationDataFromRecords([
      { policy: "b", prompt_id: "p", judge_score: 0.25 },
      { target_policy: "a", prompt_id: "p", judge_score: 0.75, oracle_label: 1 },
    ]);
    expect(data.policies).toEqual(["a", "b"]);
    expect(data.sources).toEqual([
      { policy: "a", file: "in-memory" },
      { policy: "b", file: "in-memory" },
    ]);
    expect(data.draws.map((d) => [d.policy, d.judgeScore, d.oracleLabel, d.source])).toEqual([
      ["b", 0.25, null, { file: "in-memory", line: 1 }],
      ["a", 0.75, 1, { file: "in-memory", line: 2 }],
    ]);
  });

  it("reads an object of policy → rows and in-memory calibration rows", () => {
    const data = evaluationDataFromRecords(
      { a: [{ prompt_id: "p", judge_score: 2 }], b: [{ prompt_id: "p", judge_score: 5, policy: "b" }] },
      {
        calibration: [
          { prompt_id: "c", judge_score: 4, oracle_label: 1 },
          { prompt_id: "d", judge_score: 3 },
        ],
      },
    );
    expect(data.judgeScale.scale).toEqual({ min: 1, max: 5 });
    expect(data.draws.map((d) => [d.policy, d.judgeScore, d.source.file])).toEqual([
      ["a", 0.25, "in-memory[a]"],
      ["b", 1, "in-memory[b]"],
    ]);
    expect(data.calibration).toEqual([
      { promptId: "c", judgeScore: 0.75, oracleLabel: 1, numericFields: {}, source: { file: "in-memory[calibration]", line: 1 } },
    ]);
    expect(data.nUnlabelledCalibrationSkipped).toBe(1);
    expect(data.oracleScale).toEqual({ scale: { min: 0, max: 1 }, origin: "inferred" });
  });

  it("applies the same validation as the file loader", async () => {
    const wrongPolicy = await inputError(() => evaluationDataFromRecords({ a: [{ prompt_id: "p", judge_score: 0.5, policy: "b" }] }));
    expect(wrongPolicy.message).toBe(`in-memory[a]:1: field 'policy' = "b": row belongs to another policy, but this file holds policy 'a' (named by the file)`);
    const noPolicy = await inputError(() => evaluationDataFromRecords([{ prompt_id: "p", judge_score: 0.5 }]));
    expect(noPolicy.location).toMatchObject({ file: "in-memory", line: 1, field: "policy" });
    const nan = await inputError(() => evaluationDataFromRecords({ a: [{ prompt_id: "p", judge_score: Number.NaN }] }));
    expect(nan.location).toEqual({ file: "in-memory[a]", line: 1, field: "judge_score", value: Number.NaN });
    expect(nan.message).toMatch(/^in-memory\[a\]:1: field 'judge_score' = .*: not a finite number$/);
    expect((await inputError(() => evaluationDataFromRecords({}))).message).toContain("no fresh draws given");
    expect((await inputError(() => evaluationDataFromRecords({ a: [] }))).message).toBe("in-memory[a]: no records (the source is empty)");
  });

  it("derives prompt ids from the prompt text exactly as Python's hashlib does, stably across policies", () => {
    for (const { prompt, id } of pythonReference.promptIds) expect(promptHashId(prompt)).toBe(id);
    const prompt = pythonReference.promptIds[1].prompt;
    const data = evaluationDataFromRecords({
      a: [{ prompt, judge_score: 0.5 }],
      b: [{ prompt, judge_score: 0.5, response: "other" }],
    });
    expect(data.draws.map((d) => d.promptId)).toEqual([pythonReference.promptIds[1].id, pythonReference.promptIds[1].id]);
  });

  it("coerces scalar prompt ids to strings; top level wins over metadata", () => {
    const data = evaluationDataFromRecords({
      a: [
        { prompt_id: 0, judge_score: 0.5 },
        { prompt_id: "", judge_score: 0.5 },
        { prompt_id: 1.5, judge_score: 0.5 },
        { prompt_id: "top", metadata: { prompt_id: "meta" }, judge_score: 0.5 },
        { metadata: { prompt_id: 7 }, prompt: "ignored for the id", judge_score: 0.5 },
      ],
    });
    expect(data.draws.map((d) => d.promptId)).toEqual(["0", "", "1.5", "top", "7"]);
  });

  it("assigns a missing draw_idx the smallest index not used by the prompt's other draws", () => {
    const data = evaluationDataFromRecords({
      a: [
        { prompt_id: "p", judge_score: 0.1, draw_idx: 1 },
        { prompt_id: "p", judge_score: 0.2 },
        { prompt_id: "q", judge_score: 0.3 },
        { prompt_id: "q", judge_score: 0.4 },
        { prompt_id: "q", judge_score: 0.5, draw_idx: 0 },
        { prompt_id: "r", judge_score: 0.6, draw_idx: "2" },
      ],
      b: [{ prompt_id: "p", judge_score: 0.7 }],
    });
    expect(data.draws.map((d) => `${d.policy}/${d.promptId}/${d.drawIdx}`)).toEqual(["a/p/1", "a/p/0", "a/q/1", "a/q/2", "a/q/0", "a/r/2", "b/p/0"]);
  });

  it("accepts decimal numeric strings like Python's float()", () => {
    const data = evaluationDataFromRecords({
      a: [" 0.5 ", "+.25", "1e-1", "-0"].map((judge, i) => ({ prompt_id: `p${i}`, judge_score: judge })),
    });
    expect(data.draws.map((d) => d.judgeScore)).toEqual([0.5, 0.25, 0.1, 0]);
  });

  it("keeps other numeric top-level and metadata fields as candidate covariates", async () => {
    const data = evaluationDataFromRecords({
      a: [
        {
          prompt_id: "p",
          judge_score: 0.5,
          draw_idx: 0,
          tokens: 12,
          flag: true,
          note: "3",
          metadata: { latency: 0.25, tokens: 12, prompt_id: 9, tag: "x" },
        },
      ],
    });
    expect(data.draws[0].numericFields).toEqual({ tokens: 12, latency: 0.25 });
    const conflict = await inputError(() => evaluationDataFromRecords({ a: [{ prompt_id: "p", judge_score: 0.5, tokens: 12, metadata: { tokens: 13 } }] }));
    expect(conflict.message).toBe("in-memory[a]:1: field 'metadata.tokens' = 13: conflicts with top-level 'tokens' = 12");
    const badMetadata = await inputError(() => evaluationDataFromRecords({ a: [{ prompt_id: "p", judge_score: 0.5, metadata: [1] }] }));
    expect(badMetadata.message).toBe("in-memory[a]:1: field 'metadata' = [1]: not an object");
  });
});
