import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectSuccess, repoRoot, runCli } from "./run-cli.js";

const fixtures = path.join(repoRoot, "packages", "importers", "test", "fixtures", "importers");
const promptfoo = path.join(repoRoot, "packages", "importers", "test", "fixtures", "promptfoo");
const langsmith = path.join(repoRoot, "packages", "importers", "test", "fixtures", "langsmith");
const inspect = path.join(repoRoot, "packages", "importers", "test", "fixtures", "inspect");

describe("cje import", () => {
  it("turns CSV scores joined with oracle labels, and a promptfoo results file, into fresh draws that cje analyze reads", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-import-cli-"));
    const out = path.join(dir, "draws.jsonl");
    const run = await runCli(["import", "csv", path.join(fixtures, "scores.csv"), "--labels", path.join(fixtures, "labels.csv"), "--out", out]);
    expectSuccess(run);
    expect(run.stdout).toMatch(/base\s+2\s+2/);
    expect(run.stdout).toMatch(/new\s+1\s+1/);
    const rows = (await readFile(out, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.policy, r.prompt_id, r.oracle_label])).toEqual([
      ["base", "q1", 0.75],
      ["base", "q2", 0.5],
      ["new", "q1", 1],
    ]);

    const pf = await runCli(["import", "promptfoo", path.join(promptfoo, "basic.json"), "--label-from", "expert", "--out", path.join(dir, "pf")]);
    expectSuccess(pf);
    expect(pf.stdout).toMatch(/terse\s+3\s+3\s+3/);
    expect(pf.stdout).toContain("note: judge score: 'llm-rubric' assertion (not promptfoo's row score");
    expect(pf.stdout).toContain("skipped 1 record: provider error: 503 Service Unavailable (simulated)");
    expect(pf.stdout).toContain("skipped 1 record: no 'llm-rubric' assertion result (the test has no such assertion)");
    const analysed = await runCli(["analyze", path.join(dir, "pf"), "--inference", "analytic"]);
    expectSuccess(analysed);
    expect(analysed.stdout).toMatch(/terse/);
  });

  it("imports promptfoo --repeat runs as draws, and refuses the display CSV", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-import-cli-"));
    const out = path.join(dir, "repeat.jsonl");
    expectSuccess(await runCli(["import", "promptfoo", path.join(promptfoo, "repeat.json"), "--out", out]));
    const rows = (await readFile(out, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r.draw_idx)).toEqual([0, 1, 0, 1, 0, 1]);
    const csv = await runCli(["import", "promptfoo", path.join(promptfoo, "basic.csv"), "--out", path.join(dir, "x.jsonl")]);
    expect(csv.code).toBe(1);
    expect(csv.stderr).toContain("unsupported: promptfoo's CSV is a display table; export JSON or JSONL");
  });

  it("imports Inspect logs (.json and .eval) and the LangSmith experiment CSV", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-import-cli-"));
    const run = await runCli([
      "import",
      "inspect",
      path.join(inspect, "log.json"),
      path.join(inspect, "log.eval"),
      "--score-from",
      "model_graded_qa",
      "--out",
      path.join(dir, "i.jsonl"),
    ]);
    expectSuccess(run);
    expect(run.stdout).toMatch(/openai\/gpt-4o-mini\s+5\s+3\s+0/);
    expect(run.stdout).toContain("skipped 1 record: sample error: RateLimitError: Error code: 429");
    const csv = await runCli([
      "import",
      "langsmith",
      path.join(langsmith, "gpt-4o-experiment.csv"),
      "--score-key",
      "correctness",
      "--out",
      path.join(dir, "l.jsonl"),
    ]);
    expectSuccess(csv);
    expect(csv.stdout).toMatch(/gpt-4o-experiment\s+3\s+2\s+0/);
  });

  it("an unknown LangSmith key exits 1 listing the keys (no empty file, no 'Next: cje analyze')", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-import-cli-"));
    const run = await runCli([
      "import",
      "langsmith",
      path.join(langsmith, "runs.json"),
      "--feedback",
      path.join(langsmith, "feedback.jsonl"),
      "--score-key",
      "Correctness",
      "--out",
      path.join(dir, "x.jsonl"),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("no feedback key 'Correctness' (did you mean 'correctness'?); present: 'correctness', 'human_rating'");
    expect(run.stdout).not.toContain("Next:");
    await expect(readFile(path.join(dir, "x.jsonl"), "utf8")).rejects.toThrow();
  });

  it("imports LangSmith runs scored by a feedback key", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-import-cli-"));
    const run = await runCli([
      "import",
      "langsmith",
      path.join(fixtures, "langsmith-runs.jsonl"),
      "--feedback",
      path.join(fixtures, "langsmith-feedback.json"),
      "--score-key",
      "helpfulness",
      "--label-key",
      "expert_rating",
      "--out",
      path.join(dir, "ls.jsonl"),
    ]);
    expectSuccess(run);
    expect(run.stdout).toMatch(/support-bot-v1\s+2\s+2\s+1/);
    expect(run.stdout).toContain("skipped 1 record: child run (only root runs are rows)");
  });

  it("exits 1 with file:line:field for a malformed file", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-import-cli-"));
    const bad = await runCli([
      "import",
      "promptfoo",
      path.join(fixtures, "promptfoo-no-provider.json"),
      "--score-from",
      "row-score",
      "--out",
      path.join(dir, "x.jsonl"),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${path.join(fixtures, "promptfoo-no-provider.json")}:6: field 'provider.id' = null: result has no provider id`);
    const format = await runCli(["import", "excel", "a.xlsx", "--out", "x"]);
    expect(format.code).not.toBe(0);
    expect(format.stderr).toMatch(/promptfoo, langsmith, inspect, csv/);
  });
});
