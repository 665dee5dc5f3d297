import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectSuccess, repoRoot, runCli } from "./run-cli.js";

const fixtures = path.join(repoRoot, "packages", "importers", "test", "fixtures", "importers");

describe("cje import", () => {
  it("turns CSV scores joined with oracle labels, and a promptfoo results file, into fresh draws that cje analyze reads", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-import-cli-"));
    const out = path.join(dir, "draws.jsonl");
    const run = await runCli(["import", "csv", path.join(fixtures, "scores.csv"), "--labels", path.join(fixtures, "labels.csv"), "--out", out]);
    expectSuccess(run);
    expect(run.stdout).toMatch(/base\s+2\s+2/);
    expect(run.stdout).toMatch(/new\s+1\s+1/);
    const rows = (await readFile(out, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.policy, r.prompt_id, r.oracle_label])).toEqual([
      ["base", "q1", 0.75],
      ["base", "q2", 0.5],
      ["new", "q1", 1],
    ]);

    const pf = await runCli(["import", "promptfoo", path.join(fixtures, "promptfoo-results.json"), "--out", path.join(dir, "pf")]);
    expectSuccess(pf);
    expect(pf.stdout).toContain("skipped 1 record: provider error: 429 Too Many Requests");
    const analysed = await runCli(["analyze", path.join(dir, "pf"), "--inference", "analytic"]);
    expectSuccess(analysed);
    expect(analysed.stdout).toMatch(/openai:gpt-4o-mini/);
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
    expect(run.stdout).toMatch(/support-bot-v1\s+2\s+1/);
    expect(run.stdout).toContain("skipped 1 record: child run (only root runs are rows)");
  });

  it("exits 1 with file:line:field for a malformed file", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-import-cli-"));
    const bad = await runCli(["import", "promptfoo", path.join(fixtures, "promptfoo-no-provider.json"), "--out", path.join(dir, "x.jsonl")]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${path.join(fixtures, "promptfoo-no-provider.json")}:6: field 'provider.id' = null: result has no provider id`);
    const format = await runCli(["import", "excel", "a.xlsx", "--out", "x"]);
    expect(format.code).not.toBe(0);
    expect(format.stderr).toMatch(/promptfoo, langsmith, csv/);
  });
});
