import { describe, expect, it } from "vitest";
import { createRng, fitCalibrator, simulateWorld, transportAudit, type WorldPolicy } from "../../src/advanced.js";

/**
 * Seeded Monte Carlo of the transport audit in the synthetic world (known truth): every replicate
 * fits AutoCal-R on 500 oracle labels of a fresh base world and audits it on 200 independent probes
 * of the target policy (one per prompt), margin 0.05, α = 0.05.
 */
const PROBES = 200;
const MARGIN = 0.05;

function fittedCalibrator(seed: number, prompts = 1000) {
  const world = simulateWorld({ policies: [{ name: "base", shift: 0 }], prompts, oracleShare: 0.5, seed });
  const rows = world.records.filter((r) => r.oracle_label !== undefined);
  return fitCalibrator({
    scores: rows.map((r) => r.judge_score as number),
    labels: rows.map((r) => r.oracle_label as number),
    clusterIds: rows.map((r) => r.prompt_id as string),
  });
}

function probeSample(policy: WorldPolicy, n: number, seed: number) {
  const world = simulateWorld({ policies: [policy], prompts: n, oracleShare: 1, seed });
  return { scores: world.records.map((r) => r.judge_score as number), labels: world.records.map((r) => r.oracle_label as number) };
}

/** Population mean residual against the judge → oracle map itself (a calibrator fitted on 20,000 labels). */
function trueResidual(policy: WorldPolicy): number {
  const probes = probeSample(policy, 50_000, 7);
  return transportAudit(probes.scores, probes.labels, fittedCalibrator(8, 40_000)).deltaHat;
}

function rates(policy: WorldPolicy, reps: number, seed: number) {
  let fail = 0;
  let pass = 0;
  for (let r = 0; r < reps; r++) {
    const probes = probeSample(policy, PROBES, seed + 2 * r + 1);
    const audit = transportAudit(probes.scores, probes.labels, fittedCalibrator(seed + 2 * r), { deltaMax: MARGIN });
    if (audit.status === "FAIL") fail++;
    if (audit.status === "PASS") pass++;
  }
  return { fail: fail / reps, pass: pass / reps };
}

describe("transport audit, Monte Carlo (200 probes, margin 0.05)", () => {
  it("where the map transports (an honest, better policy): FAIL rate ≤ α, and PASS in most replicates (300 reps)", () => {
    const honest = { name: "better", shift: 0.5 };
    expect(Math.abs(trueResidual(honest))).toBeLessThan(0.005);
    const r = rates(honest, 300, 1_000);
    expect(r.fail).toBeLessThanOrEqual(0.05);
    expect(r.pass).toBeGreaterThanOrEqual(0.6);
  });

  it("where it does not (a policy that fools the judge, mean residual ≈ −0.10): FAIL rate ≥ 0.8 (200 reps)", () => {
    const fooler = { name: "fooler", shift: 0, judgeBias: 0.065 };
    const truth = trueResidual(fooler);
    expect(truth).toBeGreaterThan(-0.11);
    expect(truth).toBeLessThan(-0.09);
    expect(rates(fooler, 200, 5_000).fail).toBeGreaterThanOrEqual(0.8);
  });

  it("at the least favourable null (true mean residual exactly +margin) the FAIL rate is ≈ α/2, never above α (1000 reps)", () => {
    // FAIL needs the lower bound above the margin: a one-sided test of size α/2 at δ = margin.
    const rng = createRng(11);
    const zero = { predictScores: (s: ArrayLike<number>) => new Float64Array(s.length) };
    let fail = 0;
    const reps = 1000;
    for (let r = 0; r < reps; r++) {
      const residuals = Array.from({ length: PROBES }, () => MARGIN + (rng.nextFloat() - 0.5) * 0.4);
      if (
        transportAudit(
          residuals.map((_, i) => i),
          residuals,
          zero,
          { deltaMax: MARGIN },
        ).status === "FAIL"
      )
        fail++;
    }
    expect(fail / reps).toBeGreaterThanOrEqual(0.01);
    expect(fail / reps).toBeLessThanOrEqual(0.04);
  });
});
