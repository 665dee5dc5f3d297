/**
 * Token buckets in PostgreSQL: request-rate limits that every process of a database shares, one bucket per
 * provider key (`cje.rate_buckets`, outside any campaign's schema, so campaigns using the same key share it
 * too). A bucket holds `tokens`, refilled at its rate up to its capacity (`burst`) since `refilled_at`; time
 * is the database server's clock, so processes on machines whose clocks disagree still agree on the rate.
 * `taken` counts the tokens ever taken (the calls made under the limit).
 *
 * Taking `n` tokens is one statement (an upsert that refills and subtracts under the row's lock) and never
 * waits in the database: the balance may go negative, and the caller waits until the tokens it took are
 * refilled. So the calls of all processes are spaced at the bucket's rate in the order they asked, after at
 * most `burst` at once from a full bucket. Tokens taken by a process that dies before its call are not given
 * back (the shared rate only gets slower for a moment).
 */
import type { SqlRunner } from "./postgres-sql.js";
import type { PostgresCampaignStore } from "./postgres-store.js";

/** The schema of tables shared by every campaign of a database (campaign schemas are all `cje_…`). */
export const SHARED_SCHEMA = "cje";

/** The table of rate buckets. */
export const RATE_BUCKETS_TABLE = `${SHARED_SCHEMA}.rate_buckets`;

/** A request for tokens of one bucket. */
export interface TokenRequest {
  /** The bucket's identity (a hash: never a secret in clear). */
  readonly bucket: string;
  /** What the bucket is for, for people reading the table (never a secret). */
  readonly label: string;
  readonly requestsPerMinute: number;
  /** Capacity of the bucket: calls that may start at once after a pause. */
  readonly burst: number;
  /** How many tokens to take. */
  readonly count: number;
}

/** Tokens taken: when, and how long to wait before using each. */
export interface TakenTokens {
  /** When they were taken, by the database's clock (ms since the epoch). */
  readonly atMs: number;
  /** The wait before each token may be used, in order, in ms from `atMs`: 0 for tokens the bucket held, then one refill interval more each. */
  readonly waitsMs: number[];
}

/** SQLSTATEs of a concurrent creation of the same schema or table (unique violation in the catalog, duplicate schema, duplicate table). */
const CREATED_CONCURRENTLY = new Set(["23505", "42P06", "42P07"]);

/**
 * Creates the shared schema and the bucket table if they are missing. Processes starting together may both
 * try: the one that loses gets a duplicate error, and finds the table in a new transaction (within the
 * failed one, the catalog may not show it yet).
 */
export async function ensureRateBuckets(store: Pick<PostgresCampaignStore, "db" | "transaction">): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if ((await store.db.query<{ table: string | null }>("SELECT to_regclass($1) AS table", [RATE_BUCKETS_TABLE])).rows[0].table !== null) return;
    try {
      await store.transaction(async (tx) => {
        await tx.query(`CREATE SCHEMA IF NOT EXISTS ${SHARED_SCHEMA}`);
        await tx.query(`
          CREATE TABLE IF NOT EXISTS ${RATE_BUCKETS_TABLE} (
            bucket TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            requests_per_minute DOUBLE PRECISION NOT NULL,
            tokens DOUBLE PRECISION NOT NULL,
            refilled_at TIMESTAMPTZ NOT NULL,
            taken BIGINT NOT NULL
          )`);
      });
      return;
    } catch (error) {
      if (attempt >= 3 || !CREATED_CONCURRENTLY.has(String((error as { code?: unknown }).code))) throw error;
    }
  }
}

/**
 * Takes `request.count` tokens (see the module comment). The bucket refills at the rate of the process
 * taking tokens; a new bucket starts full.
 */
export async function takeTokens(db: SqlRunner, request: TokenRequest): Promise<TakenTokens> {
  const { rows } = await db.query<{ available: number; at_ms: number }>(
    `INSERT INTO ${RATE_BUCKETS_TABLE} AS b (bucket, label, requests_per_minute, tokens, refilled_at, taken)
     VALUES ($1, $2, $3::float8, $4::float8 - $5::float8, clock_timestamp(), $5::bigint)
     ON CONFLICT (bucket) DO UPDATE SET
       label = EXCLUDED.label,
       requests_per_minute = EXCLUDED.requests_per_minute,
       tokens = LEAST($4::float8, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - b.refilled_at))::float8 * $3::float8 / 60) - $5::float8,
       refilled_at = GREATEST(b.refilled_at, clock_timestamp()),
       taken = b.taken + $5::bigint
     RETURNING tokens + $5::float8 AS available, EXTRACT(EPOCH FROM refilled_at)::float8 * 1000 AS at_ms`,
    [request.bucket, request.label, request.requestsPerMinute, request.burst, request.count],
    "cje_takeTokens",
  );
  return { atMs: Number(rows[0].at_ms), waitsMs: tokenWaits(Number(rows[0].available), request.count, request.requestsPerMinute) };
}

/** Waits in ms of `count` tokens taken from a bucket holding `available` (possibly negative) at `requestsPerMinute`. */
export function tokenWaits(available: number, count: number, requestsPerMinute: number): number[] {
  const msPerToken = 60_000 / requestsPerMinute;
  return Array.from({ length: count }, (_, i) => Math.max(0, (i + 1 - available) * msPerToken));
}
