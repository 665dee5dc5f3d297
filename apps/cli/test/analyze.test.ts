import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AnalysisResultSchema, FLAG_NEXT_STEPS, FLAG_REASONS } from "@cjeval/core";
import { arenaDir, expectSuccess, runCli } from "./run-cli.js";

describe("cje analyze", () => {
  it("analyses the Arena fresh draws, prints the table and writes schema-valid JSON", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-cli-"));
    const out = path.join(dir, "result.json");
    const run = await runCli(["analyze", path.join(arenaDir, "fresh_draws"), "--bootstrap", "300", "--out", out]);
    expectSuccess(run);
    const { stdout } = run;
    expect(stdout).toMatch(/policy\s+estimate\s+95% CI/);
    expect(stdout).toMatch(/unhelpful\s+0\.5\d+.*LOW-LABEL-SUPPORT/);
    // Each flag raised: its meaning on one line, the next step on the next.
    expect(stdout).toContain(
      `\nFlags:\n  LOW-LABEL-SUPPORT (unhelpful): ${FLAG_REASONS["LOW-LABEL-SUPPORT"]}\n    next step: ${FLAG_NEXT_STEPS["LOW-LABEL-SUPPORT"]}\n`,
    );
    const result = AnalysisResultSchema.parse(JSON.parse(await readFile(out, "utf8")));
    expect(result.estimator).toBe("direct");
    expect(result.policies.map((p) => p.policy)).toEqual(["base", "clone", "parallel_universe_prompt", "unhelpful"]);
    expect(result.policies.find((p) => p.policy === "clone")?.flags).toEqual([]);
    expect(result.diagnostics.inference.replicates).toBe(300);
  });

  it("gives identical results with one and two bootstrap threads (replicate b always uses RNG stream b)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-cli-"));
    const outs = [path.join(dir, "t1.json"), path.join(dir, "t2.json")];
    for (const [i, threads] of ["1", "2"].entries()) {
      expectSuccess(await runCli(["analyze", path.join(arenaDir, "fresh_draws"), "--bootstrap", "400", "--threads", threads, "--out", outs[i]]));
    }
    const [one, two] = await Promise.all(outs.map(async (f) => AnalysisResultSchema.parse(JSON.parse(await readFile(f, "utf8")))));
    expect(two.policies).toEqual(one.policies);
    expect(two.comparisons).toEqual(one.comparisons);
  });

  it("fails with a one-paragraph message naming file, line, field and value on a bad row", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-cli-"));
    const file = path.join(dir, "a_responses.jsonl");
    await writeFile(file, '{"prompt_id":"1","judge_score":0.5}\n{"prompt_id":"2","judge_score":"high"}\n');
    const { code, stdout, stderr } = await runCli(["analyze", dir]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("a_responses.jsonl:2");
    expect(stderr).toContain("judge_score");
    expect(stderr).toContain('"high"');
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  it("drops, counts and reports invalid rows with --on-invalid drop", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-cli-"));
    const rows = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ prompt_id: `p${i}`, judge_score: (i % 10) / 10, oracle_label: i % 2 === 0 ? (i % 10) / 10 : null }),
    );
    rows.push('{"prompt_id":"bad","judge_score":null}');
    await writeFile(path.join(dir, "a_responses.jsonl"), `${rows.join("\n")}\n`);
    const out = path.join(dir, "r.json");
    expectSuccess(await runCli(["analyze", dir, "--on-invalid", "drop", "--inference", "analytic", "--out", out]));
    const result = AnalysisResultSchema.parse(JSON.parse(await readFile(out, "utf8")));
    expect(result.diagnostics.dropped.total).toBe(1);
    expect(result.diagnostics.dropped.rows[0]).toMatchObject({ line: 31, field: "judge_score" });
    expect(result.policies[0].n).toBe(30);
  });

  it("rejects a missing input path and a malformed scale flag", async () => {
    const missing = await runCli(["analyze", "/nonexistent/folder"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("/nonexistent/folder");
    const badScale = await runCli(["analyze", arenaDir, "--judge-scale", "5"]);
    expect(badScale.code).not.toBe(0);
    expect(badScale.stderr).toContain("LO,HI");
  });
});
