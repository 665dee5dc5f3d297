import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ValidationReportSchema } from "@cjeval/core";
import { arenaDir, expectSuccess, runCli } from "./run-cli.js";

describe("cje validate", () => {
  it("accepts the Arena fresh draws (exit 0) and reports counts and scales", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-validate-"));
    const out = path.join(dir, "report.json");
    const run = await runCli(["validate", path.join(arenaDir, "fresh_draws"), "--out", out]);
    expectSuccess(run);
    expect(run.stdout).toMatch(/base\s+1000\s+1000\s+480\s+48\.0%/);
    expect(run.stdout).toContain("scales: judge 0–1 (inferred), oracle 0–1 (inferred)");
    expect(run.stdout).toContain("Valid: cje analyze can run on these inputs.");
    const report = ValidationReportSchema.parse(JSON.parse(await readFile(out, "utf8")));
    expect(report.valid).toBe(true);
  });

  it("lists every bad row with the message cje analyze stops on, and exits 1", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-validate-"));
    const rows = Array.from({ length: 10 }, (_, i) => JSON.stringify({ prompt_id: `p${i}`, judge_score: i / 10 }));
    rows[1] = '{"prompt_id":"p1","judge_score":"high"}';
    rows[6] = '{"prompt_id":"p6","judge_score":0.6,"oracle_label":true}';
    await writeFile(path.join(dir, "a_responses.jsonl"), `${rows.join("\n")}\n`);
    const run = await runCli(["validate", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe("cje: validation failed: 2 errors; cje analyze would stop on the first one");
    const analyzed = await runCli(["analyze", dir]);
    const analyzeMessage = analyzed.stderr.trim().replace(/^cje: /, "");
    const errors = run.stdout.split("\n").filter((line) => line.startsWith("error: "));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBe(`error: ${analyzeMessage}`);
    expect(errors[1]).toContain("a_responses.jsonl:7: field 'oracle_label' = true");
    const dropping = await runCli(["validate", dir, "--on-invalid", "drop"]);
    expectSuccess(dropping);
    expect(dropping.stdout).toContain("warning: ");
  });
});
