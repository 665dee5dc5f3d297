import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyze, ValidationReportSchema, type ValidationReport } from "../../src/index.js";
import { loadEvaluationData, validateInputs } from "../../src/node.js";
import { arenaDir } from "../helpers/shared-data.js";
import { inputError, removeTrees, writeTree } from "../data/support.js";

afterAll(removeTrees);

async function validate(inputs: string[], options = {}): Promise<ValidationReport> {
  const report = await validateInputs(inputs, options);
  ValidationReportSchema.parse(report);
  return report;
}

const rows = (n: number, label = (i: number): number | null => (i % 2 === 0 ? (i % 10) / 10 : null)) =>
  Array.from({ length: n }, (_, i) => ({ prompt_id: `p${i}`, judge_score: (i % 10) / 10, oracle_label: label(i), response: `r${i}` }));

describe("validateInputs", () => {
  it("reports counts, labelled share, scales and prompt overlap on the Arena sample, which is valid", async () => {
    const report = await validate([path.join(arenaDir, "fresh_draws")]);
    expect(report.valid).toBe(true);
    expect(report.policies.map((p) => [p.policy, p.n, p.n_oracle, p.n_prompts])).toEqual([
      ["base", 1000, 480, 1000],
      ["clone", 1000, 0, 1000],
      ["parallel_universe_prompt", 1000, 0, 1000],
      ["unhelpful", 1000, 0, 1000],
    ]);
    expect(report.policies[0].labelled_share).toBe(0.48);
    expect(report.scales).toEqual({ judge: { min: 0, max: 1, origin: "inferred" }, oracle: { min: 0, max: 1, origin: "inferred" } });
    expect(report.labels).toEqual({ n_fresh: 480, n_calibration_file: 0, n_labelled_clusters: 480 });
    expect(report.overlap).toHaveLength(6);
    expect(report.overlap.every((o) => o.shared_prompts === 1000)).toBe(true);
    expect(report.issues.filter((i) => i.severity === "error")).toEqual([]);
  });

  it("counts calibration-file rows that repeat labelled fresh draws once, as analyze pools them", async () => {
    // The Arena logged data are base's fresh draws with log-probs added: the same 480 labels.
    const calibrationFile = path.join(arenaDir, "logged_data.jsonl");
    const report = await validate([path.join(arenaDir, "fresh_draws")], { calibrationFile });
    expect(report.calibration).toMatchObject({ n_labelled: 480, n_repeating_fresh_draws: 480 });
    expect(report.issues).toContainEqual({
      severity: "note",
      message: "480 calibration-file row(s) repeat a labelled fresh draw (same prompt_id, judge_score and oracle_label); each such label is counted once.",
    });
    const analysis = analyze(await loadEvaluationData([path.join(arenaDir, "fresh_draws")], { calibrationFile }), { inference: "analytic" });
    expect(analysis.diagnostics.warnings).toContain(report.issues.find((i) => i.message.startsWith("480 calibration-file"))?.message);
  });

  it("lists every invalid row with the message analyze stops on, and is invalid in error mode", async () => {
    const bad = rows(30) as Record<string, unknown>[];
    bad[1] = { prompt_id: "p1", judge_score: "high" };
    bad[4] = { prompt_id: "p4", judge_score: 0.4, oracle_label: true };
    const dir = writeTree({ "a_responses.jsonl": bad });
    const report = await validate([dir]);
    const analyzeError = await inputError(() => loadEvaluationData([dir]));
    expect(report.valid).toBe(false);
    const errors = report.issues.filter((i) => i.severity === "error");
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [2, "judge_score"],
      [5, "oracle_label"],
    ]);
    expect(errors[0].message).toBe(analyzeError.message);
    expect(report.dropped.total).toBe(2);
    expect(report.issues.some((i) => i.message.includes("onInvalid"))).toBe(false);
    const dropping = await validate([dir], { onInvalid: "drop" });
    expect(dropping.valid).toBe(true);
    expect(dropping.issues.filter((i) => i.field !== undefined).every((i) => i.severity === "warning")).toBe(true);
  });

  it("reports a fatal problem (mixed scales, duplicate draw_idx, missing input) exactly as analyze does", async () => {
    const dir = writeTree({
      "a_responses.jsonl": rows(20),
      "b_responses.jsonl": rows(20).map((r) => ({ ...r, judge_score: r.judge_score * 100 })),
      "dup/c_responses.jsonl": [
        { prompt_id: "x", judge_score: 0.5, draw_idx: 0 },
        { prompt_id: "x", judge_score: 0.6, draw_idx: 0 },
      ],
    });
    for (const input of [dir, path.join(dir, "dup"), path.join(dir, "missing")]) {
      const report = await validate([input]);
      const analyzeError = await inputError(() => loadEvaluationData([input]));
      expect(report.valid).toBe(false);
      expect(report.policies).toEqual([]);
      expect(report.issues[0]).toMatchObject({ severity: "error", message: analyzeError.message });
    }
  });

  it("warns about rows repeated exactly, thin labels (same message as analyze) and partial prompt overlap", async () => {
    const a = rows(12, () => null);
    const dir = writeTree({ "a_responses.jsonl": [...a, a[3]], "b_responses.jsonl": rows(6, (i) => (i < 3 ? 0.5 : null)) });
    const report = await validate([dir]);
    expect(report.valid).toBe(true);
    const messages = report.issues.map((i) => i.message);
    expect(messages).toContain(
      `1 row of policy 'a' repeats another row exactly (prompt_id, response, judge_score, oracle_label), e.g. ${path.join(dir, "a_responses.jsonl")}:13 = ${path.join(dir, "a_responses.jsonl")}:4; they count as separate draws: remove the copies if one response was recorded twice`,
    );
    const analysed = analyze(await loadEvaluationData([dir]), { inference: "analytic" });
    const thin = analysed.diagnostics.warnings.find((w) => w.startsWith("Only 3 distinct oracle-labelled prompt clusters"));
    expect(thin).toBeDefined();
    expect(messages).toContain(thin);
    expect(messages).toContain("Only 3 oracle labels: 50–100 labels are recommended for a stable calibration.");
    expect(messages).toContain("policies 'a' and 'b' share 6 of their 12 and 6 prompts; their comparison is paired on the shared prompts only");
    expect(report.policies[0].n_prompts_with_several_draws).toBe(1);
  });
});
