import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { CjeInputError } from "@cjeval/core";
import { beforeEach, describe, expect, it } from "vitest";
import { expectUsageActivityAndErrors } from "@cjeval/test-utils";
import { openSqliteStore } from "../../src/index.js";
import { STORE_MIGRATIONS, type Migration, type UnitSpec } from "../../src/store/index.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), "cje-store-"));
});

const units = (n: number, stage: UnitSpec["stage"] = "judge"): UnitSpec[] =>
  Array.from({ length: n }, (_, i) => ({ key: `${stage}-${i}`, stage, policy: "base", promptId: `q${i}`, descriptor: { model: "m" } }));
const usage = { provider: "openai", model: "m", inputTokens: 10, outputTokens: 2, cached: false };

describe("SQLite campaign store", () => {
  it("stores results and failures durably and reports them after reopening", async () => {
    const file = path.join(folder, "c.sqlite");
    const store = openSqliteStore(file);
    await store.registerUnits(units(3));
    await store.registerUnits(units(3)); // idempotent
    await Promise.all(units(3).map((u) => store.beginAttempt(u.key)));
    await store.completeAttempt("judge-0", { value: { score: 0.5 }, usage });
    await store.failAttempt("judge-1", { message: "HTTP 500", code: "server_error", retryable: true });
    await store.close();

    const again = openSqliteStore(file);
    expect(again.schemaVersion).toBe(STORE_MIGRATIONS.length);
    const states = new Map((await again.unitStates("judge")).map((s) => [s.key, s]));
    expect(states.get("judge-0")?.status).toBe("done");
    expect(states.get("judge-1")).toEqual({ key: "judge-1", status: "failed", failure: { message: "HTTP 500", code: "server_error", retryable: true } });
    expect(states.get("judge-2")?.status).toBe("pending");
    expect(await again.results("judge")).toEqual([{ key: "judge-0", policy: "base", promptId: "q0", value: { score: 0.5 } }]);
    await expectUsageActivityAndErrors(again, { interrupted: 1, inFlight: 0 });
    expect(await again.stageCounts()).toEqual([{ stage: "judge", done: 1, failed: 1, pending: 1 }]);
    // judge-2 was in flight when the first store closed without finishing it: the reopened store counts it.
    expect(await again.attempts()).toEqual({ attempts: 3, failedAttempts: 1, interrupted: 1 });
    await again.close();
  });

  it("never completes a unit twice, and commits the results of one event-loop turn together", async () => {
    const store = openSqliteStore(path.join(folder, "c.sqlite"));
    await store.registerUnits(units(40));
    await Promise.all(units(40).map((u) => store.beginAttempt(u.key)));
    await Promise.all(units(40).map((u, i) => store.completeAttempt(u.key, { value: i })));
    // 40 attempts committed one by one (each before its call), 40 results in one group commit.
    expect(store.writeStats.commits).toBe(41);
    expect(store.writeStats.writes).toBe(80);
    await expect(store.completeAttempt("judge-0", { value: "again" })).rejects.toThrow(/no attempt in flight/);
    expect((await store.results("judge")).map((r) => r.value)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    await store.close();
  });

  it("keeps one failing write from undoing the others of its group commit", async () => {
    const store = openSqliteStore(path.join(folder, "c.sqlite"));
    await store.registerUnits(units(2));
    await store.beginAttempt("judge-0");
    const [ok, bad] = await Promise.allSettled([store.completeAttempt("judge-0", { value: 1 }), store.beginAttempt("no-such-unit")]);
    expect(ok.status).toBe("fulfilled");
    expect(bad.status).toBe("rejected");
    expect(await store.results("judge")).toHaveLength(1);
    await store.close();
  });

  it("serves as the providers' response cache", async () => {
    const store = openSqliteStore(path.join(folder, "c.sqlite"));
    expect(await store.responseCache.get("abc")).toBeUndefined();
    await store.responseCache.set("abc", { text: "hi" });
    expect(await store.responseCache.get("abc")).toEqual({ text: "hi" });
    await store.close();
  });

  it("refuses a store a live writer holds, whatever host it names, and ignores the record a dead one left", async () => {
    // Two real processes on two host names: apps/cli/test/store-lock.test.ts. Here: two connections of one process.
    const file = path.join(folder, "c.sqlite");
    const writer = openSqliteStore(file, { host: "host-a" });
    expect(() => openSqliteStore(file, { host: "host-b" })).toThrow(new RegExp(`in use by process ${process.pid} on host-a since `));
    expect(await openSqliteStore(file, { mode: "read" }).runner()).toMatch(new RegExp(`^process ${process.pid} on host-a since `));
    await writer.close();
    expect(await openSqliteStore(file, { mode: "read" }).runner()).toBeNull();
    // A holder record without a live lock (its process died) blocks nothing and names no runner.
    const raw = new BetterSqlite3(file);
    raw.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('lock', ?)").run(JSON.stringify({ pid: 1, host: "elsewhere", since: "2020-01-01" }));
    raw.close();
    expect(await openSqliteStore(file, { mode: "read" }).runner()).toBeNull();
    const store = openSqliteStore(file, { host: "host-b" });
    expect(await store.runner()).toMatch(/on host-b since/);
    await store.close();
  });

  it("opens read-only without taking the lock and refuses writes", async () => {
    const file = path.join(folder, "c.sqlite");
    const writer = openSqliteStore(file);
    await writer.registerUnits(units(1));
    const reader = openSqliteStore(file, { mode: "read" });
    expect(await reader.unitStates("judge")).toHaveLength(1);
    await expect(reader.beginAttempt("judge-0")).rejects.toThrow(/read-only/);
    await expect(reader.setMeta("a", "b")).rejects.toThrow(/read-only/);
    await reader.close();
    await writer.close();
    expect(() => openSqliteStore(path.join(folder, "missing.sqlite"), { mode: "read" })).toThrow(CjeInputError);
  });

  it("migrates an older store in place and refuses a newer one", async () => {
    const file = path.join(folder, "c.sqlite");
    const v1 = openSqliteStore(file);
    await v1.registerUnits(units(2));
    await v1.close();
    const v2: Migration[] = [
      ...STORE_MIGRATIONS,
      { version: STORE_MIGRATIONS.length + 1, description: "test: a note per unit", sql: "ALTER TABLE units ADD COLUMN note TEXT" },
    ];
    const upgraded = openSqliteStore(file, { migrations: v2 });
    expect(upgraded.schemaVersion).toBe(v2.length);
    expect(await upgraded.unitStates("judge")).toHaveLength(2);
    await upgraded.close();
    expect(() => openSqliteStore(file)).toThrow(/newer than this runner/);
  });
});
