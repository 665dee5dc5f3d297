/**
 * The PostgreSQL campaign store (node-postgres 8): a campaign's tables live in a schema of their own
 * (`cje_<name>`) in any database, with the SQLite store's tables, statements and schema history. Several
 * processes share it: the one running the campaign (`write`: it holds the campaign lock, a session
 * advisory lock released by PostgreSQL when that process dies) and any number of workers (`worker`) that
 * record attempts and results of queued units; reports and status read it (`read`).
 *
 * Attempts, results and failures use the group commit of the SQLite store: writes of one event-loop turn
 * share a transaction and resolve after it commits. Attempts have a queue of their own, so that a call
 * about to start never waits behind a batch of results. A result or failure may carry more work for its
 * transaction (`alsoInTransaction`): a worker completes the unit's queue job there, so the result and the
 * job's completion are committed together or not at all.
 */
import pg from "pg";
import { CjeInputError } from "@cjeval/core";
import type { ResponseCache } from "@cjeval/provider-utils";
import { applicationName, CAMPAIGN_LOCK_CLASS, lockHolders, lockKeyOf, MIGRATION_LOCK_CLASS, takeSessionLock, type SessionLock } from "./postgres-locks.js";
import { BrokenConnectionError, inTransaction, runStatement, sqlRunner, type SqlRunner, type StoreTransaction } from "./postgres-sql.js";
import {
  attemptsOf,
  errorGroupsOf,
  failedUnitOf,
  GroupCommit,
  insertUnitParams,
  markDoneParams,
  markFailedParams,
  migrationSql,
  pendingMigrations,
  redactUrl,
  stageActivityOf,
  stageCountsOf,
  STORE_MIGRATIONS,
  storedResultOf,
  unitStateOf,
  usageOf,
  withoutPassword,
  type AttemptSummary,
  type CampaignStore,
  type ErrorGroup,
  type FailedUnit,
  type Migration,
  type StageActivity,
  type StageCounts,
  type StageName,
  type StoreCoordination,
  type StoredResult,
  type UnitFailure,
  type UnitOutcome,
  type UnitRow,
  type UnitSpec,
  type UnitState,
  type UnitStatus,
  type UsageSummary,
  type WriteResult,
  type WriteStats,
} from "@cjeval/runner/store";
import { postgresCoordination } from "./coordination.js";

/** How a process uses a PostgreSQL store; see the module comment. */
export type PostgresStoreMode = "write" | "worker" | "read";

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** The campaign's name: its tables live in the schema {@link campaignSchema} names after it. */
  readonly campaign: string;
  /** `write` (default), `worker` or `read`; see the module comment. */
  readonly mode?: PostgresStoreMode;
  /** Schema history (tests pass their own to exercise upgrades). */
  readonly migrations?: readonly Migration[];
  /** Connections in the pool (default 8). */
  readonly poolSize?: number;
}

/** More work for the transaction that stores a result or a failure. */
export type TransactionHook = (tx: StoreTransaction) => Promise<void>;

/** A unit's status with its failure count, for telling outcomes recorded after a point in time apart. */
export interface UnitMark {
  readonly key: string;
  readonly status: UnitStatus;
  readonly failedAttempts: number;
  /** Set when `status` is `failed`. */
  readonly failure?: UnitFailure;
}

type PgWrite = (tx: StoreTransaction) => Promise<unknown>;

/** Batches of writes committed at once, each on a connection of the pool. */
const PARALLEL_COMMITS = 3;

/** Rows inserted per statement when registering units. */
const REGISTER_CHUNK = 2000;

/**
 * The schema of a campaign's tables: `cje_<name>` when the name is a plain lower-case identifier, otherwise
 * its lower-cased, sanitised form with a hash of the exact name (so `A.b` and `a_b` never share a schema).
 */
export function campaignSchema(campaign: string): string {
  const plain = campaign.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  if (plain === campaign && plain.length <= 50) return `cje_${plain}`;
  return `cje_${plain.slice(0, 40)}_${lockKeyOf(campaign).toString(16).padStart(8, "0")}`;
}

/** Opens (creating and migrating as needed) the campaign's store in the PostgreSQL database at `url`. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions): Promise<PostgresCampaignStore> {
  const mode = options.mode ?? "write";
  const schema = campaignSchema(options.campaign);
  const location = `${redactUrl(url)} (schema ${schema})`;
  const role = mode === "write" ? "run" : mode;
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 8, application_name: applicationName(role), options: `-c search_path=${schema}` });
  // An idle connection that drops is replaced; the error surfaces on the next query that needs it.
  pool.on("error", () => undefined);
  let lock: SessionLock | null = null;
  try {
    const version = await prepareSchema(pool, schema, options.migrations ?? STORE_MIGRATIONS, mode, location);
    const store = new PostgresCampaignStore(pool, url, schema, location, version, mode);
    if (mode === "write") {
      lock = await takeSessionLock(url, CAMPAIGN_LOCK_CLASS, lockKeyOf(schema), "run", (error) => store.lockLost(error));
      if (lock === null) {
        const holder = (await lockHolders(sqlRunner(pool), CAMPAIGN_LOCK_CLASS, lockKeyOf(schema)))[0]?.name ?? "another process";
        throw new CjeInputError(`campaign store is in use by ${holder}; wait for it or stop it`, { file: location });
      }
      store.holdLock(lock);
    }
    return store;
  } catch (error) {
    await lock?.release();
    await pool.end();
    throw storeError(error, url, location);
  }
}

/** Creates the campaign's schema if needed and applies the pending migrations; returns the schema version. */
async function prepareSchema(pool: pg.Pool, schema: string, migrations: readonly Migration[], mode: PostgresStoreMode, location: string): Promise<number> {
  const exists = (await pool.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema])).rowCount === 1;
  if (!exists && mode === "read") throw new CjeInputError("no campaign store here yet: run the campaign first (cje run --store …)", { file: location });
  // One connection for the whole upgrade: its session lock keeps concurrent openers waiting until it is done.
  return withClient(pool, async (client) => {
    await client.query("SELECT pg_advisory_lock($1, $2)", [MIGRATION_LOCK_CLASS, lockKeyOf(schema)]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query("CREATE TABLE IF NOT EXISTS store_version (version INTEGER NOT NULL)");
      const current = Number((await client.query<{ version: number | null }>("SELECT MAX(version) AS version FROM store_version")).rows[0].version ?? 0);
      const { steps, target } = pendingMigrations(current, migrations, location);
      for (const step of steps) {
        await inTransaction(client, async () => {
          await client.query(migrationSql(step, "postgres"));
          await client.query("DELETE FROM store_version");
          await client.query("INSERT INTO store_version (version) VALUES ($1)", [step.version]);
        });
      }
      return target;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1, $2)", [MIGRATION_LOCK_CLASS, lockKeyOf(schema)]);
    }
  });
}

/** {@link CampaignStore} on a PostgreSQL schema. Create it with {@link openPostgresStore}. */
export class PostgresCampaignStore implements CampaignStore {
  readonly schemaVersion: number;
  readonly responseCache: ResponseCache;
  /** The campaign's schema. */
  readonly schema: string;
  /** The store for messages: the URL without its password, and the schema. */
  readonly location: string;
  /** How this process uses the store. */
  readonly mode: PostgresStoreMode;
  /** Write statistics since the store was opened: commits, writes, and time spent writing and committing. */
  readonly writeStats: WriteStats;
  /** What the run and its workers share through the database: rate-limit buckets, the queue's status. */
  readonly coordination: StoreCoordination;
  /** Runs SQL on the store's pool (search path: the campaign's schema). */
  readonly db: SqlRunner;
  readonly #url: string;
  private readonly pool: pg.Pool;
  /** Attempts begun. */
  private readonly attemptWrites: GroupCommit<PgWrite>;
  /** Results, failures and cached responses. */
  private readonly outcomeWrites: GroupCommit<PgWrite>;
  private lock: SessionLock | null = null;
  private lost: Error | null = null;
  private closed = false;

  constructor(pool: pg.Pool, url: string, schema: string, location: string, schemaVersion: number, mode: PostgresStoreMode) {
    this.pool = pool;
    this.#url = url;
    this.schema = schema;
    this.location = location;
    this.schemaVersion = schemaVersion;
    this.mode = mode;
    this.db = sqlRunner(pool);
    this.coordination = postgresCoordination(this);
    this.outcomeWrites = new GroupCommit((batch) => this.commitBatch(batch), PARALLEL_COMMITS);
    this.writeStats = this.outcomeWrites.stats;
    this.attemptWrites = new GroupCommit((batch) => this.commitBatch(batch), PARALLEL_COMMITS, this.writeStats);
    this.responseCache = {
      get: async (key) => {
        const row = (await runStatement<{ value: string }>(this.db, "cacheGet", [key])).rows[0];
        return row === undefined ? undefined : JSON.parse(row.value);
      },
      set: (key, value) =>
        this.enqueue(this.outcomeWrites, async (tx) => void (await runStatement(tx, "cacheSet", [key, JSON.stringify(value), new Date().toISOString()]))),
    };
  }

  async getMeta(key: string): Promise<string | undefined> {
    return (await runStatement<{ value: string }>(this.db, "getMeta", [key])).rows[0]?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.assertWritable();
    await runStatement(this.db, "setMeta", [key, value]);
  }

  async registerUnits(units: readonly UnitSpec[]): Promise<void> {
    this.assertWritable();
    const now = new Date().toISOString();
    await this.transaction(async (tx) => {
      for (let start = 0; start < units.length; start += REGISTER_CHUNK) {
        const columns: unknown[][] = [[], [], [], [], [], [], []];
        for (const unit of units.slice(start, start + REGISTER_CHUNK)) insertUnitParams(unit, now).forEach((value, i) => columns[i].push(value));
        // The rows of a chunk in one statement (one round trip), in order: `rowid` keeps registration order.
        await tx.query(
          `INSERT INTO units (key, stage, policy, prompt_id, descriptor, created_at, updated_at)
           SELECT key, stage, policy, prompt_id, descriptor, created_at, updated_at
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY
                  AS u (key, stage, policy, prompt_id, descriptor, created_at, updated_at, n)
            ORDER BY n
           ON CONFLICT (key) DO NOTHING`,
          columns,
          "cje_registerUnits",
        );
      }
    });
  }

  async unitStates(stage: StageName): Promise<UnitState[]> {
    return (await runStatement<UnitRow>(this.db, "unitsOfStage", [stage])).rows.map(unitStateOf);
  }

  /** Every unit of `stage` with its status and failure count. */
  async unitMarks(stage: StageName): Promise<UnitMark[]> {
    return this.marks(stage, "all");
  }

  /**
   * How far `stage` got, read cheaply enough to poll on a stage of 10^5 units: how many of its units have a
   * result, and its failed units with their failure counts.
   */
  async stageProgress(stage: StageName): Promise<{ readonly done: number; readonly failed: UnitMark[] }> {
    const { rows } = await this.db.query<{ done: string }>("SELECT COUNT(*) AS done FROM units WHERE stage = $1 AND status = 'done'", [stage], "cje_doneUnits");
    return { done: Number(rows[0].done), failed: await this.marks(stage, "failed") };
  }

  private async marks(stage: StageName, which: "all" | "failed"): Promise<UnitMark[]> {
    const { rows } = await this.db.query<UnitRow & { failed_attempts: number }>(
      `SELECT key, stage, policy, prompt_id, status, failed_attempts, error, error_code, retryable FROM units WHERE stage = $1${which === "failed" ? " AND status = 'failed'" : ""}`,
      [stage],
      which === "failed" ? "cje_failedMarks" : "cje_unitMarks",
    );
    return rows.map((row) => ({ ...unitStateOf(row), failedAttempts: Number(row.failed_attempts) }));
  }

  async beginAttempt(key: string): Promise<void> {
    if (!(await this.tryBeginAttempt(key))) throw new Error(`unit ${key} already has a result`);
  }

  /**
   * Durably records that a call for `key` is starting (see {@link CampaignStore.beginAttempt}); resolves to
   * `false`, recording nothing, when the unit already has a result. An unknown unit is an error.
   */
  tryBeginAttempt(key: string): Promise<boolean> {
    return this.enqueue(this.attemptWrites, async (tx) => {
      if ((await runStatement(tx, "beginAttempt", [new Date().toISOString(), key])).rowCount === 1) return true;
      if ((await runStatement(tx, "unitStatus", [key])).rows.length === 0) throw new Error(`unknown unit ${key}`);
      return false;
    });
  }

  /**
   * Stores a unit's result and closes its attempt in one transaction, with `alsoInTransaction` in it. Without
   * a hook a unit without an attempt in flight is an error; with one, a unit another worker completed first
   * keeps its result and the hook still runs.
   */
  completeAttempt(key: string, outcome: UnitOutcome, alsoInTransaction?: TransactionHook): Promise<void> {
    return this.enqueue(this.outcomeWrites, async (tx) => {
      const stored = (await runStatement(tx, "markDone", markDoneParams(key, outcome, new Date().toISOString()))).rowCount === 1;
      if (!stored && alsoInTransaction === undefined) throw new Error(`unit ${key} has no attempt in flight`);
      await alsoInTransaction?.(tx);
    });
  }

  /** Marks the unit failed (unless it has a result) and closes its attempt, in one transaction with `alsoInTransaction`. */
  failAttempt(key: string, failure: UnitFailure, alsoInTransaction?: TransactionHook): Promise<void> {
    return this.enqueue(this.outcomeWrites, async (tx) => {
      await runStatement(tx, "markFailed", markFailedParams(key, failure, new Date().toISOString()));
      await alsoInTransaction?.(tx);
    });
  }

  async results(stage: StageName): Promise<StoredResult[]> {
    return (await runStatement<UnitRow>(this.db, "resultsOfStage", [stage])).rows.map(storedResultOf);
  }

  async failures(stage?: StageName): Promise<FailedUnit[]> {
    const { rows } =
      stage === undefined ? await runStatement<UnitRow>(this.db, "allFailures", []) : await runStatement<UnitRow>(this.db, "failuresOfStage", [stage]);
    return rows.map(failedUnitOf);
  }

  async stageCounts(): Promise<StageCounts[]> {
    return stageCountsOf((await runStatement<Parameters<typeof stageCountsOf>[0][number]>(this.db, "stageCounts", [])).rows);
  }

  async usage(): Promise<UsageSummary[]> {
    return usageOf((await runStatement<Parameters<typeof usageOf>[0][number]>(this.db, "usage", [])).rows);
  }

  async stageActivity(since: Date): Promise<StageActivity[]> {
    return stageActivityOf((await runStatement<Parameters<typeof stageActivityOf>[0][number]>(this.db, "stageActivity", [since.toISOString()])).rows);
  }

  async errorSummary(): Promise<ErrorGroup[]> {
    return errorGroupsOf((await runStatement<Parameters<typeof errorGroupsOf>[0][number]>(this.db, "errorSummary", [])).rows);
  }

  async attempts(): Promise<AttemptSummary> {
    return attemptsOf((await runStatement<Parameters<typeof attemptsOf>[0]>(this.db, "attemptSummary", [])).rows[0]);
  }

  /** The process running the campaign, when one is (its connection's application name, `cje run host:pid`). */
  async runner(): Promise<string | null> {
    return (await lockHolders(this.db, CAMPAIGN_LOCK_CLASS, lockKeyOf(this.schema)))[0]?.name ?? null;
  }

  /** Runs `fn` in a transaction of its own (committed when it resolves, rolled back when it throws). */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    return withClient(this.pool, (client) => inTransaction(client, fn));
  }

  /**
   * Takes a session lock for this process on the store's database (see `takeSessionLock`); the connection
   * URL never leaves the store.
   */
  takeSessionLock(classId: number, objectId: number, role: string, onLost: (error: Error) => void): Promise<SessionLock | null> {
    return takeSessionLock(this.#url, classId, objectId, role, onLost);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.attemptWrites.flush(), this.outcomeWrites.flush()]);
    await this.lock?.release();
    await this.pool.end();
  }

  /** Keeps the campaign lock taken at opening until {@link close}. */
  holdLock(lock: SessionLock): void {
    this.lock = lock;
  }

  /** The campaign lock's connection died: another run could take over, so this one writes nothing more. */
  lockLost(error: Error): void {
    this.lost = new CjeInputError(`lost the campaign lock (${error.message}): stopped writing; run again to continue`, { file: this.location });
  }

  /** Queues a write for the next group commit; resolves once it is committed. */
  private enqueue<T>(queue: GroupCommit<PgWrite>, write: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    try {
      this.assertWritable();
    } catch (error) {
      return Promise.reject(error);
    }
    return queue.enqueue<T>(write);
  }

  /** One transaction for the batch; if a write fails, the others are committed one by one. */
  private async commitBatch(batch: readonly PgWrite[]): Promise<WriteResult[]> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const attempt = async (writes: readonly PgWrite[]): Promise<unknown[]> => {
      try {
        return await inTransaction(sqlRunner(client), async (tx) => {
          const values: unknown[] = [];
          for (const write of writes) values.push(await write(tx));
          return values;
        });
      } catch (error) {
        if (error instanceof BrokenConnectionError) broken = error;
        throw error;
      }
    };
    try {
      try {
        return (await attempt(batch)).map((value) => ({ ok: true, value }));
      } catch (error) {
        if (broken !== undefined) throw error;
        if (batch.length === 1) return [{ ok: false, error }];
      }
      const results: WriteResult[] = [];
      for (const write of batch) {
        try {
          results.push({ ok: true, value: (await attempt([write]))[0] });
        } catch (error) {
          if (broken !== undefined) throw error;
          results.push({ ok: false, error });
        }
      }
      return results;
    } finally {
      client.release(broken);
    }
  }

  private assertWritable(): void {
    if (this.lost !== null) throw this.lost;
    if (this.mode === "read") throw new Error("campaign store was opened read-only");
  }
}

/** Runs `fn` on one client of `pool`. */
async function withClient<T>(pool: pg.Pool, fn: (client: SqlRunner) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await fn(sqlRunner(client));
  } finally {
    client.release();
  }
}

/** An error of opening the store, as an input error naming the store (never its password). */
function storeError(error: unknown, url: string, location: string): unknown {
  if (error instanceof CjeInputError) return error;
  return new CjeInputError(`cannot open the PostgreSQL campaign store: ${withoutPassword(error instanceof Error ? error.message : String(error), url)}`, {
    file: location,
  });
}
