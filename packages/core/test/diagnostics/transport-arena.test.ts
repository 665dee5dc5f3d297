import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { analyze, AnalysisResultSchema, type AnalysisResult, type TransportRecord } from "../../src/index.js";
import { loadEvaluationData, loadTransportProbes } from "../../src/node.js";
import { arenaDir } from "../helpers/shared-data.js";

const PROBED = ["clone", "parallel_universe_prompt", "unhelpful"];

function performed(record: TransportRecord | undefined): Extract<TransportRecord, { performed: true }> {
  if (record === undefined || !record.performed) throw new Error("expected a performed transport audit");
  return record;
}

describe("transport audit on the Chatbot Arena probe slice (real data)", () => {
  let result: AnalysisResult;
  beforeAll(async () => {
    const data = await loadEvaluationData([path.join(arenaDir, "fresh_draws")]);
    const probes = await loadTransportProbes(Object.fromEntries(PROBED.map((p) => [p, path.join(arenaDir, "probe_slice", `${p}_probe.jsonl`)])), data);
    result = analyze(data, { inference: "analytic", transport: { probes, deltaMax: 0.05 } });
  });

  it("FAILs unhelpful at delta_max 0.05 with a mean residual near the reference's −0.33", () => {
    const audit = performed(result.diagnostics.policies.unhelpful.transport);
    expect(audit.status).toBe("FAIL");
    expect(Math.abs(audit.delta_hat + 0.33)).toBeLessThan(0.02);
    expect(audit.delta_ci[1] as number).toBeLessThan(-0.05);
    expect(audit.n_clusters).toBe(50);
    expect(audit.family_size).toBe(3);
    expect(result.policies.find((p) => p.policy === "unhelpful")?.flags).toContain("TRANSPORT-FAIL");
  });

  it("does not FAIL clone or parallel_universe_prompt, and records base as NOT_CHECKED", () => {
    for (const policy of ["clone", "parallel_universe_prompt"]) {
      expect(performed(result.diagnostics.policies[policy].transport).status).not.toBe("FAIL");
      expect(result.policies.find((p) => p.policy === policy)?.flags).toEqual([]);
    }
    expect(result.diagnostics.policies.base.transport).toMatchObject({ status: "NOT_CHECKED", reason_code: "probe_not_provided" });
    expect(() => AnalysisResultSchema.parse(result)).not.toThrow();
  });
});
