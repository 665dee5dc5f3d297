import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { simulateWorld } from "@cjeval/core/advanced";
import { writeFileAtomic } from "@cjeval/provider-utils";
import { parseCsv, readSampleRecord, readToLabel } from "@cjeval/oracle";
import { describe, expect, it } from "vitest";
import { arenaDir, expectSuccess, runCli } from "./run-cli.js";

/** A fresh-draw folder of a synthetic world (two policies × 200 prompts, 30 base labels). */
async function worldFolder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "cje-sample-"));
  const world = simulateWorld({
    policies: [
      { name: "base", shift: 0 },
      { name: "other", shift: 0.3 },
    ],
    prompts: 200,
    oracleShare: 0.15,
    seed: 2,
  });
  for (const policy of ["base", "other"]) {
    const rows = world.records.filter((r) => r.policy === policy).map(({ policy: _p, ...rest }) => JSON.stringify(rest));
    await writeFileAtomic(path.join(dir, "draws", `${policy}_responses.jsonl`), `${rows.join("\n")}\n`);
  }
  return dir;
}

describe("cje sample", () => {
  it("draws a stratified sample reproducibly, writes the design record and a blind export", async () => {
    const dir = await worldFolder();
    const out = path.join(dir, "to-label.jsonl");
    const args = ["sample", path.join(dir, "draws"), "--design", "stratified", "--budget", "50", "--seed", "1", "--out", out];
    const run = await runCli([...args, "--export", path.join(dir, "blind.csv")]);
    expectSuccess(run);
    expect(run.stdout).toMatch(/Sampled 50 of 400 rows \(base, other\): stratified by judge score \(proportional allocation, 5 strata\), seed 1/);
    expect(run.stdout).toMatch(/stratum\s+rows\s+sampled/);
    const first = await readFile(out, "utf8");
    const { rows } = await readToLabel(out);
    expect(rows).toHaveLength(50);
    expect((await readSampleRecord(path.join(dir, "to-label.design.json"))).design).toMatchObject({ kind: "stratified", allocation: "proportional" });
    const blind = parseCsv(await readFile(path.join(dir, "blind.csv"), "utf8"), "blind.csv");
    expect(blind[0].fields).toEqual(["item_id", "prompt", "response", "oracle_label"]);
    expect(blind.slice(1).map((r) => [r.fields.length, r.fields[3]])).toEqual(rows.map((r) => [4, r.oracle_label === null ? "" : String(r.oracle_label)]));
    expectSuccess(await runCli(args));
    expect(await readFile(out, "utf8")).toBe(first);
  });

  it("draws the next round from the record: a superset; design options with --design-from are refused", async () => {
    const dir = await worldFolder();
    const out = path.join(dir, "round1.jsonl");
    expectSuccess(await runCli(["sample", path.join(dir, "draws"), "--design", "active", "--policies", "base", "--budget", "30", "--seed", "5", "--out", out]));
    const next = path.join(dir, "round2.jsonl");
    const run = await runCli(["sample", path.join(dir, "draws"), "--design-from", path.join(dir, "round1.design.json"), "--budget", "60", "--out", next]);
    expectSuccess(run);
    expect(run.stdout).toMatch(/active \(10 judge-score bins, floor π ≥ [\d.]+\), seed 5/);
    const ids = new Set((await readToLabel(next)).rows.map((r) => r.item_id));
    for (const r of (await readToLabel(out)).rows) expect(ids.has(r.item_id)).toBe(true);
    const clash = await runCli([
      "sample",
      path.join(dir, "draws"),
      "--design-from",
      path.join(dir, "round1.design.json"),
      "--budget",
      "60",
      "--seed",
      "2",
      "--out",
      next,
    ]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(/--design-from reuses the recorded design, seed and policies; drop --seed/);
  });

  it("samples the logging policy of the Arena data with Neyman allocation informed by its labels", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-sample-"));
    const out = path.join(dir, "to-label.jsonl");
    const run = await runCli([
      "sample",
      path.join(arenaDir, "fresh_draws"),
      "--design",
      "stratified",
      "--allocation",
      "neyman",
      "--policies",
      "base",
      "--budget",
      "50",
      "--out",
      out,
    ]);
    expectSuccess(run);
    const record = await readSampleRecord(path.join(dir, "to-label.design.json"));
    expect(record.design.kind === "stratified" && record.design.sigma?.every((s) => s > 0)).toBe(true);
    expect(run.stderr).toMatch(/labelled frame row\(s\) were not drawn by this design/);
  });

  it("fails with one-paragraph messages on bad requests", async () => {
    const dir = await worldFolder();
    const out = path.join(dir, "t.jsonl");
    const unknown = await runCli(["sample", path.join(dir, "draws"), "--policies", "nope", "--budget", "5", "--out", out]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^cje: field 'policies' = "nope": unknown policy/);
    const tooMany = await runCli(["sample", path.join(dir, "draws"), "--design", "simple-random", "--budget", "1000", "--out", out]);
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toMatch(/field 'budget' = 1000/);
    const badDesign = await runCli(["sample", path.join(dir, "draws"), "--design", "convenience", "--budget", "5", "--out", out]);
    expect(badDesign.code).not.toBe(0);
    expect(badDesign.stderr).toMatch(/Allowed choices are simple-random, stratified, per-policy, poisson, active/);
    const badSize = await runCli(["sample", path.join(dir, "draws"), "--design", "poisson", "--size-field", "missing_field", "--budget", "5", "--out", out]);
    expect(badSize.code).toBe(1);
    expect(badSize.stderr).toMatch(/base_responses\.jsonl:1: field 'missing_field' = null: a Poisson size measure must be a positive number/);
  });
});
