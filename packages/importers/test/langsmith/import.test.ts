import { describe, expect, it } from "vitest";
import { importLangSmith, importRuns } from "../../src/index.js";
import { fixture, inputError } from "../helpers.js";

// Shapes from the LangSmith SDK's schemas (Run, Feedback, FeedbackStats) and its to_pandas flattening;
// sources in test/fixtures/README.md.
const ls = (name: string) => fixture("langsmith", name);
const EX1 = "e0000000-0000-4000-8000-000000000001";
const EX2 = "e0000000-0000-4000-8000-000000000002";

describe("LangSmith runs and feedback", () => {
  it("a JSON array of runs + JSONL feedback: readable experiment names, repetitions as draws, errors and child runs counted", async () => {
    const runs = ls("runs.json");
    const { rows, skipped, notes } = await importLangSmith([runs], [ls("feedback.jsonl")], { scoreKey: "correctness", labelKey: "human_rating" });
    expect(rows.map((r) => [r.policy, r.prompt_id, r.draw_idx, r.judge_score, r.oracle_label])).toEqual([
      ["gpt-4o-mini", EX1, 0, 0.8, 4],
      ["gpt-4o-mini", EX1, 1, 0, undefined],
      ["claude-haiku", EX1, undefined, 1, 5],
    ]);
    expect(rows[0]).toMatchObject({
      prompt: "How do I reset my password?",
      response: "Click 'Forgot password' on the sign-in page.",
      source: { file: runs, line: 2 },
    });
    expect(skipped.map((s) => s.reason)).toEqual([
      "child run (only root runs are rows)",
      "run error: RateLimitError: 429 Too Many Requests",
      "no 'correctness' feedback",
    ]);
    expect(notes).toContain("experiment names without their random tail: 'gpt-4o-mini-3f9a1c2e' → 'gpt-4o-mini', 'claude-haiku-7b2d4e10' → 'claude-haiku'");
  });

  it("--policy-from names policies by a run field (metadata.x finds extra.metadata.x)", async () => {
    const { rows } = await importLangSmith([ls("runs.json")], [ls("feedback.jsonl")], { scoreKey: "correctness", policyFrom: "metadata.model" });
    expect([...new Set(rows.map((r) => r.policy))]).toEqual(["gpt-4o-mini", "claude-3-5-haiku"]);
  });

  it("an unknown key exits with the keys that exist (and the near miss)", async () => {
    const error = await inputError(importRuns({ format: "langsmith", files: [ls("runs.json")], feedback: [ls("feedback.jsonl")], scoreKey: "Correctness" }));
    expect(error.message).toBe(
      `field 'scoreKey' = "Correctness": no feedback key 'Correctness' (did you mean 'correctness'?); present: 'correctness', 'human_rating'`,
    );
    const label = await inputError(importLangSmith([ls("run-single.json")], [], { scoreKey: "correctness", labelKey: "expert" }));
    expect(label.message).toBe(`${ls("run-single.json")}: field 'labelKey' = "expert": no feedback key 'expert'; present: 'correctness', 'note'`);
  });

  it("a single exported run object scored by its own feedback_stats, named after its file (not its session UUID)", async () => {
    const { rows, notes } = await importLangSmith([ls("run-single.json")], [], { scoreKey: "correctness" });
    expect(rows).toEqual([
      {
        policy: "run-single",
        prompt_id: EX2,
        judge_score: 0.5,
        prompt: "Cancel my order",
        response: "Your order is cancelled.",
        source: { file: ls("run-single.json"), line: 1 },
      },
    ]);
    expect(notes).toContain("judge score: feedback 'correctness' (1 from the runs' feedback_stats averages)");
  });

  it("runs naming several experiments only by UUID need --policy-from", async () => {
    const error = await inputError(importLangSmith([ls("runs-uuid-sessions.jsonl")], [], { scoreKey: "correctness" }));
    expect(error.message).toMatch(/the runs name 2 experiments only by session UUID .*give --policy-from/);
    const named = await importLangSmith([ls("runs-uuid-sessions.jsonl")], [], { scoreKey: "correctness", policyFrom: "session_id" });
    expect(named.rows.map((r) => r.judge_score)).toEqual([0.3, 0.6]);
  });

  it("duplicate feedback and feedback for unknown runs name their lines", async () => {
    const dup = await inputError(
      importLangSmith([fixture("importers", "langsmith-runs.jsonl")], [fixture("importers", "langsmith-feedback-duplicate.jsonl")], {
        scoreKey: "helpfulness",
      }),
    );
    expect(dup.location).toMatchObject({ file: fixture("importers", "langsmith-feedback-duplicate.jsonl"), line: 3, field: "run_id" });
    expect(dup.message).toMatch(/first on line 1/);
    const orphan = await inputError(
      importLangSmith([fixture("importers", "langsmith-runs.jsonl")], [fixture("importers", "langsmith-feedback.json")], { scoreKey: "accuracy", policy: "p" }),
    );
    expect(orphan.message).toMatch(/run_id.*not in the runs files/);
    expect(orphan.location).toMatchObject({ file: fixture("importers", "langsmith-feedback.json"), line: 8, value: "run-9" });
  });
});

describe("LangSmith experiment CSV (to_pandas().to_csv())", () => {
  it("reads feedback.<key> columns: policy from the file name, True/False as 1/0, errored rows counted, repetitions as draws", async () => {
    const file = ls("gpt-4o-experiment.csv");
    const { rows, skipped } = await importLangSmith([file], [], { scoreKey: "correctness", labelKey: "human_rating" });
    expect(rows.map((r) => [r.policy, r.prompt_id, r.draw_idx, r.judge_score, r.oracle_label, r.source.line])).toEqual([
      ["gpt-4o-experiment", EX1, 0, 1, 4, 2],
      ["gpt-4o-experiment", "e0000000-0000-4000-8000-000000000003", undefined, 0, undefined, 4],
      ["gpt-4o-experiment", EX1, 1, 1, 5, 6],
    ]);
    expect(rows[0]).toMatchObject({ prompt: "How do I reset my password?", response: 'Click "Forgot password", then follow the email.' });
    expect(rows[1].prompt).toBe("Where is my parcel?\n(order 1234)");
    expect(skipped).toEqual([{ file, line: 3, reason: "run error: RateLimitError: 429 Too Many Requests" }]);
    expect((await importLangSmith([file], [], { scoreKey: "correctness", policy: "gpt-4o" })).rows[0].policy).toBe("gpt-4o");
    const unknown = await inputError(importLangSmith([file], [], { scoreKey: "helpfulness" }));
    expect(unknown.message).toMatch(/no feedback key 'helpfulness'; present: 'correctness', 'human_rating'/);
  });
});
