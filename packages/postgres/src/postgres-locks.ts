/**
 * Session advisory locks of the PostgreSQL store: the campaign lock of the process running a campaign and
 * the presence of each worker (its keys are the queue's). A lock is held by a connection of its own for as long as the process lives;
 * PostgreSQL releases it the moment that connection closes, so a killed process never leaves a stale lock
 * and "the holder is alive" is exactly "the lock is held". Holders are named by their connection's
 * `application_name` (`cje run host:pid`, `cje worker host:pid`), which `cje status` shows.
 */
import { hostname } from "node:os";
import pg from "pg";
import type { SqlRunner } from "./postgres-sql.js";

/** First key of the campaign lock (one coordinating process per campaign); the second is the campaign's. */
export const CAMPAIGN_LOCK_CLASS = 0x434a4501;
/** First key of the lock that serialises schema migrations of a campaign. */
export const MIGRATION_LOCK_CLASS = 0x434a4503;

/** A held session lock. */
export interface SessionLock {
  /** Releases the lock by closing its connection. */
  release(): Promise<void>;
}

/** The application name this process gives its connections for `role` (`run`, `worker`, …). */
export function applicationName(role: string): string {
  return `cje ${role} ${hostname()}:${process.pid}`.slice(0, 63);
}

/**
 * Takes the session lock `(classId, objectId)` on a connection of its own; resolves to `null` when another
 * session holds it. `onLost` is called if the connection (and so the lock) is lost while held.
 */
export async function takeSessionLock(
  url: string,
  classId: number,
  objectId: number,
  role: string,
  onLost: (error: Error) => void,
): Promise<SessionLock | null> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName(role) });
  let locked = false;
  try {
    await client.connect();
    locked = (await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS locked", [classId, objectId])).rows[0].locked;
  } finally {
    if (!locked) await client.end().catch(() => undefined);
  }
  if (!locked) return null;
  let released = false;
  client.on("error", (error) => {
    if (!released) onLost(error);
  });
  return {
    async release() {
      if (released) return;
      released = true;
      await client.end();
    },
  };
}

/**
 * Application names of the sessions holding a lock of `classId` in this database (of `objectId` only, when
 * given), with the lock's second key.
 */
export async function lockHolders(db: SqlRunner, classId: number, objectId?: number): Promise<Array<{ id: number; name: string }>> {
  const { rows } = await db.query<{ id: string; name: string | null }>(
    `SELECT l.objid::bigint AS id, a.application_name AS name
       FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid = $1::bigint::oid
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND ($2::bigint IS NULL OR l.objid = $2::bigint::oid)
      ORDER BY a.backend_start`,
    [classId, objectId ?? null],
  );
  return rows.map((r) => ({ id: Number(r.id), name: r.name ?? "(unknown)" }));
}

/** A 31-bit key for a lock, from a text (the campaign schema's name). */
export function lockKeyOf(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return (h >>> 0) & 0x7fffffff;
}
