import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { AnalysisResultSchema } from "@cjeval/core";
import { ORACLE_INCLUSION_FIELD, simulateWorld } from "@cjeval/core/advanced";
import { writeFileAtomic } from "@cjeval/provider-utils";
import { formatJsonl, readToLabel } from "@cjeval/oracle";
import { describe, expect, it } from "vitest";
import { expectSuccess, runCli } from "./run-cli.js";

/** Fresh draws without labels (two policies × 150 prompts), and the hidden 1–5 label of every base prompt. */
async function setup(): Promise<{ dir: string; draws: string; hidden: Map<string, number> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "cje-import-"));
  const draws = path.join(dir, "draws");
  const world = simulateWorld({
    policies: [
      { name: "base", shift: 0.5 },
      { name: "other", shift: 0.8 },
    ],
    prompts: 150,
    oracleShare: 1,
    seed: 6,
  });
  const hidden = new Map<string, number>();
  for (const policy of ["base", "other"]) {
    const rows = world.records.filter((r) => r.policy === policy);
    for (const r of rows) if (r.oracle_label !== undefined) hidden.set(r.prompt_id as string, 1 + 4 * (r.oracle_label as number));
    await writeFileAtomic(path.join(draws, `${policy}_responses.jsonl`), formatJsonl(rows.map(({ policy: _p, oracle_label: _y, ...rest }) => rest)));
  }
  return { dir, draws, hidden };
}

describe("cje import-labels", () => {
  it("joins labels and π into the fresh draws; cje analyze then runs a design-weighted analysis", async () => {
    const { dir, draws, hidden } = await setup();
    const toLabel = path.join(dir, "to-label.jsonl");
    expectSuccess(await runCli(["sample", draws, "--design", "stratified", "--policies", "base", "--budget", "40", "--seed", "3", "--out", toLabel]));
    const { rows } = await readToLabel(toLabel);
    await writeFile(toLabel, formatJsonl(rows.map((r) => ({ ...r, oracle_label: hidden.get(r.prompt_id) as number }))));
    const run = await runCli(["import-labels", toLabel, draws]);
    expectSuccess(run);
    expect(run.stdout).toMatch(/Imported 40 new label\(s\) \(0 unchanged, 0 skipped\) on the 1–5 oracle scale into 1 file\(s\)/);
    const base = (await readFile(path.join(draws, "base_responses.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(base.filter((r) => r.oracle_label !== undefined)).toHaveLength(40);
    expect(base.filter((r) => typeof r[ORACLE_INCLUSION_FIELD] === "number")).toHaveLength(40);
    const out = path.join(dir, "result.json");
    expectSuccess(await runCli(["analyze", draws, "--inference", "analytic", "--out", out]));
    const result = AnalysisResultSchema.parse(JSON.parse(await readFile(out, "utf8")));
    expect(result.diagnostics.label_design).toMatchObject({ kind: "known_propensity", origin: "rows", n_labelled: 40, field: ORACLE_INCLUSION_FIELD });
  });

  it("refuses labels on the wrong scale and malformed label files, naming file and line", async () => {
    const { dir, draws } = await setup();
    const toLabel = path.join(dir, "to-label.jsonl");
    expectSuccess(
      await runCli([
        "sample",
        draws,
        "--design",
        "simple-random",
        "--policies",
        "base",
        "--budget",
        "5",
        "--out",
        toLabel,
        "--export",
        path.join(dir, "blind.csv"),
      ]),
    );
    const ids = (await readToLabel(toLabel)).rows.map((r) => r.item_id);
    const csv = path.join(dir, "filled.csv");
    await writeFile(csv, `item_id,oracle_label\n${ids.map((id, i) => `${id},${i === 2 ? 9 : 3}`).join("\n")}\n`);
    const wrong = await runCli(["import-labels", toLabel, draws, "--labels", csv, "--oracle-scale", "1,5"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/filled\.csv:4: field 'oracle_label' = 9: outside the oracle scale 1–5 of the fresh draws/);
    await writeFile(csv, `item_id,oracle_label\n${ids[0]},"3\n`);
    const broken = await runCli(["import-labels", toLabel, draws, "--labels", csv]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/filled\.csv:2: unterminated quoted field/);
    const missing = await runCli(["import-labels", toLabel, draws]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/to-label\.jsonl:1: field 'oracle_label': 5 of 5 sampled rows have no label/);
    expect((await readFile(path.join(draws, "base_responses.jsonl"), "utf8")).includes("oracle_label")).toBe(false);
  });
});
