import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { simulateWorld } from "@cjeval/core/advanced";
import { DEMO_AUDIT, DEMO_ORACLE_SHARE, DEMO_POLICIES, DEMO_PROMPTS, DEMO_SEED, demoCampaign, demoWorld } from "../../src/demo/demo-campaign.js";
import { auditedPolicies } from "../../src/index.js";

/** A record without its oracle label. */
function unlabelled(record: Record<string, unknown>): Record<string, unknown> {
  const { oracle_label: _label, ...rest } = record;
  return rest;
}

describe("demo world", () => {
  it("caps the prompts and the seed for code users as the CLI flags do", async () => {
    await expect(demoCampaign({ prompts: 1e8 })).rejects.toThrow(/field 'prompts' = 100000000: .*at most 1000000/);
    await expect(demoCampaign({ seed: 1e20 })).rejects.toThrow(/field 'seed'/);
  });

  const plain = simulateWorld({ policies: DEMO_POLICIES, prompts: DEMO_PROMPTS, oracleShare: DEMO_ORACLE_SHARE, seed: DEMO_SEED });
  const world = demoWorld(DEMO_SEED, DEMO_PROMPTS);

  it("is simulateWorld's world: the same answers and judge scores, and base's labels on the same sample", () => {
    expect(world.truth).toEqual(plain.truth);
    expect(world.records.map(unlabelled)).toEqual(plain.records.map(unlabelled));
    const baseLabels = (w: typeof world) => w.records.filter((r) => r.policy === "base").map((r) => r.oracle_label);
    expect(baseLabels(world)).toEqual(baseLabels(plain));
    expect(baseLabels(world).filter((y) => y !== undefined)).toHaveLength(DEMO_ORACLE_SHARE * DEMO_PROMPTS);
  });

  it("labels every answer of the audited policies with the world's oracle", () => {
    for (const policy of DEMO_POLICIES.slice(1)) {
      const labels = world.records.filter((r) => r.policy === policy.name).map((r) => r.oracle_label);
      expect(
        labels.every((y) => typeof y === "number"),
        policy.name,
      ).toBe(true);
      // The labels are the oracle's ratings, not judge scores: their mean is the policy's true value (SE ≈ 0.01).
      const mean = (labels as number[]).reduce((a, b) => a + b, 0) / labels.length;
      expect(Math.abs(mean - world.truth[policy.name]), policy.name).toBeLessThan(0.03);
    }
  });

  it("audits every policy but base, whose sample calibrates the judge", async () => {
    const { campaign } = await demoCampaign({ outDir: await mkdtemp(path.join(tmpdir(), "cje-demo-world-")) });
    expect(campaign.config.audit).toEqual(DEMO_AUDIT);
    expect(campaign.config.labels?.policies).toEqual(["base"]);
    expect(auditedPolicies(campaign.config)).toEqual(["concise", "verbose", "flatterer"]);
  });
});
