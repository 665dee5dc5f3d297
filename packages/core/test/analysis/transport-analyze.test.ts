import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  analyze,
  AnalysisResultSchema,
  evaluationDataFromRecords,
  transportProbesFromRecords,
  type AnalysisResult,
  type TransportRecord,
} from "../../src/index.js";
import { loadEvaluationData, loadTransportProbes } from "../../src/node.js";
import { inputError, removeTrees, writeTree } from "../data/support.js";

afterAll(removeTrees);

/**
 * A world where the calibrator is the identity on [0, 1] (base's labels equal its judge scores on
 * every even prompt, monotone mode): a probe's residual is its label minus its judge score.
 */
const N = 300;
const grid = (i: number, lo: number, hi: number, n: number) => lo + ((hi - lo) * i) / (n - 1);
function records(labelScale = (y: number) => y): Record<string, Record<string, unknown>[]> {
  const rows = (policy: string, lo: number, hi: number) =>
    Array.from({ length: N }, (_, i) => ({ prompt_id: `p${i}`, judge_score: grid(i, lo, hi, N), response: `${policy} ${i}` }));
  return {
    base: rows("base", 0, 1).map((r, i) => (i % 2 === 0 ? { ...r, oracle_label: labelScale(r.judge_score) } : r)),
    good: rows("good", 0.4, 0.8),
    bad: rows("bad", 0.6, 1),
  };
}
/** 40 probes with judge scores in [0.3, 0.7] and label = score + residual(i). */
function probes(residual: (i: number) => number, labelScale = (y: number) => y, prefix = "q") {
  return Array.from({ length: 40 }, (_, i) => {
    const s = grid(i, 0.3, 0.7, 40);
    return { prompt_id: `${prefix}${i}`, judge_score: s, oracle_label: labelScale(s + residual(i)) };
  });
}
const small = (i: number) => (i % 2 === 0 ? 0.01 : -0.01);

function performed(record: TransportRecord | undefined): Extract<TransportRecord, { performed: true }> {
  if (record === undefined || !record.performed) throw new Error("expected a performed audit");
  return record;
}

function run(
  probeRows: Record<string, Record<string, unknown>[]>,
  transport: Record<string, unknown> = {},
  labelScale?: (y: number) => number,
  loadOptions = {},
): AnalysisResult {
  const data = evaluationDataFromRecords(records(labelScale), loadOptions);
  const result = analyze(data, {
    inference: "analytic",
    calibrationMode: "monotone",
    transport: { probes: transportProbesFromRecords(probeRows, data), ...transport },
  });
  AnalysisResultSchema.parse(result);
  return result;
}

describe("analyze with transport probes", () => {
  const result = run({ good: probes(small), bad: probes((i) => -0.2 + small(i)) }, { deltaMax: 0.05 });

  it("records PASS, FAIL and NOT_CHECKED, with the family size = number of probed policies", () => {
    const good = performed(result.diagnostics.policies.good.transport);
    expect(good.status).toBe("PASS");
    expect(good.delta_hat).toBeCloseTo(0, 10);
    expect(good.family_size).toBe(2);
    expect(good.per_audit_confidence_level).toBeCloseTo(0.975, 14);
    expect(good.applies_to_current_estimate).toBe(true);
    const bad = performed(result.diagnostics.policies.bad.transport);
    expect(bad.status).toBe("FAIL");
    expect(bad.delta_hat).toBeCloseTo(-0.2, 10);
    expect(result.diagnostics.policies.base.transport).toEqual({
      status: "NOT_CHECKED",
      performed: false,
      graded: false,
      reason_code: "probe_not_provided",
      recommended_action: "supply independent oracle probes to grade residual transport",
      group_label: "policy:base",
      delta_max: 0.05,
      n_probe: 0,
    });
  });

  it("adds TRANSPORT-FAIL to the failing policy only, warns with the interval, and demotes it as best policy", () => {
    const flags = Object.fromEntries(result.policies.map((p) => [p.policy, p.flags]));
    expect(flags).toEqual({ bad: ["TRANSPORT-FAIL"], base: [], good: [] });
    expect(
      result.diagnostics.warnings.some((w) =>
        /^residual transport FAIL: simultaneous CI \[-0\.2\d\d, -0\.1\d\d\] is outside margin ±0\.050 for policy 'bad'/.test(w),
      ),
    ).toBe(true);
    expect(result.best_policy).toMatchObject({ best: "good", raw_best: "bad", demoted: true, raw_best_flags: ["TRANSPORT-FAIL"] });
  });

  it("is NOT_GRADED without a margin (with a note) and honours per-policy margins", () => {
    const r = run({ good: probes(small), bad: probes(small) }, { deltaMaxByPolicy: { bad: 0.001 } });
    expect(performed(r.diagnostics.policies.good.transport).status).toBe("NOT_GRADED");
    expect(r.diagnostics.warnings).toContain("Transport probe for policy 'good' has no delta_max margin: the audit is descriptive only (NOT_GRADED).");
    const bad = performed(r.diagnostics.policies.bad.transport);
    expect(bad.delta_max).toBe(0.001);
    expect(bad.status).toBe("INCONCLUSIVE");
    expect(bad.reason_code).toBe("interval_crosses_margin");
  });

  it("reads margins and reports residuals in oracle units (1–5 oracle scale)", () => {
    const likert = (y: number) => 1 + 4 * y;
    const r = run({ bad: probes((i) => -0.2 + small(i), likert) }, { deltaMax: 0.2 }, likert, { oracleScale: { min: 1, max: 5 } });
    const bad = performed(r.diagnostics.policies.bad.transport);
    expect(bad.delta_hat).toBeCloseTo(-0.8, 10);
    expect(bad.delta_max).toBe(0.2);
    expect(bad.status).toBe("FAIL");
    expect(r.policies.find((p) => p.policy === "bad")?.flags).toContain("TRANSPORT-FAIL");
  });

  it("audits a fully labelled policy without flagging it: its direct oracle mean does not use the calibrator", () => {
    const all = records();
    const full = all.good.map((r) => ({ ...r, oracle_label: r.judge_score }));
    const data = evaluationDataFromRecords({ ...all, good: full });
    const r = analyze(data, {
      inference: "analytic",
      calibrationMode: "monotone",
      transport: { probes: transportProbesFromRecords({ good: probes((i) => -0.2 + small(i)) }, data), deltaMax: 0.05 },
    });
    const good = performed(r.diagnostics.policies.good.transport);
    expect(good.status).toBe("FAIL");
    expect(good.applies_to_current_estimate).toBe(false);
    expect(r.policies.find((p) => p.policy === "good")).toMatchObject({ route: "direct_oracle", flags: [] });
  });

  it("records NOT_CHECKED (calibrator_unavailable) when no calibrator could be fitted", () => {
    const data = evaluationDataFromRecords({
      a: [
        { prompt_id: "1", judge_score: 0.2, oracle_label: 0.3 },
        { prompt_id: "2", judge_score: 0.6, oracle_label: 0.5 },
        { prompt_id: "3", judge_score: 0.7 },
      ],
    });
    const r = analyze(data, { inference: "analytic", transport: { probes: transportProbesFromRecords({ a: probes(small) }, data), deltaMax: 0.05 } });
    expect(r.diagnostics.policies.a.transport).toMatchObject({ status: "NOT_CHECKED", reason_code: "calibrator_unavailable" });
  });
});

describe("transport configuration and probe hold-out", () => {
  const data = evaluationDataFromRecords(records());

  it("rejects a probe identical to a labelled fresh draw used to fit the calibrator", async () => {
    const leak = { ...records().base[4] };
    const error = await inputError(() => analyze(data, { transport: { probes: transportProbesFromRecords({ base: [leak, ...probes(small)] }, data) } }));
    expect(error.message).toContain("in-memory[probe:base]:1");
    expect(error.message).toContain("was also used to fit the calibrator (same row as in-memory[base]:5)");
  });

  it("accepts equal values from another policy's response, and rejects a copy of a calibration-file row", async () => {
    const copy = { ...records().base[4], response: "good 4" };
    expect(() =>
      analyze(data, { inference: "analytic", transport: { probes: transportProbesFromRecords({ good: [copy, ...probes(small)] }, data) } }),
    ).not.toThrow();
    const calibration = [{ prompt_id: "c1", judge_score: 0.5, oracle_label: 0.5 }];
    const withFile = evaluationDataFromRecords(records(), { calibration });
    const error = await inputError(() =>
      analyze(withFile, { inference: "analytic", transport: { probes: transportProbesFromRecords({ good: [...probes(small), calibration[0]] }, withFile) } }),
    );
    expect(error.message).toContain("same row as in-memory[calibration]:1");
  });

  it("rejects a probe file that is a fresh-draw file of labelled rows (same file and line)", async () => {
    const dir = writeTree({
      "base_responses.jsonl": records().base.filter((r) => r.oracle_label !== undefined),
      "good_responses.jsonl": records().good,
    });
    const fileData = await loadEvaluationData([dir]);
    const fileProbes = await loadTransportProbes({ good: path.join(dir, "base_responses.jsonl") }, fileData);
    const error = await inputError(() => analyze(fileData, { transport: { probes: fileProbes } }));
    expect(error.message).toMatch(/base_responses\.jsonl:1: transport probe for policy 'good' was also used to fit the calibrator/);
  });

  it("rejects unknown policies, a family smaller than the probed policies and invalid margins", async () => {
    const some = transportProbesFromRecords({ good: probes(small), bad: probes(small) }, data);
    expect((await inputError(() => analyze(data, { transport: { probes: { nobody: some.good } } }))).message).toContain("unknown policies: nobody");
    expect((await inputError(() => analyze(data, { transport: { probes: some, deltaMaxByPolicy: { ghost: 0.1 } } }))).message).toContain("ghost");
    expect((await inputError(() => analyze(data, { transport: { probes: some, familySize: 1 } }))).message).toContain("family size");
    expect((await inputError(() => analyze(data, { transport: { probes: some, deltaMax: 0 } }))).message).toContain("delta_max");
    expect((await inputError(() => analyze(data, { transport: { probes: { good: [] } } }))).message).toContain("empty");
  });

  it("reads probes with the ingestion messages: missing label, another policy, off-scale values, empty input", async () => {
    const dir = writeTree({
      "unlabelled.jsonl": [
        { prompt_id: "q1", judge_score: 0.5, oracle_label: 0.5 },
        { prompt_id: "q2", judge_score: 0.5 },
      ],
      "other.jsonl": [{ prompt_id: "q1", judge_score: 0.5, oracle_label: 0.5, policy: "bad" }],
      "offscale.jsonl": [{ prompt_id: "q1", judge_score: 0.5, oracle_label: 3 }],
      "empty.jsonl": "",
    });
    const at = (name: string) => path.join(dir, name);
    expect((await inputError(() => loadTransportProbes({ good: at("unlabelled.jsonl") }, data))).message).toBe(
      `${at("unlabelled.jsonl")}:2: field 'oracle_label': missing: a transport probe needs an oracle label`,
    );
    expect((await inputError(() => loadTransportProbes({ good: at("other.jsonl") }, data))).message).toContain(
      `${at("other.jsonl")}:1: field 'policy' = "bad"`,
    );
    expect((await inputError(() => loadTransportProbes({ good: at("offscale.jsonl") }, data))).message).toContain(
      `${at("offscale.jsonl")}:1: field 'oracle_label' = 3: outside the declared oracle scale 0–1`,
    );
    expect((await inputError(() => loadTransportProbes({ good: at("empty.jsonl") }, data))).message).toContain("no records");
  });
});
