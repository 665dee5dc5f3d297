import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { CjeInputError, ProviderError, type Provider } from "@cjeval/core";
import { afterAll, describe, expect, it } from "vitest";
import { campaignStatus, resolveCampaign, runCampaign, type CampaignInput, type ProgressSink, type RunSummary } from "@cjeval/runner";
import { rateBucketOf } from "@cjeval/runner/store";
import { fakeCampaign, fakePrompts, fakeProvider, type FakeCalls } from "@cjeval/test-utils";
import { campaignSchema, openPostgresStore, runDistributedCampaign, runWorker, type WorkerCounts } from "../../src/index.js";
import { queueName, UnitQueue } from "../../src/queue/unit-queue.js";
import { RATE_BUCKETS_TABLE } from "../../src/rate-buckets.js";
import { dropCampaign, POSTGRES_URL, skipPostgres, uniqueCampaign } from "../postgres-env.js";

// Distributed runs inside this process: the running process queues units on PostgreSQL, "workers" (runWorker
// with their own store and queue connections) take them; an in-process fake provider logs every call.

const PROMPTS = 30;
const prompts = fakePrompts(PROMPTS);
const campaigns: string[] = [];
afterAll(async () => {
  if (!skipPostgres) for (const name of campaigns) await dropCampaign(name);
});

async function campaign(provider: Provider, extra: Partial<CampaignInput> = {}) {
  const name = uniqueCampaign("dist");
  campaigns.push(name);
  const folder = await mkdtemp(path.join(tmpdir(), "cje-dist-"));
  const base = fakeCampaign(provider, folder, { name, prompts: { items: prompts }, labels: { policies: ["a"], budget: 12, seed: 3 } });
  return resolveCampaign({ ...base, ...extra }, { baseDir: folder });
}

/** Workers on the campaign's queue until stopped. */
function startWorkers(resolved: Awaited<ReturnType<typeof campaign>>, n: number) {
  const controller = new AbortController();
  const problems: string[] = [];
  const running = Array.from({ length: n }, () =>
    runWorker(resolved, { store: POSTGRES_URL, signal: controller.signal, pollMs: 20, onProblem: (m) => problems.push(m) }),
  );
  return {
    problems,
    stop: async (): Promise<WorkerCounts[]> => {
      controller.abort();
      return Promise.all(running);
    },
  };
}

function expectEachCallOnce(calls: FakeCalls, judged: number): void {
  expect(new Set(calls.generate).size).toBe(calls.generate.length);
  expect(calls.generate).toHaveLength(2 * PROMPTS);
  expect(new Set(calls.judge).size).toBe(calls.judge.length);
  expect(calls.judge.filter((c) => c.startsWith("judge|"))).toHaveLength(judged);
  expect(calls.judge.filter((c) => c.startsWith("oracle|"))).toHaveLength(12);
}

/** The provider `fake` with a request-rate cap (200 calls a second: it hardly slows the tests). */
function capped(provider: Provider): Partial<CampaignInput> {
  return { providers: { fake: { type: "custom", provider, concurrency: 4, requestsPerMinute: 12_000 } } };
}

/** Tokens taken from the shared rate bucket of the campaign's provider `fake`, by every process. */
async function tokensTaken(resolved: Awaited<ReturnType<typeof campaign>>): Promise<number> {
  const { bucket } = rateBucketOf("fake", resolved.config.providers.fake, campaignSchema(resolved.config.name));
  return scalar(`SELECT taken FROM ${RATE_BUCKETS_TABLE} WHERE bucket = $1`, [bucket]);
}

async function scalar(text: string, values: unknown[]): Promise<number> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return Number(Object.values((await client.query(text, values)).rows[0])[0]);
  } finally {
    await client.end();
  }
}

describe.skipIf(skipPostgres)("distributed campaigns on PostgreSQL", () => {
  it("runs every unit exactly once through workers and reaches the analysis of a local SQLite run", async () => {
    const reference = await runCampaign(await campaign(fakeProvider().provider));
    expect(reference.status).toBe("complete");

    const { provider, calls } = fakeProvider();
    const resolved = await campaign(provider, capped(provider));
    const workers = startWorkers(resolved, 2);
    const store = await openPostgresStore(POSTGRES_URL, { campaign: resolved.config.name });
    const advanced: Record<string, { done: number; failed: number }> = {};
    const progress: ProgressSink = {
      stage: (stage) => {
        advanced[stage] = { done: 0, failed: 0 };
        return { advance: (ok) => void advanced[stage][ok ? "done" : "failed"]++, finish: () => undefined };
      },
      note: () => undefined,
    };
    let summary: RunSummary;
    try {
      summary = await runDistributedCampaign(resolved, { store, work: false, pollMs: 40, progress });
    } finally {
      const counts = await workers.stop();
      expect(counts.reduce((n, c) => n + c.completed, 0)).toBe(4 * PROMPTS + 12);
      expect(counts.reduce((n, c) => n + c.failed + c.skipped, 0)).toBe(0);
    }
    expect(workers.problems).toEqual([]);
    expect(summary.status).toBe("complete");
    expect(summary.analysis).toEqual(reference.analysis);
    expect(summary.attempts).toEqual({ attempts: 4 * PROMPTS + 12 + 2, failedAttempts: 0, interrupted: 0 });
    expectEachCallOnce(calls, 2 * PROMPTS);
    // Progress counted every unit the workers stored, once.
    expect(advanced).toEqual({
      generate: { done: 2 * PROMPTS, failed: 0 },
      judge: { done: 2 * PROMPTS, failed: 0 },
      sample: { done: 1, failed: 0 },
      label: { done: 12, failed: 0 },
      estimate: { done: 1, failed: 0 },
    });
    const status = await campaignStatus(store);
    expect(status.queue).toEqual({ queued: 0, active: 0, workers: [] });
    expect(status.runner).toMatch(/^cje run /);
    expect(status.stages.map((s) => [s.stage, s.done, s.pending])).toEqual([
      ["generate", 2 * PROMPTS, 0],
      ["judge", 2 * PROMPTS, 0],
      ["sample", 1, 0],
      ["label", 12, 0],
      ["estimate", 1, 0],
    ]);
    await store.close();
    expect(await scalar(`SELECT COUNT(*) FROM ${campaignSchema(resolved.config.name)}.job_leases`, [])).toBe(0);
    // The queue's table has the index that takes jobs in order without sorting them all.
    const queue = queueName(campaignSchema(resolved.config.name), "fake");
    expect(
      await scalar(
        "SELECT COUNT(*) FROM pgboss.queue q JOIN pg_indexes i ON i.schemaname = 'pgboss' AND i.indexname = q.partition_name || '_cje' WHERE q.name = $1",
        [queue],
      ),
    ).toBe(1);
    // Every call took its token from the one bucket the workers share.
    expect(await tokensTaken(resolved)).toBe(4 * PROMPTS + 12);
  });

  it("resumes after transient failures without calling stored units again, working on the queue itself", async () => {
    const broken = "model-b says Question 7";
    const first = fakeProvider({ transient: new Set(["Question 3", "Question 4"]), broken: new Set([broken]) });
    const resolved = await campaign(first.provider);
    const store1 = await openPostgresStore(POSTGRES_URL, { campaign: resolved.config.name });
    const run1 = await runDistributedCampaign(resolved, { store: store1, pollMs: 40 });
    await store1.close();
    expect(run1.status).toBe("incomplete");
    expect(run1.reason).toMatch(/4 generate calls failed with transient errors/);
    expect(first.calls.generate).toHaveLength(2 * PROMPTS);

    const second = fakeProvider({ broken: new Set([broken]) });
    const again = resolveCampaign(
      { ...resolved.config, providers: { fake: { type: "custom", provider: second.provider, concurrency: 4 } } },
      { baseDir: resolved.baseDir },
    );
    const store2 = await openPostgresStore(POSTGRES_URL, { campaign: resolved.config.name });
    const run2 = await runDistributedCampaign(again, { store: store2, pollMs: 40 });
    await store2.close();
    expect(run2.status).toBe("complete");
    expect(second.calls.generate.sort()).toEqual(["model-a|Question 3", "model-a|Question 4", "model-b|Question 3", "model-b|Question 4"]);
    expect(second.calls.judge.filter((c) => c.startsWith("judge|"))).toHaveLength(2 * PROMPTS);
    expect(run2.failures).toEqual([
      expect.objectContaining({ stage: "judge", policy: "b", promptId: "q7", failure: expect.objectContaining({ retryable: false }) }),
    ]);
    expect(run2.analysis?.policies.map((p) => [p.policy, p.n])).toEqual([
      ["a", PROMPTS],
      ["b", PROMPTS - 1],
    ]);
  });

  it("hands the units of a worker that died out again; their cut-short attempts count as interrupted", async () => {
    const { provider, calls } = fakeProvider();
    const resolved = await campaign(provider);
    const name = resolved.config.name;
    const store = await openPostgresStore(POSTGRES_URL, { campaign: name });
    const run = runDistributedCampaign(resolved, { store, work: false, pollMs: 40 });
    // A worker that takes 10 jobs, begins their attempts and dies before calling.
    const zombieStore = await openPostgresStore(POSTGRES_URL, { campaign: name, mode: "worker" });
    const zombie = await UnitQueue.open(zombieStore, { role: "worker" });
    let taken: Awaited<ReturnType<UnitQueue["claim"]>> = [];
    for (let i = 0; i < 200 && taken.length === 0; i++) {
      taken = await zombie.claim("fake", 10);
      if (taken.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(taken).toHaveLength(10);
    await Promise.all(taken.map((unit) => zombieStore.tryBeginAttempt(unit.key)));
    await zombie.close();
    await zombieStore.close();

    const workers = startWorkers(resolved, 1);
    const summary = await run.finally(() => workers.stop());
    await store.close();
    expect(summary.status).toBe("complete");
    expect(summary.attempts.interrupted).toBe(10);
    expectEachCallOnce(calls, 2 * PROMPTS);
  });

  it("stops a worker whose campaign definition differs from the run's, before it calls anything", async () => {
    const { provider, calls } = fakeProvider();
    const resolved = await campaign(provider);
    const other = resolveCampaign({ ...resolved.config, policies: [...resolved.config.policies].reverse() }, { baseDir: resolved.baseDir });
    const store = await openPostgresStore(POSTGRES_URL, { campaign: resolved.config.name });
    const run = runDistributedCampaign(resolved, { store, work: false, pollMs: 40 });
    const wrong = await runWorker(other, { store: POSTGRES_URL, pollMs: 20 }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(CjeInputError);
    expect((wrong as Error).message).toMatch(/different campaign definition/);
    expect(calls.generate).toHaveLength(0);
    const workers = startWorkers(resolved, 1);
    const summary = await run.finally(() => workers.stop());
    await store.close();
    expect(summary.status).toBe("complete");
    expectEachCallOnce(calls, 2 * PROMPTS);
  });

  it("stops the run when a worker's call fails in a way every further call would repeat", async () => {
    const { provider } = fakeProvider();
    const denied: Provider = {
      ...provider,
      generator: (model) => ({
        modelId: model,
        generate: async () => {
          throw new ProviderError("HTTP 401: invalid API key", { code: "auth", status: 401 });
        },
      }),
    };
    const resolved = await campaign(denied);
    const workers = startWorkers(resolved, 1);
    const store = await openPostgresStore(POSTGRES_URL, { campaign: resolved.config.name });
    const error = await runDistributedCampaign(resolved, { store, work: false, pollMs: 40 }).catch((e: unknown) => e);
    const counts = await workers.stop();
    await store.close();
    expect(error).toBeInstanceOf(CjeInputError);
    expect((error as Error).message).toMatch(/HTTP 401: invalid API key \(stopped: every further call would fail the same way\)/);
    expect(workers.problems.some((p) => /stopped calling fake/.test(p))).toBe(true);
    // The worker stopped calling the provider after its first refusal.
    expect(counts[0].failed).toBeLessThanOrEqual(4);
  });

  it("says so when no worker takes the queued units, and on its signal stops leaving nothing queued", async () => {
    const { provider, calls } = fakeProvider();
    const resolved = await campaign(provider);
    const store = await openPostgresStore(POSTGRES_URL, { campaign: resolved.config.name });
    const controller = new AbortController();
    const notes: string[] = [];
    const progress: ProgressSink = {
      stage: () => ({ advance: () => undefined, finish: () => undefined }),
      note: (message) => {
        notes.push(message);
        controller.abort();
      },
    };
    const summary = await runDistributedCampaign(resolved, { store, work: false, pollMs: 40, progress, signal: controller.signal });
    expect(summary.status).toBe("incomplete");
    expect(summary.reason).toMatch(/interrupted/);
    expect(notes).toEqual([`generate: ${2 * PROMPTS} units queued and no worker is taking them: start \`cje worker\` processes on this store`]);
    expect(calls.generate).toHaveLength(0);
    expect((await campaignStatus(store)).queue).toEqual({ queued: 0, active: 0, workers: [] });
    await store.close();
  });

  it("serves a local run as the SQLite store does", async () => {
    const reference = await runCampaign(await campaign(fakeProvider().provider));
    const { provider } = fakeProvider();
    const resolved = await campaign(provider, capped(provider));
    const store = await openPostgresStore(POSTGRES_URL, { campaign: resolved.config.name });
    const local = await runCampaign(resolved, { store });
    await store.close();
    expect(local.status).toBe("complete");
    expect(local.analysis).toEqual(reference.analysis);
    expect(local.attempts).toEqual(reference.attempts);
    // Its rate cap is the shared one of the PostgreSQL store.
    expect(await tokensTaken(resolved)).toBe(4 * PROMPTS + 12);
  });
});
