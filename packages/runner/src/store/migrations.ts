/**
 * Schema versions of the SQLite campaign store. The version lives in `PRAGMA user_version`; opening a
 * store applies every migration above it, each in its own transaction, so a store written by an older
 * runner is upgraded in place and a crash mid-upgrade leaves the previous version intact.
 */
import type { Database } from "better-sqlite3";
import { CjeInputError } from "@cjeval/core";

/** One schema step. */
export interface Migration {
  /** The schema version after this step (1, 2, …, consecutive). */
  readonly version: number;
  readonly description: string;
  /** SQL applied in a transaction. */
  readonly sql: string;
}

/** The store's schema history; append a step to change the schema, never edit a released one. */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "units with their results and attempt counters, response cache, metadata",
    // One row per unit, result included: a call costs two small commits (attempt begun, result stored)
    // that each touch one table page, which keeps the store's share of a call's time small.
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE units (
        key TEXT PRIMARY KEY,
        stage TEXT NOT NULL,
        policy TEXT,
        prompt_id TEXT,
        descriptor TEXT,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
        value TEXT,
        provider TEXT,
        model TEXT,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cached INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        interrupted_attempts INTEGER NOT NULL DEFAULT 0,
        in_flight INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        error_code TEXT,
        retryable INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        completed_at TEXT
      );
      CREATE INDEX units_by_stage ON units (stage);
      CREATE TABLE response_cache (key TEXT PRIMARY KEY, value TEXT NOT NULL, created_at TEXT NOT NULL);
    `,
  },
];

/** The schema version a database is at (0 for a new file). */
export function schemaVersion(db: Database): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/**
 * Brings `db` up to the last version of `migrations`; returns the resulting version. A database from a
 * newer runner (a version above the last known one) is refused rather than misread.
 */
export function migrate(db: Database, migrations: readonly Migration[], file: string): number {
  const target = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  const current = schemaVersion(db);
  if (current > target) {
    throw new CjeInputError(`campaign store has schema version ${current}, newer than this runner's ${target}: upgrade @cjeval/runner`, { file });
  }
  migrations.forEach((step, index) => {
    if (step.version !== index + 1) throw new Error(`migration ${index} declares version ${step.version}; versions must be 1, 2, …`);
    if (step.version <= current) return;
    db.transaction(() => {
      db.exec(step.sql);
      db.pragma(`user_version = ${step.version}`);
    })();
  });
  return Math.max(current, target);
}
