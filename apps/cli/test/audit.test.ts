import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AnalysisResultSchema, AuditReportSchema } from "@cjeval/core";
import { arenaDir, expectSuccess, runCli } from "./run-cli.js";

const probe = (policy: string) => `${policy}=${path.join(arenaDir, "probe_slice", `${policy}_probe.jsonl`)}`;
const PROBES = ["unhelpful", "clone", "parallel_universe_prompt"].flatMap((p) => ["--probe", probe(p)]);

const jsonl = (rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;

describe("cje audit", () => {
  it("FAILs unhelpful on the Arena probe slice at delta_max 0.05 and does not FAIL clone or parallel_universe_prompt", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-audit-"));
    const out = path.join(dir, "audit.json");
    const run = await runCli(["audit", "--calibration-from", path.join(arenaDir, "fresh_draws"), ...PROBES, "--delta-max", "0.05", "--out", out]);
    expectSuccess(run);
    expect(run.stdout).toMatch(/unhelpful\s+FAIL\s+-0\.33\d\s+\[-0\.4\d\d, -0\.2\d\d\]\s+±0\.050\s+50/);
    expect(run.stdout).toContain("Overall: FAIL");
    expect(run.stderr).toContain("residual transport FAIL: simultaneous CI");
    const report = AuditReportSchema.parse(JSON.parse(await readFile(out, "utf8")));
    expect(report.family_size).toBe(3);
    expect(report.policies.unhelpful.status).toBe("FAIL");
    expect(report.policies.clone.status).not.toBe("FAIL");
    expect(report.policies.parallel_universe_prompt.status).not.toBe("FAIL");
    expect(report.policies.base).toMatchObject({ status: "NOT_CHECKED", reason_code: "probe_not_provided" });
  });

  it("rejects malformed options and unknown policies with a one-line message", async () => {
    const fresh = path.join(arenaDir, "fresh_draws");
    const syntax = await runCli(["audit", "--calibration-from", fresh, "--probe", "unhelpful"]);
    expect(syntax.code).not.toBe(0);
    expect(syntax.stderr).toContain("expected <policy>=<file>");
    const margin = await runCli(["audit", "--calibration-from", fresh, "--probe", probe("clone"), "--delta-max", "clone=-1"]);
    expect(margin.code).not.toBe(0);
    expect(margin.stderr).toContain("expected a number > 0");
    const unknown = await runCli(["audit", "--calibration-from", fresh, "--probe", `ghost=${path.join(arenaDir, "probe_slice", "clone_probe.jsonl")}`]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toMatch(/^cje: transport configuration names unknown policies: ghost/);
    const none = await runCli(["audit", "--calibration-from", fresh]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("give at least one --probe");
  });
});

describe("cje analyze with --probe / --delta-max", () => {
  it("wires the audit into the flags and the table, with per-policy margins", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-audit-"));
    const out = path.join(dir, "result.json");
    const run = await runCli([
      "analyze",
      path.join(arenaDir, "fresh_draws"),
      "--inference",
      "analytic",
      ...PROBES,
      "--delta-max",
      "0.05",
      "--delta-max",
      "clone=0.1",
      "--out",
      out,
    ]);
    expectSuccess(run);
    expect(run.stdout).toMatch(/policy\s+estimate\s+95% CI\s+n\s+labels\s+transport\s+flags/);
    expect(run.stdout).toMatch(/unhelpful\s+0\.5\d+.*FAIL δ=-0\.33\d\s+LOW-LABEL-SUPPORT,TRANSPORT-FAIL/);
    expect(run.stdout).toMatch(/base\s.*NOT_CHECKED/);
    const result = AnalysisResultSchema.parse(JSON.parse(await readFile(out, "utf8")));
    const clone = result.diagnostics.policies.clone.transport;
    expect(clone?.delta_max).toBe(0.1);
    expect(result.policies.find((p) => p.policy === "unhelpful")?.flags).toContain("TRANSPORT-FAIL");
  });

  it("demotes a raw winner that fails transport and prints why", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-audit-"));
    const n = 300;
    const rows = (policy: string, lo: number, hi: number) =>
      Array.from({ length: n }, (_, i) => ({ prompt_id: `p${i}`, judge_score: lo + ((hi - lo) * i) / (n - 1), response: `${policy} ${i}` }));
    await writeFile(path.join(dir, "base_responses.jsonl"), jsonl(rows("base", 0, 1).map((r, i) => (i % 2 === 0 ? { ...r, oracle_label: r.judge_score } : r))));
    await writeFile(path.join(dir, "good_responses.jsonl"), jsonl(rows("good", 0.4, 0.8)));
    await writeFile(path.join(dir, "bad_responses.jsonl"), jsonl(rows("bad", 0.6, 1)));
    const probes = path.join(dir, "probes");
    await writeFile(
      probes,
      jsonl(
        Array.from({ length: 40 }, (_, i) => ({
          prompt_id: `q${i}`,
          judge_score: 0.3 + (0.4 * i) / 39,
          oracle_label: 0.1 + (0.4 * i) / 39 + (i % 2 ? 0.01 : -0.01),
        })),
      ),
    );
    const run = await runCli(["analyze", dir, "--inference", "analytic", "--probe", `bad=${probes}`, "--delta-max", "0.05"]);
    expectSuccess(run);
    expect(run.stdout).toMatch(
      /Best reliable policy: good \(raw argmax bad was flagged: residual transport FAIL: simultaneous CI \[-0\.2\d\d, -0\.1\d\d\] is outside margin ±0\.050\)/,
    );
  });
});
