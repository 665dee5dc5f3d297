import pg from "pg";
import { CjeInputError } from "@cjeval/core";
import { afterAll, describe, expect, it } from "vitest";
import { STORE_MIGRATIONS, type Migration, type UnitSpec } from "@cjeval/runner/store";
import { expectUsageActivityAndErrors } from "@cjeval/test-utils";
import { campaignSchema, openPostgresStore } from "../src/index.js";
import { CAMPAIGN_LOCK_CLASS, lockKeyOf } from "../src/postgres-locks.js";
import { dropCampaign, POSTGRES_URL, skipPostgres, uniqueCampaign } from "./postgres-env.js";

const units = (n: number, stage: UnitSpec["stage"] = "judge"): UnitSpec[] =>
  Array.from({ length: n }, (_, i) => ({ key: `${stage}-${i}`, stage, policy: "base", promptId: `q${i}`, descriptor: { model: "m" } }));
const usage = { provider: "openai", model: "m", inputTokens: 10, outputTokens: 2, cached: false };

const campaigns: string[] = [];
function campaign(prefix = "store"): string {
  const name = uniqueCampaign(prefix);
  campaigns.push(name);
  return name;
}
afterAll(async () => {
  if (!skipPostgres) for (const name of campaigns) await dropCampaign(name);
});

async function sql<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(skipPostgres)("PostgreSQL campaign store", () => {
  it("stores results and failures durably, in the SQLite store's shape, and counts an attempt cut short when the unit is begun again", async () => {
    const name = campaign();
    const store = await openPostgresStore(POSTGRES_URL, { campaign: name });
    expect(store.schemaVersion).toBe(STORE_MIGRATIONS.length);
    expect(store.schema).toBe(campaignSchema(name));
    await store.registerUnits(units(3));
    await store.registerUnits([...units(3), ...units(1, "generate")]); // idempotent
    await Promise.all(units(3).map((u) => store.beginAttempt(u.key)));
    await store.completeAttempt("judge-0", { value: { score: 0.5 }, usage });
    await store.failAttempt("judge-1", { message: "HTTP 500", code: "server_error", retryable: true });
    await store.setMeta("note", "kept");
    await store.close();

    const again = await openPostgresStore(POSTGRES_URL, { campaign: name });
    const states = new Map((await again.unitStates("judge")).map((s) => [s.key, s]));
    expect(states.get("judge-0")?.status).toBe("done");
    expect(states.get("judge-1")).toEqual({ key: "judge-1", status: "failed", failure: { message: "HTTP 500", code: "server_error", retryable: true } });
    expect(states.get("judge-2")?.status).toBe("pending");
    expect(await again.results("judge")).toEqual([{ key: "judge-0", policy: "base", promptId: "q0", value: { score: 0.5 } }]);
    expect(await again.failures()).toEqual([
      { key: "judge-1", stage: "judge", policy: "base", promptId: "q1", failure: { message: "HTTP 500", code: "server_error", retryable: true } },
    ]);
    await expectUsageActivityAndErrors(again, { interrupted: 0, inFlight: 1 });
    // Registration order, as SQLite's rowid keeps it.
    expect(await again.stageCounts()).toEqual([
      { stage: "judge", done: 1, failed: 1, pending: 1 },
      { stage: "generate", done: 0, failed: 0, pending: 1 },
    ]);
    expect(await again.getMeta("note")).toBe("kept");
    expect(await again.attempts()).toEqual({ attempts: 3, failedAttempts: 1, interrupted: 0 });
    // judge-2's attempt was left open: beginning it again counts the first one as interrupted.
    await again.beginAttempt("judge-2");
    expect(await again.attempts()).toEqual({ attempts: 4, failedAttempts: 1, interrupted: 1 });
    await expect(again.beginAttempt("judge-0")).rejects.toThrow(/already has a result/);
    await expect(again.beginAttempt("no-such-unit")).rejects.toThrow(/unknown unit/);
    await again.close();
  });

  it("commits the writes of one event-loop turn together, never completes a unit twice, and keeps one failing write from undoing the others", async () => {
    const store = await openPostgresStore(POSTGRES_URL, { campaign: campaign() });
    await store.registerUnits(units(40));
    await Promise.all(units(40).map((u) => store.beginAttempt(u.key)));
    await Promise.all(units(40).map((u, i) => store.completeAttempt(u.key, { value: i })));
    expect(store.writeStats.commits).toBe(2);
    expect(store.writeStats.writes).toBe(80);
    await expect(store.completeAttempt("judge-0", { value: "again" })).rejects.toThrow(/no attempt in flight/);
    expect((await store.results("judge")).map((r) => r.value)).toEqual(Array.from({ length: 40 }, (_, i) => i));

    await store.registerUnits(units(2, "generate"));
    await store.beginAttempt("generate-0");
    const [ok, bad, cached] = await Promise.allSettled([
      store.completeAttempt("generate-0", { value: 1 }),
      store.beginAttempt("no-such-unit"),
      store.responseCache.set("abc", { text: "hi" }),
    ]);
    expect(ok.status).toBe("fulfilled");
    expect(bad.status).toBe("rejected");
    expect(cached.status).toBe("fulfilled");
    expect(await store.results("generate")).toHaveLength(1);
    expect(await store.responseCache.get("abc")).toEqual({ text: "hi" });
    expect(await store.responseCache.get("missing")).toBeUndefined();
    await store.close();
  });

  it("lets a second worker's late result of the same unit leave the first one in place, running its transaction hook anyway", async () => {
    const name = campaign();
    const runner = await openPostgresStore(POSTGRES_URL, { campaign: name });
    await runner.registerUnits(units(1));
    const a = await openPostgresStore(POSTGRES_URL, { campaign: name, mode: "worker" });
    const b = await openPostgresStore(POSTGRES_URL, { campaign: name, mode: "worker" });
    expect(await a.tryBeginAttempt("judge-0")).toBe(true);
    expect(await b.tryBeginAttempt("judge-0")).toBe(true); // a's attempt looked dead: b called again
    const hooks: string[] = [];
    await b.completeAttempt("judge-0", { value: "b" }, async (tx) => void hooks.push(`b:${(await tx.query("SELECT 1 AS one")).rows.length}`));
    await a.completeAttempt("judge-0", { value: "a" }, async () => void hooks.push("a"));
    await a.failAttempt("judge-0", { message: "late", code: "timeout", retryable: true }, async () => void hooks.push("a-failed"));
    expect(hooks).toEqual(["b:1", "a", "a-failed"]);
    expect(await runner.results("judge")).toEqual([{ key: "judge-0", policy: "base", promptId: "q0", value: "b" }]);
    expect(await runner.failures()).toEqual([]);
    expect(await b.tryBeginAttempt("judge-0")).toBe(false);
    expect(await runner.attempts()).toEqual({ attempts: 2, failedAttempts: 0, interrupted: 1 });
    await Promise.all([a.close(), b.close(), runner.close()]);
  });

  it("refuses a second run while one holds the campaign lock, and takes over the moment the holder's connection dies", async () => {
    const name = campaign();
    const first = await openPostgresStore(POSTGRES_URL, { campaign: name });
    expect(await first.runner()).toMatch(/^cje run .+:\d+$/);
    await expect(openPostgresStore(POSTGRES_URL, { campaign: name })).rejects.toThrow(/in use by cje run .+:\d+/);
    const worker = await openPostgresStore(POSTGRES_URL, { campaign: name, mode: "worker" });
    await worker.close();
    // Kill the lock's connection, as a killed process would: the next run takes over, the old one stops writing.
    await sql("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::bigint::oid AND objid = $2::bigint::oid", [
      CAMPAIGN_LOCK_CLASS,
      lockKeyOf(campaignSchema(name)),
    ]);
    let second: Awaited<ReturnType<typeof openPostgresStore>> | undefined;
    for (let i = 0; i < 50 && second === undefined; i++) {
      second = await openPostgresStore(POSTGRES_URL, { campaign: name }).catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return undefined;
      });
    }
    expect(second).toBeDefined();
    await expect(first.setMeta("a", "b")).rejects.toThrow(/lost the campaign lock/);
    await first.close();
    await second?.close();
    expect(await (await openPostgresStore(POSTGRES_URL, { campaign: name, mode: "read" })).runner()).toBeNull();
  });

  it("opens read-only without a lock, refuses writes, and refuses a campaign that was never run", async () => {
    const name = campaign();
    const writer = await openPostgresStore(POSTGRES_URL, { campaign: name });
    await writer.registerUnits(units(1));
    const reader = await openPostgresStore(POSTGRES_URL, { campaign: name, mode: "read" });
    expect(await reader.unitStates("judge")).toHaveLength(1);
    await expect(reader.beginAttempt("judge-0")).rejects.toThrow(/read-only/);
    await expect(reader.setMeta("a", "b")).rejects.toThrow(/read-only/);
    await reader.close();
    await writer.close();
    await expect(openPostgresStore(POSTGRES_URL, { campaign: campaign("never"), mode: "read" })).rejects.toThrow(/run the campaign first/);
  });

  it("follows the one schema history: migrates an older store in place and refuses a newer one", async () => {
    const name = campaign();
    const v1 = await openPostgresStore(POSTGRES_URL, { campaign: name, migrations: STORE_MIGRATIONS.slice(0, 1) });
    expect(v1.schemaVersion).toBe(1);
    await v1.registerUnits(units(2));
    await v1.close();
    const next: Migration[] = [
      ...STORE_MIGRATIONS,
      { version: STORE_MIGRATIONS.length + 1, description: "test: a note per unit", sql: "ALTER TABLE units ADD COLUMN note TEXT" },
    ];
    const upgraded = await openPostgresStore(POSTGRES_URL, { campaign: name, migrations: next });
    expect(upgraded.schemaVersion).toBe(next.length);
    expect(await upgraded.unitStates("judge")).toHaveLength(2);
    await upgraded.close();
    const tables = await sql<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name", [
      campaignSchema(name),
    ]);
    expect(tables.map((t) => t.table_name)).toEqual(["job_leases", "meta", "response_cache", "store_version", "units"]);
    await expect(openPostgresStore(POSTGRES_URL, { campaign: name })).rejects.toThrow(/newer than this runner/);
  });

  it("names the store without its password when it cannot open it", async () => {
    const url = new URL(POSTGRES_URL);
    url.password = "Wr0ng-Secret-Pa55";
    const error = await openPostgresStore(url.toString(), { campaign: campaign() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CjeInputError);
    expect(String((error as Error).message)).toMatch(
      /^postgres:\/\/cje:\*\*\*@127\.0\.0\.1:\d+\/.*cannot open the PostgreSQL campaign store: password authentication failed/,
    );
    expect(String((error as Error).message)).not.toContain("Wr0ng-Secret-Pa55");
  });
});
