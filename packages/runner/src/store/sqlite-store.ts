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
import { hostname } from "node:os";
import path from "node:path";
import BetterSqlite3, { type Database, type Statement } from "better-sqlite3";
import { CjeInputError } from "@cjeval/core";
import type { ResponseCache } from "@cjeval/provider-utils";
import { migrate, SQLITE_MIGRATIONS, type Migration } from "./migrations.js";
import type {
  AttemptSummary,
  CampaignStore,
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
   * `write` (default) takes the campaign lock (one running process per store) and marks attempts left
   * open by a dead process as interrupted; `read` does neither (reports, inspection).
   */
  readonly mode?: "write" | "read";
  /** Schema history (tests pass their own to exercise upgrades). */
  readonly migrations?: readonly Migration[];
}

const LOCK_KEY = "lock";

interface UnitRow {
  key: string;
  stage: StageName;
  policy: string | null;
  prompt_id: string | null;
  status: "pending" | "done" | "failed";
  value: string | null;
  error: string | null;
  error_code: string | null;
  retryable: number | null;
}

interface QueuedWrite {
  readonly write: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Opens (creating and migrating as needed) the SQLite store at `file`. */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): SqliteCampaignStore {
  const mode = options.mode ?? "write";
  if (mode === "write") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: Database;
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
  const version = migrate(db, options.migrations ?? SQLITE_MIGRATIONS, file);
  return new SqliteCampaignStore(db, file, version, mode);
}

/** {@link CampaignStore} on one SQLite file. Create it with {@link openSqliteStore}. */
export class SqliteCampaignStore implements CampaignStore {
  readonly schemaVersion: number;
  readonly responseCache: ResponseCache;
  /** Path of the database file. */
  readonly file: string;
  private readonly db: Database;
  private readonly mode: "write" | "read";
  private readonly statements: Statements;
  private readonly commitBatch: (batch: readonly QueuedWrite[]) => Array<{ ok: boolean; value: unknown }>;
  /** Write statistics since the store was opened: commits, writes, and time spent writing and committing. */
  readonly writeStats = { commits: 0, writes: 0, commitMs: 0 };
  private queue: QueuedWrite[] = [];
  private flushScheduled = false;
  private closed = false;

  constructor(db: Database, file: string, schemaVersion: number, mode: "write" | "read") {
    this.db = db;
    this.file = file;
    this.schemaVersion = schemaVersion;
    this.mode = mode;
    const s = prepare(db);
    this.statements = s;
    const savepoint = db.transaction((write: () => unknown) => write());
    this.commitBatch = db.transaction((batch: readonly QueuedWrite[]) =>
      batch.map((item) => {
        try {
          return { ok: true, value: savepoint(item.write) };
        } catch (error) {
          return { ok: false, value: error };
        }
      }),
    );
    this.responseCache = {
      get: async (key) => {
        const row = s.cacheGet.get(key) as { value: string } | undefined;
        return row === undefined ? undefined : JSON.parse(row.value);
      },
      set: (key, value) => this.enqueue(() => void s.cacheSet.run(key, JSON.stringify(value), new Date().toISOString())),
    };
    if (mode === "write") this.takeLock();
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
      for (const u of units) insert.run(u.key, u.stage, u.policy, u.promptId, u.descriptor === undefined ? null : JSON.stringify(u.descriptor), now, now);
    })();
  }

  async unitStates(stage: StageName): Promise<UnitState[]> {
    return (this.statements.unitsOfStage.all(stage) as UnitRow[]).map((row) =>
      row.status === "failed" ? { key: row.key, status: row.status, failure: failureOf(row) } : { key: row.key, status: row.status },
    );
  }

  async beginAttempt(key: string): Promise<void> {
    this.assertWritable();
    const started = performance.now();
    try {
      if (this.statements.beginAttempt.run(new Date().toISOString(), key).changes !== 1) throw new Error(`unknown unit ${key}`);
    } finally {
      this.count(1, started);
    }
  }

  completeAttempt(key: string, outcome: UnitOutcome): Promise<void> {
    const u = outcome.usage;
    const value = JSON.stringify(outcome.value ?? null);
    return this.enqueue(() => {
      const now = new Date().toISOString();
      const changed = this.statements.markDone.run(value, u?.provider ?? null, u?.model ?? null, u?.inputTokens ?? 0, u?.outputTokens ?? 0, u?.cached ? 1 : 0, now, now, key);
      if (changed.changes !== 1) throw new Error(`unit ${key} has no attempt in flight`);
    });
  }

  failAttempt(key: string, failure: UnitFailure): Promise<void> {
    return this.enqueue(() => void this.statements.markFailed.run(failure.message, failure.code, failure.retryable ? 1 : 0, new Date().toISOString(), key));
  }

  async results(stage: StageName): Promise<StoredResult[]> {
    return (this.statements.resultsOfStage.all(stage) as UnitRow[]).map(
      (row) => ({ key: row.key, policy: row.policy, promptId: row.prompt_id, value: JSON.parse(row.value as string) }),
    );
  }

  async failures(stage?: StageName): Promise<FailedUnit[]> {
    const rows = (stage === undefined ? this.statements.allFailures.all() : this.statements.failuresOfStage.all(stage)) as UnitRow[];
    return rows.map((row) => ({ key: row.key, stage: row.stage, policy: row.policy, promptId: row.prompt_id, failure: failureOf(row) }));
  }

  async stageCounts(): Promise<StageCounts[]> {
    const rows = this.statements.stageCounts.all() as Array<{ stage: StageName; done: number; failed: number; pending: number }>;
    return rows.map((r) => ({ stage: r.stage, done: r.done, failed: r.failed, pending: r.pending }));
  }

  async usage(): Promise<UsageSummary[]> {
    return (
      this.statements.usage.all() as Array<{ provider: string; model: string; calls: number; cached_calls: number; input_tokens: number; output_tokens: number }>
    ).map((r) => ({ provider: r.provider, model: r.model, calls: r.calls, cachedCalls: r.cached_calls, inputTokens: r.input_tokens, outputTokens: r.output_tokens }));
  }

  async attempts(): Promise<AttemptSummary> {
    const row = this.statements.attemptSummary.get() as { attempts: number | null; failed: number | null; interrupted: number | null };
    return { attempts: row.attempts ?? 0, failedAttempts: row.failed ?? 0, interrupted: row.interrupted ?? 0 };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.mode === "write") {
      this.flush();
      this.statements.deleteMeta.run(LOCK_KEY);
    }
    this.db.close();
  }

  /** One process writes a store at a time; a lock left by a dead process is taken over. */
  private takeLock(): void {
    const host = hostname();
    this.db.transaction(() => {
      const held = this.statements.getMeta.get(LOCK_KEY) as { value: string } | undefined;
      if (held !== undefined) {
        const lock = JSON.parse(held.value) as { pid: number; host: string };
        if (lock.host === host && lock.pid !== process.pid && processAlive(lock.pid)) {
          throw new CjeInputError(`campaign store is in use by process ${lock.pid}; wait for it or stop it`, { file: this.file });
        }
      }
      this.statements.setMeta.run(LOCK_KEY, JSON.stringify({ pid: process.pid, host, since: new Date().toISOString() }));
      this.statements.interruptOpenAttempts.run();
    }).immediate();
  }

  /** Queues a write for the next group commit; resolves once it is committed. */
  private enqueue<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.assertWritable();
      this.queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits every queued write in one transaction, then settles their promises. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    let outcomes: Array<{ ok: boolean; value: unknown }>;
    const started = performance.now();
    try {
      outcomes = this.commitBatch(batch);
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    } finally {
      this.count(batch.length, started);
    }
    outcomes.forEach((outcome, i) => (outcome.ok ? batch[i].resolve(outcome.value) : batch[i].reject(outcome.value)));
  }

  private count(writes: number, started: number): void {
    this.writeStats.commits++;
    this.writeStats.writes += writes;
    this.writeStats.commitMs += performance.now() - started;
  }

  private assertWritable(): void {
    if (this.mode !== "write") throw new Error("campaign store was opened read-only");
  }
}

function failureOf(row: UnitRow): UnitFailure {
  return { message: row.error ?? "", code: row.error_code ?? "error", retryable: row.retryable === 1 };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const SQL = {
  getMeta: "SELECT value FROM meta WHERE key = ?",
  setMeta: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  deleteMeta: "DELETE FROM meta WHERE key = ?",
  insertUnit:
    "INSERT INTO units (key, stage, policy, prompt_id, descriptor, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
  unitsOfStage: "SELECT key, stage, policy, prompt_id, status, error, error_code, retryable FROM units WHERE stage = ?",
  beginAttempt: "UPDATE units SET attempts = attempts + 1, in_flight = 1, updated_at = ? WHERE key = ?",
  markDone:
    "UPDATE units SET status = 'done', value = ?, provider = ?, model = ?, input_tokens = ?, output_tokens = ?, cached = ?, in_flight = 0, error = NULL, error_code = NULL, retryable = NULL, updated_at = ?, completed_at = ? WHERE key = ? AND in_flight = 1 AND status <> 'done'",
  markFailed:
    "UPDATE units SET status = 'failed', failed_attempts = failed_attempts + 1, in_flight = 0, error = ?, error_code = ?, retryable = ?, updated_at = ? WHERE key = ?",
  interruptOpenAttempts: "UPDATE units SET interrupted_attempts = interrupted_attempts + 1, in_flight = 0 WHERE in_flight = 1",
  resultsOfStage: "SELECT key, policy, prompt_id, value FROM units WHERE stage = ? AND status = 'done' ORDER BY rowid",
  failuresOfStage: "SELECT * FROM units WHERE status = 'failed' AND stage = ? ORDER BY rowid",
  allFailures: "SELECT * FROM units WHERE status = 'failed' ORDER BY rowid",
  stageCounts:
    "SELECT stage, SUM(status = 'done') AS done, SUM(status = 'failed') AS failed, SUM(status = 'pending') AS pending FROM units GROUP BY stage ORDER BY MIN(rowid)",
  usage:
    "SELECT provider, model, SUM(cached = 0) AS calls, SUM(cached = 1) AS cached_calls, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens FROM units WHERE status = 'done' AND provider IS NOT NULL GROUP BY provider, model ORDER BY MIN(rowid)",
  attemptSummary:
    "SELECT SUM(attempts) AS attempts, SUM(failed_attempts) AS failed, SUM(interrupted_attempts) AS interrupted FROM units",
  cacheGet: "SELECT value FROM response_cache WHERE key = ?",
  cacheSet: "INSERT INTO response_cache (key, value, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
} as const;

type Statements = Record<keyof typeof SQL, Statement>;

function prepare(db: Database): Statements {
  return Object.fromEntries(Object.entries(SQL).map(([name, text]) => [name, db.prepare(text)])) as Statements;
}
