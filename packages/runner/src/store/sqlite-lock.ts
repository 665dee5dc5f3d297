/**
 * The campaign lock of a SQLite store: one process writes a store at a time, on any host.
 *
 * The lock is SQLite's own file lock, held on a companion file (`<store>.lock`, an empty SQLite database):
 * the writing process keeps a connection to it inside `BEGIN EXCLUSIVE` for as long as it runs. The
 * operating system releases that lock the moment the process ends — exits, crashes or is killed with
 * `kill -9` — so a dead run never blocks the next, and a live one can never be taken over: nothing judges
 * liveness by a process id or a host name (two containers sharing a volume have different host names and
 * may even reuse each other's process ids). Who holds the lock (process, host, since when) is recorded in
 * the store's metadata for messages only.
 *
 * The lock is as reliable as SQLite's locking of the store itself (WAL mode needs the same): a local file
 * system, or a volume several containers of one machine share. Network file systems are not supported.
 */
import { hostname } from "node:os";
import BetterSqlite3, { type Database } from "better-sqlite3";
import { CjeInputError } from "@cjeval/core";

/** How long taking the lock waits for a short-lived holder (another process's `cje status` probe). */
const LOCK_WAIT_MS = 2_000;

/** The lock file of the store at `file`. */
export function lockFileOf(file: string): string {
  return `${file}.lock`;
}

/**
 * This machine's name as recorded with the lock: `HOSTNAME` from the environment (containers set it;
 * tests set it to play two hosts), else the operating system's host name.
 */
export function storeHostName(): string {
  const fromEnv = process.env.HOSTNAME?.trim();
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : hostname();
}

/** A held campaign lock; {@link StoreLock.release} (or the process ending) gives it up. */
export class StoreLock {
  private constructor(private readonly db: Database) {}

  /**
   * Takes the lock of the store at `file`, or returns `null` when a live process holds it (waiting
   * {@link LOCK_WAIT_MS} for a momentary holder first).
   */
  static take(file: string): StoreLock | null {
    let db: Database;
    try {
      db = new BetterSqlite3(lockFileOf(file));
    } catch (error) {
      throw new CjeInputError(`cannot open the campaign lock file (${(error as Error).message})`, { file: lockFileOf(file) });
    }
    try {
      db.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
      db.exec("BEGIN EXCLUSIVE");
      return new StoreLock(db);
    } catch (error) {
      db.close();
      if (isBusy(error)) return null;
      throw error;
    }
  }

  /** Whether a live process holds the lock of the store at `file` (taking nothing). */
  static held(file: string): boolean {
    let db: Database;
    try {
      db = new BetterSqlite3(lockFileOf(file), { readonly: true, fileMustExist: true });
    } catch {
      return false; // no lock file: no run ever wrote this store with a lock
    }
    try {
      db.pragma("busy_timeout = 0");
      db.prepare("SELECT count(*) FROM sqlite_master").get(); // needs a shared lock, refused while the lock is held
      return false;
    } catch (error) {
      if (isBusy(error)) return true;
      throw error;
    } finally {
      db.close();
    }
  }

  /** Gives the lock up. */
  release(): void {
    if (!this.db.open) return;
    try {
      this.db.exec("ROLLBACK");
    } finally {
      this.db.close();
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}
