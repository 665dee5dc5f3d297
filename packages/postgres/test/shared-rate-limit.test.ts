import { randomBytes } from "node:crypto";
import pg from "pg";
import { CjeInputError } from "@cjeval/core";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { ProviderConfig } from "@cjeval/runner";
import { rateBucketOf } from "@cjeval/runner/store";
import { openPostgresStore, type PostgresCampaignStore } from "../src/index.js";
import { sharedRateLimits } from "../src/shared-rate-limit.js";
import { ensureRateBuckets, RATE_BUCKETS_TABLE, takeTokens } from "../src/rate-buckets.js";
import { dropCampaign, POSTGRES_URL, skipPostgres, uniqueCampaign } from "./postgres-env.js";

// Token buckets shared through PostgreSQL: several stores (each with its own pool, as separate processes
// have) take tokens of one bucket at once; the slots they get, in the database's clock, never come closer
// than the bucket's refill interval.

const campaigns: string[] = [];
const buckets: string[] = [];
const stores: PostgresCampaignStore[] = [];

async function openStores(n: number, campaign = uniqueCampaign("rate")): Promise<PostgresCampaignStore[]> {
  if (!campaigns.includes(campaign)) campaigns.push(campaign);
  const opened = await Promise.all(Array.from({ length: n }, () => openPostgresStore(POSTGRES_URL, { campaign, mode: "worker" })));
  stores.push(...opened);
  return opened;
}

async function bucketRows(ids: readonly string[]): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query(`SELECT * FROM ${RATE_BUCKETS_TABLE} WHERE bucket = ANY($1::text[]) ORDER BY bucket`, [ids])).rows;
  } finally {
    await client.end();
  }
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});
afterAll(async () => {
  if (skipPostgres) return;
  for (const name of campaigns) await dropCampaign(name);
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DELETE FROM ${RATE_BUCKETS_TABLE} WHERE bucket = ANY($1::text[])`, [buckets]).finally(() => client.end());
});

describe.skipIf(skipPostgres)("rate limits shared through PostgreSQL", () => {
  it("spaces the tokens that several processes take from one bucket at its refill interval, by the database's clock", async () => {
    const processes = await openStores(3);
    // The first openers of a fresh database create the table concurrently.
    await Promise.all(processes.map((store) => ensureRateBuckets(store)));
    const bucket = `test-${randomBytes(8).toString("hex")}`;
    buckets.push(bucket);
    const requestsPerMinute = 6000; // a token every 10 ms
    const slots: number[] = [];
    const started = performance.now();
    await Promise.all(
      processes.map(async (store, p) => {
        for (let round = 0; round < 10; round++) {
          const count = 1 + ((round + p) % 3);
          const { atMs, waitsMs } = await takeTokens(store.db, { bucket, label: "test bucket", requestsPerMinute, burst: 1, count });
          slots.push(...waitsMs.map((wait) => atMs + wait));
        }
      }),
    );
    const wallMs = performance.now() - started;
    slots.sort((x, y) => x - y);
    expect(slots).toHaveLength(60);
    const gaps = slots.slice(1).map((slot, i) => slot - slots[i]);
    // Never faster than the rate, whichever process took the tokens …
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(10 - 0.01);
    // … and no slower than the rate plus the time the bucket sat full while the tokens were being taken.
    expect(slots[slots.length - 1] - slots[0]).toBeLessThanOrEqual(59 * 10 + wallMs + 1);
    expect((await bucketRows([bucket]))[0]).toMatchObject({ label: "test bucket", requests_per_minute: 6000, taken: "60" });
  });

  it("keys a bucket by provider type, endpoint and API key, shared across campaigns, and never stores the key", async () => {
    const secret = `fake-key-SHARED-${randomBytes(12).toString("hex")}`;
    const other = `fake-key-OTHER-${randomBytes(12).toString("hex")}`;
    process.env.CJE_TEST_RATE_KEY = secret;
    process.env.CJE_TEST_RATE_KEY_2 = other;
    const config = (extra: Record<string, unknown> = {}) =>
      ({ type: "openai", baseURL: "http://127.0.0.1:9/v1", apiKeyEnv: "CJE_TEST_RATE_KEY", requestsPerMinute: 60_000, ...extra }) as ProviderConfig;
    try {
      const [one] = await openStores(1);
      const [two] = await openStores(1);
      const mine = rateBucketOf("judge", config(), one.schema);
      buckets.push(mine.bucket);
      expect(mine.bucket).toMatch(/^[0-9a-f]{32}$/);
      expect(mine.label).toBe("judge: openai 127.0.0.1:9");
      // The same key on the same endpoint: one bucket, whatever the provider, campaign or trailing slash.
      expect(rateBucketOf("gen", config({ baseURL: "http://127.0.0.1:9/v1/" }), two.schema).bucket).toBe(mine.bucket);
      // Another key, endpoint or API: another bucket.
      const others = [
        rateBucketOf("judge", config({ apiKeyEnv: "CJE_TEST_RATE_KEY_2" }), one.schema),
        rateBucketOf("judge", config({ baseURL: "http://127.0.0.1:10/v1" }), one.schema),
        rateBucketOf("judge", config({ type: "anthropic" }), one.schema),
      ].map((b) => b.bucket);
      expect(new Set([mine.bucket, ...others]).size).toBe(4);
      // Providers written in code have no key: their buckets are the campaign's.
      const custom = { type: "custom", provider: {}, requestsPerMinute: 60 } as unknown as ProviderConfig;
      expect(rateBucketOf("fake", custom, one.schema).bucket).not.toBe(rateBucketOf("fake", custom, two.schema).bucket);
      expect(rateBucketOf("fake", custom, one.schema).label).toBe(`fake: custom provider of ${one.schema}`);

      // Two campaigns' runs take from the one bucket of their key.
      const limiters = [sharedRateLimits(one)("judge", config()), sharedRateLimits(two)("gen", config())];
      await Promise.all(limiters.flatMap((limiter) => [limiter?.take(), limiter?.take()]));
      const rows = await bucketRows([mine.bucket]);
      expect(rows).toEqual([expect.objectContaining({ bucket: mine.bucket, taken: "4" })]);
      expect(JSON.stringify(rows)).not.toContain(secret);
      expect(JSON.stringify(rows)).not.toContain(secret.slice(-12));
      // No limit, no bucket.
      expect(sharedRateLimits(one)("judge", config({ requestsPerMinute: undefined }))).toBeNull();
      // A configured key variable that is unset fails the take, naming the variable (a dry run never takes).
      const unset = sharedRateLimits(one)("judge", config({ apiKeyEnv: "CJE_TEST_RATE_KEY_UNSET" }));
      const error = await unset?.take().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CjeInputError);
      expect((error as Error).message).toMatch(/CJE_TEST_RATE_KEY_UNSET .* is not set/);
    } finally {
      delete process.env.CJE_TEST_RATE_KEY;
      delete process.env.CJE_TEST_RATE_KEY_2;
    }
  });
});
