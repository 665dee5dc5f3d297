import { describe, expect, it } from "vitest";
import * as advanced from "../../src/advanced.js";
import * as core from "../../src/index.js";
import { bestPolicy, GATE_THRESHOLDS } from "../../src/index.js";
import { labelledClusterWarning, transportFailReason } from "../../src/advanced.js";
import { outsideParameterSpace } from "../../src/diagnostics/gates.js";

describe("reliability gates", () => {
  it("lists every threshold under the name of the exported constant that holds it (main entry or /advanced)", () => {
    expect(GATE_THRESHOLDS.length).toBeGreaterThanOrEqual(8);
    const exported: Record<string, unknown> = { ...advanced, ...core };
    for (const gate of GATE_THRESHOLDS) expect(exported[gate.name]).toBe(gate.value);
    expect(GATE_THRESHOLDS.map((g) => g.flag)).toEqual(expect.arrayContaining(["REFUSE-LEVEL", "UNCALIBRATED", "FEW-LABELLED-CLUSTERS", "TRANSPORT-FAIL"]));
  });

  it("warns on a thin labelled slice at the documented boundaries (0, < 4, < 10 clusters)", () => {
    expect(labelledClusterWarning(0)).toMatch(/^No oracle labels found/);
    expect(labelledClusterWarning(3)).toMatch(/^Only 3 distinct oracle-labelled prompt clusters \(at least 4/);
    expect(labelledClusterWarning(4)).toBe("Only 4 labelled prompt clusters: calibration folds reduced; results are provisional.");
    expect(labelledClusterWarning(9)).toMatch(/^Only 9 labelled/);
    expect(labelledClusterWarning(10)).toBeNull();
  });

  it("demotes a raw winner that failed transport, keeps it visible, and returns it when reliability is not required", () => {
    const estimates = [
      { policy: "a", estimate: 0.7, flags: [] },
      { policy: "b", estimate: 0.9, flags: ["TRANSPORT-FAIL" as const] },
    ];
    expect(bestPolicy(estimates)).toEqual({ best: "a", rawBest: "b", demoted: true, rawBestFlags: ["TRANSPORT-FAIL"], allFlagged: false, reason: null });
    expect(bestPolicy(estimates, { reliableOnly: false })?.best).toBe("b");
    expect(transportFailReason([-0.42, -0.2422], 0.05)).toBe("residual transport FAIL: simultaneous CI [-0.420, -0.242] is outside margin ±0.050");
  });

  it("names no best policy when every policy is flagged, and says why", () => {
    const estimates = [
      { policy: "a", estimate: 0.7, flags: ["LOW-ESS" as const, "HEAVY-TAIL" as const] },
      { policy: "b", estimate: 0.9, flags: ["LOW-ESS" as const] },
    ];
    expect(bestPolicy(estimates)).toEqual({
      best: null,
      rawBest: "b",
      demoted: false,
      rawBestFlags: ["LOW-ESS"],
      allFlagged: true,
      reason: "every policy is flagged (LOW-ESS ×2, HEAVY-TAIL ×1), so the ranking cannot name a winner.",
    });
    // Without the reliability requirement the raw argmax is named as before.
    expect(bestPolicy(estimates, { reliableOnly: false })).toMatchObject({ best: "b", reason: null });
  });

  it("an estimate outside the outcome scale is flagged and never named best, whatever the options", () => {
    expect(outsideParameterSpace(15.9)).toBe(true);
    expect(outsideParameterSpace(-0.01)).toBe(true);
    expect(outsideParameterSpace(1 + 1e-12)).toBe(false);
    expect(outsideParameterSpace(0)).toBe(false);
    expect(outsideParameterSpace(Number.NaN)).toBe(false);
    const estimates = [
      { policy: "a", estimate: 0.7, flags: [] },
      { policy: "b", estimate: 15.9, flags: ["OUTSIDE-PARAMETER-SPACE" as const] },
    ];
    expect(bestPolicy(estimates)).toMatchObject({ best: "a", rawBest: "b", demoted: true });
    expect(bestPolicy(estimates, { reliableOnly: false })).toMatchObject({ best: "a", rawBest: "b", demoted: true });
    expect(bestPolicy([estimates[1]], { reliableOnly: false })).toMatchObject({ best: null, reason: "every estimate lies outside the outcome scale." });
  });
});
