import { describe, expect, it } from "vitest";
import { importInspect, inspectValueToFloat } from "../../src/index.js";
import { fixture, inputError } from "../helpers.js";

// log.json follows Inspect's EvalLog schema (version 2); log.eval is the same run in the .eval zip layout
// (make-eval-archive.mjs). Sources in test/fixtures/README.md.
const log = fixture("inspect", "log.json");
const archive = fixture("inspect", "log.eval");

describe("Inspect AI eval logs", () => {
  it("maps Inspect score values to numbers as Inspect's value_to_float does", () => {
    expect([true, false, 0.25, 3, "C", "P", "I", "N", "yes", "FALSE", "0.75"].map(inspectValueToFloat)).toEqual([1, 0, 0.25, 3, 1, 0.5, 0, 0, 1, 0, 0.75]);
    expect([["C"], { a: 1 }, "maybe", ""].map(inspectValueToFloat)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("a .json log: model → policy, sample id → prompt id, epoch → draw; errored samples counted; another scorer as the label", async () => {
    const { rows, skipped } = await importInspect([log], { scoreFrom: "model_graded_qa", labelFrom: "expert" });
    expect(rows.map((r) => [r.policy, r.prompt_id, r.draw_idx, r.judge_score, r.oracle_label])).toEqual([
      ["openai/gpt-4o-mini", "1", 0, 1, 5],
      ["openai/gpt-4o-mini", "1", 1, 1, 4],
      ["openai/gpt-4o-mini", "2", 0, 0.5, 3],
      ["openai/gpt-4o-mini", "2", 1, 0, 1],
      ["openai/gpt-4o-mini", "q3", 0, 0, 2],
    ]);
    expect(rows[0]).toMatchObject({ prompt: "What is the capital of France?", response: "Paris.", source: { file: log, line: 102 } });
    expect(rows[2].prompt).toBe("What is 17 * 3?");
    expect(skipped).toEqual([{ file: log, line: 516, reason: "sample error: RateLimitError: Error code: 429" }]);
  });

  it("a .eval archive reads the same way, each sample located by its archive entry", async () => {
    const { rows } = await importInspect([archive], { scoreFrom: "model_graded_qa" });
    expect(rows.map((r) => [r.policy, r.prompt_id, r.draw_idx, r.judge_score])).toEqual([
      ["anthropic/claude-3-5-haiku", "1", 0, 1],
      ["anthropic/claude-3-5-haiku", "1", 1, 1],
      ["anthropic/claude-3-5-haiku", "2", 0, 0.5],
      ["anthropic/claude-3-5-haiku", "2", 1, 0.5],
      ["anthropic/claude-3-5-haiku", "q3", 0, 0.5],
    ]);
    expect(rows[0].source).toEqual({ file: `${archive}:samples/1_epoch_1.json` });
  });

  it("several scorers need --score-from; an unknown one lists the scorers", async () => {
    expect((await inputError(importInspect([log]))).message).toBe(
      `${log}: field 'scoreFrom': the logs have several scorers ('expert', 'model_graded_qa'): choose the judge with --score-from`,
    );
    expect((await inputError(importInspect([log], { scoreFrom: "Model_Graded_QA" }))).message).toBe(
      `${log}: field 'scoreFrom' = "Model_Graded_QA": no scorer 'Model_Graded_QA' (did you mean 'model_graded_qa'?); present: 'expert', 'model_graded_qa'`,
    );
    expect((await inputError(importInspect([fixture("langsmith", "runs.json")]))).message).toMatch(/not an Inspect eval log/);
  });
});
