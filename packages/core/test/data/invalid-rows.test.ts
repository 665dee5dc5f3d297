import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadEvaluationData } from "../../src/data/load.js";
import type { FileLoadOptions } from "../../src/data/load.js";
import { inputError, removeTrees, writeTree } from "./support.js";

afterAll(removeTrees);

const row = (id: string, extra: Record<string, unknown> = {}) => ({ prompt_id: id, judge_score: 0.5, ...extra });

/** Writes `rows` as `<dir>/a_responses.jsonl`, loads the folder and returns the error and the file. */
async function failingFile(rows: unknown[], options: FileLoadOptions = {}) {
  const dir = writeTree({ "a_responses.jsonl": rows });
  const file = path.join(dir, "a_responses.jsonl");
  return { file, error: await inputError(() => loadEvaluationData([dir], options)) };
}

describe("one error per bad-input rule (error mode)", () => {
  it("corrupt JSON names file:line, in drop mode too", async () => {
    for (const onInvalid of ["error", "drop"] as const) {
      const { file, error } = await failingFile([row("p1"), '{"prompt_id": "p2", "judge_score": 0.5', row("p3")], { onInvalid });
      expect(error.message.startsWith(`${file}:2: invalid JSON: `)).toBe(true);
    }
  });

  it("a line that is not a JSON object", async () => {
    const { file, error } = await failingFile([row("p1"), "[1, 2]"]);
    expect(error.message).toBe(`${file}:2: expected a JSON object, got an array: [1,2]`);
  });

  it("missing judge_score", async () => {
    const { file, error } = await failingFile([{ prompt_id: "p1", oracle_label: 1 }]);
    expect(error.message).toBe(`${file}:1: field 'judge_score': missing (required)`);
    expect(error.location).toEqual({ file, line: 1, field: "judge_score", value: undefined });
  });

  it("boolean judge_score", async () => {
    const { file, error } = await failingFile([row("p1", { judge_score: true })]);
    expect(error.message).toBe(`${file}:1: field 'judge_score' = true: a boolean is not a number`);
  });

  it("non-numeric judge_score, reported at its physical line (17)", async () => {
    const rows: unknown[] = Array.from({ length: 15 }, (_, i) => row(`p${i}`));
    rows.splice(3, 0, "");
    rows.push(row("bad", { judge_score: "abc" }));
    const { file, error } = await failingFile(rows);
    expect(error.message).toBe(`${file}:17: field 'judge_score' = "abc": not a finite number`);
  });

  it("non-finite judge_score given as text", async () => {
    const { error } = await failingFile([row("p1", { judge_score: "Infinity" })]);
    expect(error.message).toMatch(/field 'judge_score' = "Infinity": not a finite number$/);
  });

  it("non-numeric oracle_label", async () => {
    const { file, error } = await failingFile([row("p1", { oracle_label: "high" })]);
    expect(error.message).toBe(`${file}:1: field 'oracle_label' = "high": not a finite number`);
  });

  it("negative and non-integer draw_idx", async () => {
    for (const drawIdx of [-1, 1.5]) {
      const { file, error } = await failingFile([row("p1", { draw_idx: drawIdx })]);
      expect(error.message).toBe(`${file}:1: field 'draw_idx' = ${drawIdx}: not a non-negative integer`);
    }
  });

  it("duplicate (policy, prompt_id, draw_idx) names both lines, in drop mode too", async () => {
    for (const onInvalid of ["error", "drop"] as const) {
      const rows = [row("p0"), row("p1", { draw_idx: 0 }), row("p1", { draw_idx: 1 }), row("p1", { draw_idx: 0 })];
      const { file, error } = await failingFile(rows, { onInvalid });
      expect(error.location).toMatchObject({ file, line: 4, field: "draw_idx", value: 0 });
      expect(error.message).toContain(`${file}:4: field 'draw_idx' = 0: duplicate draw: policy 'a', prompt_id "p1" already has draw_idx 0 at ${file}:2`);
    }
  });

  it("missing prompt identity (no prompt_id, empty prompt)", async () => {
    const { file, error } = await failingFile([{ prompt: "", judge_score: 0.5 }]);
    expect(error.message).toBe(
      `${file}:1: field 'prompt_id': missing prompt identity: no 'prompt_id' (top level or metadata) and no non-empty 'prompt' to derive it from`,
    );
  });

  it("a prompt_id that is not a JSON scalar", async () => {
    const { file, error } = await failingFile([row("p1", { prompt_id: { id: 1 } })]);
    expect(error.message).toBe(`${file}:1: field 'prompt_id' = {"id":1}: not a JSON scalar`);
  });

  it("policy and target_policy that disagree", async () => {
    const dir = writeTree({ "draws.jsonl": [row("p1", { policy: "a", target_policy: "b" })] });
    const error = await inputError(() => loadEvaluationData([path.join(dir, "draws.jsonl")]));
    expect(error.message).toBe(`${path.join(dir, "draws.jsonl")}:1: field 'target_policy' = "b": conflicts with field 'policy' = "a"`);
  });

  it("a row of a per-policy file that names another policy", async () => {
    const { file, error } = await failingFile([row("p1", { policy: "a" }), row("p2", { target_policy: "b" })]);
    expect(error.message).toBe(`${file}:2: field 'target_policy' = "b": row belongs to another policy, but this file holds policy 'a' (named by the file)`);
  });

  it("a row of a multi-policy file without a policy", async () => {
    const dir = writeTree({ "draws.jsonl": [row("p1", { policy: "x" }), row("p1", { policy: "y" }), row("p2")] });
    const file = path.join(dir, "draws.jsonl");
    const error = await inputError(() => loadEvaluationData([file]));
    expect(error.message).toBe(`${file}:3: field 'policy': missing: this source holds several policies (other rows name theirs); refusing to guess`);
  });

  it("a reserved-stem file given explicitly whose rows name no policy (logged data)", async () => {
    const dir = writeTree({ "logged_data.jsonl": [{ prompt: "q", judge_score: 0.5, base_policy_logprob: -2 }] });
    const error = await inputError(() => loadEvaluationData([path.join(dir, "logged_data.jsonl")]));
    expect(error.message).toContain("rows must name their policy");
    expect(error.message).toContain("pass it as the calibration file (--calibration)");
    expect(error.location.line).toBe(1);
  });

  it("two files of one folder that resolve to the same policy", async () => {
    const dir = writeTree({ "a.jsonl": [row("p1")], "a_responses.jsonl": [row("p1")] });
    const error = await inputError(() => loadEvaluationData([dir]));
    expect(error.message).toContain(`policy 'a' comes from two sources: ${path.join(dir, "a.jsonl")} and ${path.join(dir, "a_responses.jsonl")}`);
  });

  it("a multi-policy file that claims a policy of another input", async () => {
    const dir = writeTree({
      "folder/a_responses.jsonl": [row("p1")],
      "multi.jsonl": [row("p1", { policy: "b" }), row("p1", { policy: "a" })],
    });
    const multi = path.join(dir, "multi.jsonl");
    const error = await inputError(() => loadEvaluationData([multi, path.join(dir, "folder")]));
    expect(error.message).toBe(
      `${multi}:2: policy 'a' comes from two sources: ${path.join(dir, "folder", "a_responses.jsonl")} and ${multi}; keep exactly one source per policy`,
    );
  });

  it("an empty file, a folder without policies, and a missing input", async () => {
    const dir = writeTree({ "a_responses.jsonl": "\n\n", "empty/data.jsonl": [row("p1")] });
    expect((await inputError(() => loadEvaluationData([dir]))).message).toBe(`${path.join(dir, "a_responses.jsonl")}: no records (the source is empty)`);
    const emptyFolder = await inputError(() => loadEvaluationData([path.join(dir, "empty")]));
    expect(emptyFolder.message).toContain("no fresh-draw files found; expected <policy>_responses.jsonl");
    expect(emptyFolder.message).toContain(`skipped reserved: ${path.join(dir, "empty", "data.jsonl")}`);
    expect((await inputError(() => loadEvaluationData([path.join(dir, "nope")]))).message).toBe(`${path.join(dir, "nope")}: fresh-draw input not found`);
  });

  it("invalid options name the option", async () => {
    const dir = writeTree({ "a_responses.jsonl": [row("p1")] });
    const flat = await inputError(() => loadEvaluationData([dir], { judgeScale: { min: 1, max: 1 } }));
    expect(flat.message).toBe(`field 'judgeScale' = {"min":1,"max":1}: invalid option: max must be greater than min`);
    const infinite = await inputError(() => loadEvaluationData([dir], { oracleScale: { min: 0, max: Infinity } }));
    expect(infinite.location.field).toBe("oracleScale.max");
    const typo = await inputError(() => loadEvaluationData([dir], { onInvalid: "skip" as "drop" }));
    expect(typo.location.field).toBe("onInvalid");
  });
});

describe("reserved stems", () => {
  it("are skipped inside a folder, each with a warning", async () => {
    const reserved = ["dataset", "data", "logs", "calibration", "calibration_data", "human_labels", "oracle_labels", "logged_data"];
    const files: Record<string, unknown[]> = { "a_responses.jsonl": [row("p1")] };
    for (const stem of reserved) files[`${stem}.jsonl`] = [row("p1")];
    files["data_responses.jsonl"] = [row("p1")];
    const dir = writeTree(files);
    const data = await loadEvaluationData([dir]);
    expect(data.policies).toEqual(["a"]);
    expect(data.warnings).toHaveLength(reserved.length + 1);
    for (const stem of reserved) expect(data.warnings.some((w) => w.startsWith(`skipped ${path.join(dir, `${stem}.jsonl`)}:`))).toBe(true);
  });
});

describe("drop mode", () => {
  it("drops invalid rows, counts them per policy and per reason, and reports every location", async () => {
    const dir = writeTree({
      "a_responses.jsonl": [row("p1"), row("p2", { judge_score: "x" }), row("p3"), "7", row("p4", { judge_score: "y" })],
      "b_responses.jsonl": [row("p1", { oracle_label: false }), row("p2")],
    });
    const a = path.join(dir, "a_responses.jsonl");
    const b = path.join(dir, "b_responses.jsonl");
    const data = await loadEvaluationData([dir], { onInvalid: "drop" });
    expect(data.draws.map((d) => `${d.policy}:${d.promptId}`)).toEqual(["a:p1", "a:p3", "b:p2"]);
    expect(data.dropped.total).toBe(4);
    expect(data.dropped.byPolicy).toEqual({ a: 3, b: 1 });
    expect(data.dropped.byReason).toEqual({
      "judge_score: not a finite number": 2,
      "expected a JSON object, got a number: 7": 1,
      "oracle_label: a boolean is not a number": 1,
    });
    expect(data.dropped.rows).toEqual([
      { file: a, line: 2, field: "judge_score", value: "x", reason: "not a finite number" },
      { file: a, line: 4, reason: "expected a JSON object, got a number: 7" },
      { file: a, line: 5, field: "judge_score", value: "y", reason: "not a finite number" },
      { file: b, line: 1, field: "oracle_label", value: false, reason: "a boolean is not a number" },
    ]);
    expect(data.warnings).toContain('dropped 4 invalid rows (onInvalid: "drop"); see dropped.rows');
  });

  it("refuses a per-policy file left with no rows", async () => {
    const dir = writeTree({
      "a_responses.jsonl": [row("p1")],
      "b_responses.jsonl": [row("p1", { judge_score: null }), row("p2", { judge_score: "n/a" })],
    });
    const error = await inputError(() => loadEvaluationData([dir], { onInvalid: "drop" }));
    expect(error.message).toBe(`${path.join(dir, "b_responses.jsonl")}: no valid rows: all 2 rows were dropped; refusing to remove a policy silently`);
  });

  it("refuses a policy of a multi-policy file left with no rows", async () => {
    const dir = writeTree({ "draws.jsonl": [row("p1", { policy: "x" }), row("p1", { policy: "y", judge_score: "?" })] });
    const error = await inputError(() => loadEvaluationData([path.join(dir, "draws.jsonl")], { onInvalid: "drop" }));
    expect(error.message).toBe("policy 'y' has no valid rows after dropping 1 invalid row; refusing to remove a policy silently");
  });

  it("counts rows of a multi-policy file without a policy as (unattributed)", async () => {
    const dir = writeTree({ "draws.jsonl": [row("p1", { policy: "x" }), row("p2")] });
    const data = await loadEvaluationData([path.join(dir, "draws.jsonl")], { onInvalid: "drop" });
    expect(data.dropped.byPolicy).toEqual({ "(unattributed)": 1 });
    expect(data.dropped.rows[0]).toMatchObject({ line: 2, field: "policy" });
  });
});

describe("calibration file", () => {
  it("names file:line of an invalid labelled row, and counts it under (calibration) in drop mode", async () => {
    const dir = writeTree({
      "a_responses.jsonl": [row("p1")],
      "cal.jsonl": [
        { prompt_id: "c1", judge_score: 0.4, oracle_label: 1 },
        { prompt_id: "c2", judge_score: "bad", oracle_label: 0 },
      ],
    });
    const cal = path.join(dir, "cal.jsonl");
    const error = await inputError(() => loadEvaluationData([path.join(dir, "a_responses.jsonl")], { calibrationFile: cal }));
    expect(error.message).toBe(`${cal}:2: field 'judge_score' = "bad": not a finite number`);
    const data = await loadEvaluationData([path.join(dir, "a_responses.jsonl")], { calibrationFile: cal, onInvalid: "drop" });
    expect(data.calibration.map((c) => c.promptId)).toEqual(["c1"]);
    expect(data.dropped.byPolicy).toEqual({ "(calibration)": 1 });
  });

  it("is skipped by folder discovery, and refused when it holds no labelled row", async () => {
    const dir = writeTree({ "a_responses.jsonl": [row("p1")], "b_responses.jsonl": [{ prompt_id: "c1", judge_score: 0.4 }] });
    const cal = path.join(dir, "b_responses.jsonl");
    const error = await inputError(() => loadEvaluationData([dir], { calibrationFile: cal }));
    expect(error.message).toBe(`${cal}: calibration source has no usable labelled rows (1 rows: 1 without oracle_label, 0 invalid and dropped)`);
  });
});
