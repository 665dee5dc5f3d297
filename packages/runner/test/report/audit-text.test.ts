import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TransportRecord } from "@cjeval/core";
import { describe, expect, it } from "vitest";
import { rangeSupportText, transportDetail, transportSummary } from "../../src/report/audit-text.js";
import { estimatorResultPath, removeStaleTemps } from "../../src/report/output-files.js";

const range = (status: "OK" | "CAUTION" | "REFUSE-LEVEL", out: number, saturation: number) => ({
  status,
  out_of_range: out,
  out_below: out,
  out_above: 0,
  saturation,
  labelled_range: [0.1, 0.9] as [number, number],
});

describe("audit wording", () => {
  it("names the rule that set the range-support status", () => {
    // CAUTION comes from saturation: its out-of-range share is beside the point.
    expect(rangeSupportText(range("CAUTION", 0.002, 0.347))).toBe(
      "CAUTION (saturation: 34.7% of calibrated values within 5% of the reward bounds; caution from 20%)",
    );
    expect(rangeSupportText(range("REFUSE-LEVEL", 0.081, 0.3))).toBe("REFUSE-LEVEL (8.1% of judge scores outside the labelled range; refused from 5%)");
    expect(rangeSupportText(range("OK", 0.002, 0.05))).toBe("OK (0.2% outside the labelled range, 5.0% saturated)");
  });

  it("gives the audit state with δ̂, its interval and the margin", () => {
    const fail = {
      status: "FAIL",
      performed: true,
      graded: true,
      reason_code: "unacceptable_mean_residual",
      recommended_action: "do not reuse this calibration for this policy",
      group_label: "policy:x",
      delta_max: 0.05,
      n_probe: 50,
      applies_to_current_estimate: true,
      delta_hat: -0.331,
      delta_se: 0.04,
      delta_ci: [-0.42, -0.242],
      ci_half_width: 0.089,
      df: 49,
      n_clusters: 50,
      effective_clusters: 50,
      min_effective_clusters: 20,
      weighted: false,
      alpha: 0.05,
      family_size: 3,
      per_audit_confidence_level: 0.983,
      simultaneous_confidence_level: 0.95,
      min_margin_for_pass: 0.42,
      detectable_bias_80: 0.1,
      bins: [],
      probe_bin_occupancy: 1,
      covariates: [],
    } as TransportRecord;
    expect(transportSummary(fail)).toBe("FAIL: δ̂ -0.331 [-0.420, -0.242], margin ±0.050");
    expect(transportDetail(fail)).toBe(
      "FAIL: mean residual δ̂ -0.331, 95% simultaneous interval [-0.420, -0.242] (family of 3); margin ±0.050; 50 probes in 50 prompts (50.0 effective; 20 needed to pass); do not reuse this calibration for this policy",
    );
    expect(transportSummary({ ...fail, status: "NOT_GRADED", delta_max: null, delta_hat: 0.004, delta_ci: [-0.01, 0.02] } as TransportRecord)).toBe(
      "NOT_GRADED: δ̂ +0.004 [-0.010, +0.020], no margin",
    );
    const unchecked = {
      status: "NOT_CHECKED",
      performed: false,
      graded: false,
      reason_code: "probe_not_provided",
      recommended_action: "supply probes",
      group_label: "policy:x",
      delta_max: null,
      n_probe: 0,
    } as TransportRecord;
    expect(transportSummary(unchecked)).toBe("NOT_CHECKED (no probes)");
    expect(transportSummary(undefined)).toBe("not audited");
  });
});

describe("output files", () => {
  it("puts each estimator's result next to results.json", () => {
    expect(estimatorResultPath("/out/results.json", "stacked-dr")).toBe("/out/results.stacked-dr.json");
    expect(estimatorResultPath("/out/analysis", "ips")).toBe("/out/analysis.ips.json");
  });

  it("removes the temporary files of killed writers and keeps those of live ones", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-temps-"));
    const exited = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const deadPid = Number(exited.stdout);
    const file = path.join(dir, "results.json");
    const dead = `results.json.${deadPid}.0a1b2c3d.tmp`;
    const live = `results.json.${process.pid}.0a1b2c3d.tmp`;
    for (const name of [dead, live, "results.json", "results.jsonl.1.0a1b2c3d.tmp", "other.json.1.0a1b2c3d.tmp"]) await writeFile(path.join(dir, name), "{");
    expect(await removeStaleTemps(file)).toEqual([dead]);
    expect((await readdir(dir)).sort()).toEqual(["other.json.1.0a1b2c3d.tmp", "results.json", live, "results.jsonl.1.0a1b2c3d.tmp"].sort());
  });
});
