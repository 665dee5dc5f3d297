import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AnalysisResultSchema } from "@cjeval/core";
import { arenaDir, expectSuccess, runCli } from "./run-cli.js";

const freshDir = path.join(arenaDir, "fresh_draws");
const loggedFile = path.join(arenaDir, "logged_data.jsonl");

describe("cje analyze --logged", () => {
  it("runs stacked-DR on the Arena logs, prints estimates and overlap diagnostics, writes schema-valid JSON", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-logged-"));
    const out = path.join(dir, "r.json");
    const run = await runCli(["analyze", freshDir, "--logged", loggedFile, "--estimator", "stacked-dr", "--out", out]);
    expectSuccess(run);
    expect(run.stdout).toMatch(/estimator: stacked-dr/);
    expect(run.stdout).toMatch(/ESS raw\s+ESS SIMCal\s+TTC/);
    expect(run.stdout).toMatch(/unhelpful\s+0\.\d+.*LOW-LABEL-SUPPORT/);
    const result = AnalysisResultSchema.parse(JSON.parse(await readFile(out, "utf8")));
    expect(result.estimator).toBe("stacked-dr");
    expect(result.policies.map((p) => p.policy)).toEqual(["clone", "parallel_universe_prompt", "unhelpful"]);
    expect(result.policies.every((p) => p.route === "doubly_robust" && p.df !== undefined)).toBe(true);
    expect(result.diagnostics.policies.clone.off_policy?.stacking).not.toBeNull();
  });

  it("accepts the raw-ips alias and reports SNIPS with its weight flags", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-logged-"));
    const out = path.join(dir, "r.json");
    expectSuccess(await runCli(["analyze", freshDir, "--logged", loggedFile, "--estimator", "raw-ips", "--out", out]));
    const result = AnalysisResultSchema.parse(JSON.parse(await readFile(out, "utf8")));
    expect(result.estimator).toBe("snips");
    expect(result.policies.find((p) => p.policy === "unhelpful")?.flags).toEqual(expect.arrayContaining(["LOW-ESS", "LOW-TTC"]));
  });

  it("Horvitz–Thompson IPS on the Arena logs: the 15.9 estimate is flagged and no policy is named best, in one line", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-logged-"));
    const out = path.join(dir, "r.json");
    const run = await runCli(["analyze", freshDir, "--logged", loggedFile, "--estimator", "ips", "--out", out]);
    expectSuccess(run);
    const result = AnalysisResultSchema.parse(JSON.parse(await readFile(out, "utf8")));
    expect(result.policies.find((p) => p.policy === "parallel_universe_prompt")?.flags).toContain("OUTSIDE-PARAMETER-SPACE");
    expect(result.best_policy?.best).toBeNull();
    const lines = run.stdout.split("\n").filter((l) => /best policy/i.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^No best policy: every policy is flagged \(.*\), so the ranking cannot name a winner\. \(raw argmax: parallel_universe_prompt\)$/,
    );
  });

  it("stops with file, line, field and value on a positive log-prob, and rejects an unknown estimator", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-logged-"));
    const fresh = path.join(dir, "a_responses.jsonl");
    await writeFile(fresh, '{"prompt_id":"1","judge_score":0.5,"oracle_label":0.4}\n');
    const logged = path.join(dir, "logged.jsonl");
    await writeFile(
      logged,
      '{"prompt_id":"1","judge_score":0.5,"base_policy_logprob":-3,"target_policy_logprobs":{"a":-2}}\n' +
        '{"prompt_id":"1","judge_score":0.5,"base_policy_logprob":-3,"target_policy_logprobs":{"a":1.5}}\n',
    );
    const bad = await runCli(["analyze", dir, "--logged", logged]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("logged.jsonl:2");
    expect(bad.stderr).toContain("target_policy_logprobs.a");
    expect(bad.stderr).toContain("1.5");
    const unknown = await runCli(["analyze", freshDir, "--logged", loggedFile, "--estimator", "magic"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/estimator.*"magic".*unknown off-policy estimator/);
    const bootstrapOnly = await runCli(["analyze", freshDir, "--logged", loggedFile, "--bootstrap", "100"]);
    expect(bootstrapOnly.code).toBe(1);
    expect(bootstrapOnly.stderr).toMatch(/--bootstrap.*does not apply with --logged/);
  });
});
