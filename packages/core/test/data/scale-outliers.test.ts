import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyze, CjeInputError } from "../../src/index.js";
import { loadEvaluationData, validateInputs } from "../../src/node.js";

/** Two policies × 60 prompts on 0–1 (every other row labelled); `edit` may mistype a value. */
async function writeDraws(edit: (policy: string, i: number, row: Record<string, unknown>) => void = () => {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "cje-outlier-"));
  for (const [k, policy] of ["a", "b"].entries()) {
    const rows = Array.from({ length: 60 }, (_, i) => {
      const s = ((i * 7 + k) % 10) / 10;
      const row: Record<string, unknown> = { prompt_id: `q${i}`, judge_score: s };
      if (i % 2 === 0) row.oracle_label = Math.round((s * 0.6 + 0.1) * 100) / 100;
      edit(policy, i, row);
      return JSON.stringify(row);
    });
    await writeFile(path.join(dir, `${policy}_responses.jsonl`), `${rows.join("\n")}\n`);
  }
  return dir;
}

async function failure(run: () => Promise<unknown>): Promise<CjeInputError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CjeInputError);
  return error as CjeInputError;
}

describe("a scale inferred from outliers", () => {
  it("one mistyped oracle label (3 among 0–1 labels) is an error naming file, line, field, value and --oracle-scale", async () => {
    const dir = await writeDraws((policy, i, row) => {
      if (policy === "a" && i === 10) row.oracle_label = 3;
    });
    const error = await failure(() => loadEvaluationData([dir]));
    expect(error.location).toMatchObject({ file: path.join(dir, "a_responses.jsonl"), line: 11, field: "oracle_label", value: 3 });
    expect(error.message).toMatch(/29 of the 30 oracle_label values .* fit the 0–1 scale/);
    expect(error.message).toContain("--oracle-scale 0,1");
    expect(error.message).toContain("--on-invalid drop");
  });

  it("--on-invalid drop drops and counts the out-of-scale row, and the estimate stays on 0–1", async () => {
    const clean = analyze(await loadEvaluationData([await writeDraws()]), { inference: "analytic" });
    const dir = await writeDraws((policy, i, row) => {
      if (policy === "a" && i === 10) row.oracle_label = 3;
    });
    const data = await loadEvaluationData([dir], { onInvalid: "drop" });
    expect(data.oracleScale?.scale).toEqual({ min: 0, max: 1 });
    expect(data.dropped.total).toBe(1);
    expect(data.dropped.rows[0]).toMatchObject({ line: 11, field: "oracle_label", value: 3 });
    expect(data.dropped.byPolicy.a).toBe(1);
    const result = analyze(data, { inference: "analytic" });
    const a = result.policies.find((p) => p.policy === "a")!;
    expect(Math.abs(a.estimate! - clean.policies[0].estimate!)).toBeLessThan(0.05);
    expect(a.ci[1]).toBeLessThanOrEqual(1);
  });

  it("every file having one judge score above 1 is an error too, suggesting --judge-scale", async () => {
    const dir = await writeDraws((_policy, i, row) => {
      if (i === 5) row.judge_score = 4;
    });
    const error = await failure(() => loadEvaluationData([dir]));
    expect(error.location).toMatchObject({ line: 6, field: "judge_score", value: 4 });
    expect(error.message).toContain("--judge-scale 0,1");
  });

  it("a declared scale still accepts the values; a genuinely 1–5 oracle scale is still inferred", async () => {
    const dir = await writeDraws((policy, i, row) => {
      if (policy === "a" && i === 10) row.oracle_label = 3;
    });
    const declared = await loadEvaluationData([dir], { oracleScale: { min: 0, max: 5 } });
    expect(declared.oracleScale?.origin).toBe("declared");
    const likert = await writeDraws((_p, i, row) => {
      if (row.oracle_label !== undefined) row.oracle_label = 1 + (i % 5);
    });
    expect((await loadEvaluationData([likert])).oracleScale?.scale).toEqual({ min: 1, max: 5 });
  });

  it("validate reports the outlier as an error with its file and line", async () => {
    const dir = await writeDraws((policy, i, row) => {
      if (policy === "b" && i === 20) row.oracle_label = 3;
    });
    const report = await validateInputs([dir]);
    expect(report.valid).toBe(false);
    expect(report.issues).toContainEqual(
      expect.objectContaining({ severity: "error", file: path.join(dir, "b_responses.jsonl"), line: 21, field: "oracle_label" }),
    );
  });
});
