/**
 * The SQLite campaign store (better-sqlite3): one file per campaign, WAL journal, one transaction per
 * result. `synchronous = NORMAL` in WAL mode makes every committed transaction survive a killed process
 * (`kill -9`); only a power loss can drop the last commits, which a resumed run simply redoes.
 *
 * An attempt is committed at once, before its call is sent. Results and failures use a group commit: those
 * issued in the same turn of the event loop share one transaction (each in its own savepoint, so one
 * failing write does not undo the others), and their promises resolve only after it commits. A result is
 * therefore stored within the turn it arrived in, and a caller that awaited a write knows it is durable.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import BetterSqlite3, { type Database, type Statement } from "better-sqlite3";
import { CjeInputError } from "@cjeval/core";
import { terminalLine, type ResponseCache } from "@cjeval/provider-utils";
import { GroupCommit, type WriteResult, type WriteStats } from "./group-commit.js";
import { migrationSql, pendingMigrations, STORE_MIGRATIONS, type Migration } from "./migrations.js";
import {
  attemptsOf,
  errorGroupsOf,
  failedUnitOf,
  insertUnitParams,
  markDoneParams,
  markFailedParams,
  stageActivityOf,
  stageCountsOf,
  storedResultOf,
  unitStateOf,
  usageOf,
  type UnitRow,
} from "./rows.js";
import { StoreLock, storeHostName } from "./sqlite-lock.js";
import { STORE_SQL, type StatementName } from "./sql.js";
import type {
  AttemptSummary,
  CampaignStore,
  ErrorGroup,
  StageActivity,
  FailedUnit,
  StageCounts,
  StageName,
  StoredResult,
  UnitFailure,
  UnitOutcome,
  UnitSpec,
  UnitState,
  UsageSummary,
} from "./store.js";

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * `write` (default) takes the campaign lock (one running process per store, on any host: see
   * `sqlite-lock.ts`) and marks attempts left open by a dead process as interrupted; `read` does neither
   * (reports, inspection).
   */
  readonly mode?: "write" | "read";
  /** The host name recorded with the lock, for messages (default: `HOSTNAME`, else the system's). */
  readonly host?: string;
  /** Schema history (tests pass their own to exercise upgrades). */
  readonly migrations?: readonly Migration[];
}

/**
 * Store metadata key of the campaign lock's holder: `{ pid, host, since }` of the process writing the store.
 * Informative only: the lock itself is the file lock of `sqlite-lock.ts`.
 */
export const SQLITE_LOCK_META = "lock";

/** Opens (creating and migrating as needed) the SQLite store at `file`. */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): SqliteCampaignStore {
  const mode = options.mode ?? "write";
  let lock: StoreLock | null = null;
  if (mode === "write") {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    lock = StoreLock.take(file);
    if (lock === null)
      throw new CjeInputError(`campaign store is in use by ${holderOf(file) ?? "another process"}; wait for it to finish or stop it`, { file });
  }
  let db: Database | undefined;
  try {
    try {
      db = new BetterSqlite3(file, { fileMustExist: mode === "read" });
    } catch (error) {
      throw new CjeInputError(`cannot open campaign store (${(error as Error).message})`, { file });
    }
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    db.pragma("wal_autocheckpoint = 10000");
    const version = migrate(db, options.migrations ?? STORE_MIGRATIONS, file);
    return new SqliteCampaignStore(db, file, version, mode, lock, options.host ?? storeHostName());
  } catch (error) {
    db?.close();
    lock?.release();
    throw error;
  }
}

/** `process <pid> on <host> since <time>`, as the lock's holder recorded it in the store. */
function holderOf(file: string): string | null {
  try {
    const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      db.pragma("busy_timeout = 1000");
      const row = db.prepare("SELECT value FROM meta WHERE key = ?").get(SQLITE_LOCK_META) as { value: string } | undefined;
      return row === undefined ? null : describeHolder(row.value);
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

function describeHolder(value: string): string {
  const lock = JSON.parse(value) as { pid?: unknown; host?: unknown; since?: unknown };
  const text = `process ${String(lock.pid)} on ${String(lock.host)}${typeof lock.since === "string" ? ` since ${lock.since}` : ""}`;
  return terminalLine(text);
}

/** {@link CampaignStore} on one SQLite file. Create it with {@link openSqliteStore}. */
export class SqliteCampaignStore implements CampaignStore {
  readonly schemaVersion: number;
  readonly responseCache: ResponseCache;
  /** Path of the database file. */
  readonly file: string;
  /** The store for messages (its file). */
  readonly location: string;
  /** Write statistics since the store was opened: commits, writes, and time spent writing and committing. */
  readonly writeStats: WriteStats;
  private readonly db: Database;
  private readonly mode: "write" | "read";
  private readonly statements: Statements;
  private readonly commits: GroupCommit<() => unknown>;
  private readonly lock: StoreLock | null;
  private closed = false;

  /** Use {@link openSqliteStore}: a `write` store needs the campaign lock taken. */
  constructor(db: Database, file: string, schemaVersion: number, mode: "write" | "read", lock: StoreLock | null = null, host: string = storeHostName()) {
    this.db = db;
    this.file = file;
    this.location = file;
    this.schemaVersion = schemaVersion;
    this.mode = mode;
    const s = prepare(db);
    this.statements = s;
    const savepoint = db.transaction((write: () => unknown) => write());
    const commitBatch = db.transaction((batch: ReadonlyArray<() => unknown>) =>
      batch.map((write): WriteResult => {
        try {
          return { ok: true, value: savepoint(write) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
    this.commits = new GroupCommit(commitBatch);
    this.writeStats = this.commits.stats;
    this.responseCache = {
      get: async (key) => {
        const row = s.cacheGet.get(key) as { value: string } | undefined;
        return row === undefined ? undefined : JSON.parse(row.value);
      },
      set: (key, value) => this.enqueue(() => void s.cacheSet.run(key, JSON.stringify(value), new Date().toISOString())),
    };
    this.lock = lock;
    if (mode === "write") {
      if (lock === null) throw new Error("a SQLite store opened for writing needs the campaign lock (use openSqliteStore)");
      this.recordHolder(host);
    }
  }

  async getMeta(key: string): Promise<string | undefined> {
    return (this.statements.getMeta.get(key) as { value: string } | undefined)?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.assertWritable();
    this.statements.setMeta.run(key, value);
  }

  async registerUnits(units: readonly UnitSpec[]): Promise<void> {
    this.assertWritable();
    const now = new Date().toISOString();
    const insert = this.statements.insertUnit;
    this.db.transaction(() => {
      for (const u of units) insert.run(...insertUnitParams(u, now));
    })();
  }

  async unitStates(stage: StageName): Promise<UnitState[]> {
    return (this.statements.unitsOfStage.all(stage) as UnitRow[]).map(unitStateOf);
  }

  async beginAttempt(key: string): Promise<void> {
    this.assertWritable();
    const started = performance.now();
    try {
      if (this.statements.beginAttempt.run(new Date().toISOString(), key).changes !== 1) throw new Error(`unknown or completed unit ${key}`);
    } finally {
      this.commits.record(1, started);
    }
  }

  completeAttempt(key: string, outcome: UnitOutcome): Promise<void> {
    return this.enqueue(() => {
      const changed = this.statements.markDone.run(...markDoneParams(key, outcome, new Date().toISOString()));
      if (changed.changes !== 1) throw new Error(`unit ${key} has no attempt in flight`);
    });
  }

  failAttempt(key: string, failure: UnitFailure): Promise<void> {
    return this.enqueue(() => void this.statements.markFailed.run(...markFailedParams(key, failure, new Date().toISOString())));
  }

  async results(stage: StageName): Promise<StoredResult[]> {
    return (this.statements.resultsOfStage.all(stage) as UnitRow[]).map(storedResultOf);
  }

  async failures(stage?: StageName): Promise<FailedUnit[]> {
    const rows = (stage === undefined ? this.statements.allFailures.all() : this.statements.failuresOfStage.all(stage)) as UnitRow[];
    return rows.map(failedUnitOf);
  }

  async stageCounts(): Promise<StageCounts[]> {
    return stageCountsOf(this.statements.stageCounts.all() as Parameters<typeof stageCountsOf>[0]);
  }

  async usage(): Promise<UsageSummary[]> {
    return usageOf(this.statements.usage.all() as Parameters<typeof usageOf>[0]);
  }

  async stageActivity(since: Date): Promise<StageActivity[]> {
    return stageActivityOf(this.statements.stageActivity.all(since.toISOString()) as Parameters<typeof stageActivityOf>[0]);
  }

  async errorSummary(): Promise<ErrorGroup[]> {
    return errorGroupsOf(this.statements.errorSummary.all() as Parameters<typeof errorGroupsOf>[0]);
  }

  async attempts(): Promise<AttemptSummary> {
    return attemptsOf(this.statements.attemptSummary.get() as Parameters<typeof attemptsOf>[0]);
  }

  /** The process writing the store, when one is alive (`process <pid> on <host> since <time>`). */
  async runner(): Promise<string | null> {
    if (this.mode === "read" && !StoreLock.held(this.file)) return null;
    const held = await this.getMeta(SQLITE_LOCK_META);
    return held === undefined ? (this.mode === "read" ? "another process" : null) : describeHolder(held);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.mode === "write") {
      try {
        await this.commits.flush();
        this.statements.deleteMeta.run(SQLITE_LOCK_META);
      } finally {
        this.db.close();
        this.lock?.release();
      }
      return;
    }
    this.db.close();
  }

  /**
   * Records who holds the campaign lock (taken by {@link openSqliteStore}) and marks the attempts a dead
   * holder left open as interrupted.
   */
  private recordHolder(host: string): void {
    this.db
      .transaction(() => {
        this.statements.setMeta.run(SQLITE_LOCK_META, JSON.stringify({ pid: process.pid, host, since: new Date().toISOString() }));
        this.statements.interruptOpenAttempts.run();
      })
      .immediate();
  }

  /** Queues a write for the next group commit; resolves once it is committed. */
  private enqueue<T>(write: () => T): Promise<T> {
    try {
      this.assertWritable();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.commits.enqueue<T>(write);
  }

  private assertWritable(): void {
    if (this.mode !== "write") throw new Error("campaign store was opened read-only");
  }
}

type Statements = Record<StatementName, Statement>;

function prepare(db: Database): Statements {
  return Object.fromEntries(Object.entries(STORE_SQL).map(([name, text]) => [name, db.prepare(text)])) as Statements;
}

/** The schema version a SQLite database is at (0 for a new file). */
export function schemaVersion(db: Database): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/** Brings a SQLite database up to the last version of `migrations`; returns the resulting version. */
export function migrate(db: Database, migrations: readonly Migration[], file: string): number {
  const { steps, target } = pendingMigrations(schemaVersion(db), migrations, file);
  for (const step of steps) {
    db.transaction(() => {
      db.exec(migrationSql(step, "sqlite"));
      db.pragma(`user_version = ${step.version}`);
    })();
  }
  return target;
}
