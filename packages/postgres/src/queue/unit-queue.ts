/**
 * The queue of a distributed campaign: pg-boss 10 queues in the campaign's PostgreSQL database, one per
 * provider (`cje/<schema>/<provider>`, so a worker takes only as many units of a provider as its
 * concurrency allows), holding one job per unit to call: `{ stage, key, campaign }`. pg-boss shares the
 * store's connection pool, so its statements can join the store's transactions.
 *
 * Taking jobs records a lease (job, unit, worker) in the same transaction. Each worker is present through a
 * session advisory lock; when its process dies PostgreSQL drops the lock, and {@link UnitQueue.reap} hands
 * the dead worker's jobs out again at once (pg-boss's own expiry, `expireInSeconds`, only covers a worker
 * that hangs while alive). A unit's result, its job's completion and the lease's removal are committed in
 * one transaction ({@link UnitQueue.settle}).
 */
import { randomInt } from "node:crypto";
import PgBoss from "pg-boss";
import type { StageName } from "@cjeval/runner/store";
import { lockHolders, lockKeyOf, MIGRATION_LOCK_CLASS, type SessionLock } from "../postgres-locks.js";
import type { Finisher, SqlRunner } from "../postgres-sql.js";
import type { PostgresCampaignStore, TransactionHook } from "../postgres-store.js";

/** The schema of pg-boss's tables (shared by every campaign of a database). */
export const PGBOSS_SCHEMA = "pgboss";

/** What a job carries. */
export interface UnitJobData {
  readonly stage: StageName;
  /** The unit's idempotency key. */
  readonly key: string;
  /** Fingerprint of the campaign definition of the run that queued the unit. */
  readonly campaign: string;
}

/** A job a worker took. */
export interface ClaimedUnit extends UnitJobData {
  /** pg-boss job id. */
  readonly id: string;
  readonly queue: string;
  /** The provider whose queue it came from. */
  readonly provider: string;
}

/** Options of {@link UnitQueue.open}. */
export interface UnitQueueOptions {
  /** Who this process is, in `cje status` (`run`, `worker`). */
  readonly role: string;
  /** Whether this process takes jobs (default true): only then is it present as a worker. */
  readonly takesJobs?: boolean;
  /** Seconds a job may stay taken before pg-boss hands it out again (default 900). */
  readonly expireInSeconds?: number;
  /** Times a job is handed out again after its worker died (default 5). */
  readonly retryLimit?: number;
  /** Called with pg-boss's background errors. */
  readonly onProblem?: (message: string) => void;
}

/** Queued and taken jobs of a campaign. */
export interface QueueCounts {
  readonly queued: number;
  readonly active: number;
}

/** Jobs inserted per statement. */
const INSERT_CHUNK = 1000;

/** The first key of the presence locks of a campaign's workers (the second is the worker's id). */
export function workerLockClass(schema: string): number {
  return lockKeyOf(`workers:${schema}`);
}

/** The pg-boss queue of `provider` in the campaign with store schema `schema`. */
export function queueName(schema: string, provider: string): string {
  return `cje/${schema}/${provider}`;
}

/** A pg-boss job operation on a list of ids (pg-boss 10 takes `(name, ids, data, options)` at run time; its typings omit `data` for lists). */
function byIds(
  operation: PgBoss["complete"] | PgBoss["fail"],
): (name: string, ids: string[], data: object, options: PgBoss.ConnectionOptions) => Promise<void> {
  return operation as unknown as (name: string, ids: string[], data: object, options: PgBoss.ConnectionOptions) => Promise<void>;
}

/** pg-boss's view of a SQL runner (a pool, or a transaction's client). */
function bossDb(db: SqlRunner): PgBoss.Db {
  return { executeSql: (text, values) => db.query(text, values) };
}

/** A campaign's unit queue; see the module comment. */
export class UnitQueue {
  /** This process's worker id (the second key of its presence lock; 0 when it takes no jobs). */
  readonly workerId: number;
  private readonly boss: PgBoss;
  private readonly store: PostgresCampaignStore;
  private readonly presence: SessionLock | null;
  private readonly jobOptions: { readonly retryLimit: number; readonly retryDelay: number; readonly expireInSeconds: number };

  private constructor(store: PostgresCampaignStore, boss: PgBoss, presence: SessionLock | null, workerId: number, options: UnitQueueOptions) {
    this.store = store;
    this.boss = boss;
    this.presence = presence;
    this.workerId = workerId;
    this.jobOptions = { retryLimit: options.retryLimit ?? 5, retryDelay: 1, expireInSeconds: options.expireInSeconds ?? 900 };
  }

  /** Starts pg-boss on the store's pool (installing its schema if needed) and makes this process present if it takes jobs. */
  static async open(store: PostgresCampaignStore, options: UnitQueueOptions): Promise<UnitQueue> {
    const boss = new PgBoss({ db: bossDb(store.db), schema: PGBOSS_SCHEMA, schedule: false, supervise: true, migrate: true });
    boss.on("error", (error) => options.onProblem?.(`queue: ${error.message}`));
    // pg-boss installs its schema without guarding against a concurrent first install: one process at a time.
    await store.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1, $2)", [MIGRATION_LOCK_CLASS, lockKeyOf(PGBOSS_SCHEMA)]);
      await boss.start();
    });
    if (options.takesJobs === false) return new UnitQueue(store, boss, null, 0, options);
    const lockClass = workerLockClass(store.schema);
    for (;;) {
      const workerId = randomInt(1, 2 ** 31 - 1);
      const presence = await store.takeSessionLock(lockClass, workerId, options.role, (error) => options.onProblem?.(`queue presence lost: ${error.message}`));
      if (presence !== null) return new UnitQueue(store, boss, presence, workerId, options);
    }
  }

  /** The queue name of `provider`. */
  nameOf(provider: string): string {
    return queueName(this.store.schema, provider);
  }

  /**
   * Creates the providers' queues that do not exist yet (one process at a time: concurrent creations
   * deadlock), each with an index in the order pg-boss takes jobs in: pg-boss 10 indexes waiting jobs by
   * start time only, so each take would sort every waiting job of the queue, and a stage of 10^5 units would
   * spend most of its database time there; with this index a take reads just the jobs it takes.
   */
  async ensureQueues(providers: Iterable<string>): Promise<void> {
    const { retryLimit, retryDelay, expireInSeconds } = this.jobOptions;
    await this.store.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1, $2)", [MIGRATION_LOCK_CLASS, lockKeyOf(PGBOSS_SCHEMA)]);
      for (const provider of providers) {
        const name = this.nameOf(provider);
        if ((await this.boss.getQueue(name)) === null) await this.boss.createQueue(name, { name, policy: "standard", retryLimit, retryDelay, expireInSeconds });
        const { partition, indexed } = (
          await tx.query<{ partition: string; indexed: string | null }>(
            `SELECT partition_name AS partition, to_regclass(format('%I.%I', $2::text, partition_name || '_cje')) AS indexed FROM ${PGBOSS_SCHEMA}.queue WHERE name = $1`,
            [name, PGBOSS_SCHEMA],
          )
        ).rows[0];
        // Checked first: even `CREATE INDEX IF NOT EXISTS` waits for the writers of the queue's table.
        if (indexed === null) {
          await tx.query(
            `CREATE INDEX IF NOT EXISTS ${partition}_cje ON ${PGBOSS_SCHEMA}.${partition} (name, priority DESC, created_on, id) WHERE state < 'active'`,
          );
        }
      }
    });
  }

  /**
   * Queues one job per unit on `provider`'s queue. The queue's table is analysed after the first chunk and
   * after the last: until the planner knows how many jobs wait, it sorts them all on each take rather than
   * read the index of {@link ensureQueues}.
   */
  async enqueue(provider: string, units: ReadonlyArray<{ readonly stage: StageName; readonly key: string }>, campaign: string): Promise<void> {
    const name = this.nameOf(provider);
    for (let start = 0; start < units.length; start += INSERT_CHUNK) {
      const chunk = units.slice(start, start + INSERT_CHUNK);
      await this.boss.insert(chunk.map((unit) => ({ name, data: { stage: unit.stage, key: unit.key, campaign } satisfies UnitJobData, ...this.jobOptions })));
      if (start === 0 || start + INSERT_CHUNK >= units.length) await this.analyze(name);
    }
  }

  /** Updates the planner's statistics of queue `name`'s table. */
  private async analyze(name: string): Promise<void> {
    const { rows } = await this.store.db.query<{ partition: string }>(`SELECT partition_name AS partition FROM ${PGBOSS_SCHEMA}.queue WHERE name = $1`, [name]);
    if (rows.length === 1) await this.store.db.query(`ANALYZE ${PGBOSS_SCHEMA}.${rows[0].partition}`);
  }

  /** Drops the jobs waiting in the providers' queues (taken ones are left to finish). */
  async purge(providers: Iterable<string>): Promise<void> {
    for (const provider of providers) await this.boss.purgeQueue(this.nameOf(provider));
  }

  /** Jobs of the providers' queues not finished yet (waiting or taken). */
  async unfinished(providers: Iterable<string>): Promise<number> {
    let total = 0;
    for (const provider of providers) total += await this.boss.getQueueSize(this.nameOf(provider), { before: "completed" });
    return total;
  }

  /** Units whose job a worker holds right now. */
  async leasedKeys(): Promise<Set<string>> {
    const { rows } = await this.store.db.query<{ unit_key: string }>("SELECT unit_key FROM job_leases");
    return new Set(rows.map((r) => r.unit_key));
  }

  /** Takes up to `max` jobs from `provider`'s queue, leased to this worker in the same transaction. */
  async claim(provider: string, max: number): Promise<ClaimedUnit[]> {
    if (this.presence === null) throw new Error("this process does not take jobs");
    const name = this.nameOf(provider);
    return this.store.transaction(async (tx) => {
      const jobs = await this.boss.fetch<UnitJobData>(name, { batchSize: max, db: bossDb(tx) });
      if (jobs.length === 0) return [];
      await tx.query(
        "INSERT INTO job_leases (job_id, queue, unit_key, worker, leased_at) SELECT unnest($1::text[]), $2, unnest($3::text[]), $4, $5",
        [jobs.map((j) => j.id), name, jobs.map((j) => j.data.key), this.workerId, new Date().toISOString()],
        "cje_leaseJobs",
      );
      return jobs.map((job) => ({ ...job.data, id: job.id, queue: name, provider }));
    });
  }

  /**
   * Completes `unit`'s job and drops its lease, inside the transaction that stores the unit's outcome (the
   * jobs of all the outcomes a transaction stores are completed together, before it commits).
   */
  settle(unit: ClaimedUnit): TransactionHook {
    return async (tx) => tx.collect(this.finishJobs, unit);
  }

  /** Completes the jobs of `units` and drops their leases. */
  private readonly finishJobs: Finisher<ClaimedUnit> = async (tx, units) => {
    const byQueue = new Map<string, string[]>();
    for (const unit of units) byQueue.set(unit.queue, [...(byQueue.get(unit.queue) ?? []), unit.id]);
    for (const [name, ids] of byQueue) await byIds(this.boss.complete)(name, ids, {}, { db: bossDb(tx) });
    await tx.query("DELETE FROM job_leases WHERE job_id = ANY($1::text[])", [units.map((unit) => unit.id)], "cje_dropLeases");
  };

  /** Gives `unit`'s job back to the queue (pg-boss retries it), with the reason. */
  async release(unit: ClaimedUnit, reason: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      await this.boss.fail(unit.queue, unit.id, { message: reason }, { db: bossDb(tx) });
      await tx.query("DELETE FROM job_leases WHERE job_id = ANY($1::text[])", [[unit.id]], "cje_dropLeases");
    });
  }

  /** Hands the jobs of workers that died out again; resolves to how many. */
  async reap(): Promise<number> {
    return this.store.transaction(async (tx) => {
      const { rows } = await tx.query<{ job_id: string; queue: string }>(
        `DELETE FROM job_leases l
          WHERE NOT EXISTS (
            SELECT 1 FROM pg_locks k
             WHERE k.locktype = 'advisory' AND k.granted AND k.objsubid = 2
               AND k.classid = $1::bigint::oid AND k.objid = l.worker::bigint::oid
               AND k.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
          RETURNING job_id, queue`,
        [workerLockClass(this.store.schema)],
        "cje_reapLeases",
      );
      const byQueue = new Map<string, string[]>();
      for (const row of rows) byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row.job_id]);
      for (const [name, ids] of byQueue) await byIds(this.boss.fail)(name, ids, { message: "its worker died" }, { db: bossDb(tx) });
      return rows.length;
    });
  }

  /** The workers present on this campaign (this process included), by application name. */
  async workers(): Promise<string[]> {
    return presentWorkers(this.store.db, this.store.schema);
  }

  /** Stops pg-boss's maintenance and ends this process's presence. */
  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: true });
    await this.presence?.release();
  }
}

/** The workers present on the campaign with store schema `schema`, by application name. */
export async function presentWorkers(db: SqlRunner, schema: string): Promise<string[]> {
  return (await lockHolders(db, workerLockClass(schema))).map((holder) => holder.name);
}

/** Waiting and taken jobs of the campaign with store schema `schema` (none before pg-boss is installed). */
export async function queueCounts(db: SqlRunner, schema: string): Promise<QueueCounts> {
  const installed = (await db.query<{ table: string | null }>("SELECT to_regclass($1) AS table", [`${PGBOSS_SCHEMA}.job`])).rows[0].table !== null;
  if (!installed) return { queued: 0, active: 0 };
  const { rows } = await db.query<{ queued: string; active: string }>(
    `SELECT COUNT(*) FILTER (WHERE state < 'active') AS queued, COUNT(*) FILTER (WHERE state = 'active') AS active
       FROM ${PGBOSS_SCHEMA}.job WHERE starts_with(name, $1) AND state < 'completed'`,
    [queueName(schema, "")],
  );
  return { queued: Number(rows[0].queued), active: Number(rows[0].active) };
}
