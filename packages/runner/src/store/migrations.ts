/**
 * Schema versions of the campaign store — one history for both backends. SQLite keeps the version in
 * `PRAGMA user_version`, PostgreSQL in the campaign schema's `store_version` table; opening a store applies
 * every step above it, each in its own transaction, so a store written by an older runner is upgraded in
 * place, a crash mid-upgrade leaves the previous version intact, and a store from a newer runner is refused.
 */
import { CjeInputError } from "@cjeval/core";

/** One schema step. */
export interface Migration {
  /** The schema version after this step (1, 2, …, consecutive). */
  readonly version: number;
  readonly description: string;
  /** SQL applied in a transaction (by both backends unless `postgres` is given). */
  readonly sql: string;
  /** PostgreSQL's SQL for the step, where the dialects differ. */
  readonly postgres?: string;
}

/** The store backends. */
export type StoreDialect = "sqlite" | "postgres";

/** The tables of version 1; `rowid` is SQLite's implicit row id and a PostgreSQL identity column. */
function versionOne(rowid: string): string {
  // One row per unit, result included: a call costs two small commits (attempt begun, result stored)
  // that each touch one row, which keeps the store's share of a call's time small.
  return `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE units (${rowid}
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
    `;
}

/** The store's schema history; append a step to change the schema, never edit a released one. */
export const STORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "units with their results and attempt counters, response cache, metadata",
    sql: versionOne(""),
    postgres: versionOne("\n        rowid BIGINT GENERATED ALWAYS AS IDENTITY,"),
  },
  {
    version: 2,
    description: "job leases: which worker holds which queued unit (distributed runs; nothing for SQLite)",
    sql: "",
    postgres: `
      CREATE TABLE job_leases (
        job_id TEXT PRIMARY KEY,
        queue TEXT NOT NULL,
        unit_key TEXT NOT NULL,
        worker INTEGER NOT NULL,
        leased_at TEXT NOT NULL
      );
      CREATE INDEX job_leases_by_worker ON job_leases (worker);
    `,
  },
];

/** The SQL of `step` for `dialect`. */
export function migrationSql(step: Migration, dialect: StoreDialect): string {
  return dialect === "postgres" ? (step.postgres ?? step.sql) : step.sql;
}

/**
 * The steps that bring a store at version `current` to the last version of `migrations`, and that version.
 * A store from a newer runner (a version above the last known one) is refused rather than misread;
 * `source` names the store in that error.
 */
export function pendingMigrations(current: number, migrations: readonly Migration[], source: string): { steps: Migration[]; target: number } {
  migrations.forEach((step, index) => {
    if (step.version !== index + 1) throw new Error(`migration ${index} declares version ${step.version}; versions must be 1, 2, …`);
  });
  const target = migrations.length;
  if (current > target) {
    throw new CjeInputError(`campaign store has schema version ${current}, newer than this runner's ${target}: upgrade @cjeval/runner`, { file: source });
  }
  return { steps: migrations.filter((step) => step.version > current), target };
}
