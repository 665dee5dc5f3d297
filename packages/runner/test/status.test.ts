import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { campaignStatus, openSqliteStore } from "../src/index.js";
import { CAMPAIGN_SNAPSHOT_META, type CampaignSnapshot } from "../src/report/snapshot.js";
import type { UnitSpec } from "../src/store/index.js";

const unit = (stage: UnitSpec["stage"], i: number): UnitSpec => ({ key: `${stage}-${i}`, stage, policy: "a", promptId: `q${i}`, descriptor: {} });

describe("campaignStatus", () => {
  it("reports per-stage progress, throughput over the last minute and overall, errors by code and cost", async () => {
    const store = openSqliteStore(path.join(await mkdtemp(path.join(tmpdir(), "cje-status-")), "c.sqlite"));
    const snapshot: CampaignSnapshot = {
      name: "s",
      truth: null,
      providers: {
        openai: { type: "openai", billable: true, prices: { "judge-model": { inputPerMillion: 2, outputPerMillion: 10 } } },
        sim: { type: "custom", billable: false },
      },
      definition: {},
    };
    await store.setMeta(CAMPAIGN_SNAPSHOT_META, JSON.stringify(snapshot));
    await store.registerUnits([...Array.from({ length: 4 }, (_, i) => unit("generate", i)), ...Array.from({ length: 6 }, (_, i) => unit("judge", i))]);

    // Generations finish at t0 … t0 + 3 min (one a minute); judge calls at t0 + 10 min, two of them failing.
    const t0 = Date.parse("2026-01-01T00:00:00Z");
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      for (let i = 0; i < 4; i++) {
        vi.setSystemTime(t0 + i * 60_000);
        await store.beginAttempt(`generate-${i}`);
        await store.completeAttempt(`generate-${i}`, {
          value: "r",
          usage: { provider: "sim", model: "policy", inputTokens: 5, outputTokens: 50, cached: false },
        });
      }
      vi.setSystemTime(t0 + 10 * 60_000);
      for (let i = 0; i < 3; i++) {
        await store.beginAttempt(`judge-${i}`);
        await store.completeAttempt(`judge-${i}`, {
          value: 0.5,
          usage: { provider: "openai", model: "judge-model", inputTokens: 1000, outputTokens: 100, cached: false },
        });
      }
      await store.beginAttempt("judge-3");
      await store.failAttempt("judge-3", { message: "no score in 'great answer'", code: "invalid_output", retryable: false });
      await store.beginAttempt("judge-4");
      await store.failAttempt("judge-4", { message: "no score in 'fine'", code: "invalid_output", retryable: false });
      await store.beginAttempt("judge-5"); // in flight
    } finally {
      vi.useRealTimers();
    }

    const status = await campaignStatus(store, new Date(t0 + 10 * 60_000 + 30_000));
    const [generate, judge] = status.stages;
    expect(generate).toMatchObject({ stage: "generate", done: 4, failed: 0, pending: 0, inFlight: 0, recentPerSecond: 0, costUsd: 0, errors: [] });
    // Four results over three minutes: one a minute.
    expect(generate.averagePerSecond).toBeCloseTo(1 / 60, 12);
    expect(judge).toMatchObject({ stage: "judge", done: 3, failed: 2, pending: 1, inFlight: 1, attempts: 6, failedAttempts: 2 });
    expect(judge.recentPerSecond).toBeCloseTo(3 / 60, 12);
    expect(judge.averagePerSecond).toBeNull(); // all three at the same instant
    expect(judge.errors).toEqual([{ code: "invalid_output", units: 2, example: "no score in 'fine'" }]);
    // 3 × (1000 × $2 + 100 × $10) per million tokens; the simulated provider does not bill.
    expect(judge.costUsd).toBeCloseTo(0.009, 12);
    expect(status.costUsd).toBeCloseTo(0.009, 12);
    expect(status.unpriced).toEqual([]);
    expect(status.queue).toBeNull();
    await store.close();
  });
});
