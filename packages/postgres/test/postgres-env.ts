import pg from "pg";
import { campaignSchema } from "../src/index.js";
import { queueName } from "../src/queue/unit-queue.js";
import { RATE_BUCKETS_TABLE } from "../src/rate-buckets.js";

/** The test database: `CJE_TEST_POSTGRES_URL`, or the server `scripts/start-postgres.sh` starts. */
export const POSTGRES_URL = process.env.CJE_TEST_POSTGRES_URL ?? "postgres://cje:cje@127.0.0.1:54329/cje_test";

async function reachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const problem = await reachable();
if (problem !== null && process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false") {
  throw new Error(`PostgreSQL is not reachable at CJE_TEST_POSTGRES_URL (${problem}); CI runs every test: start it with scripts/start-postgres.sh`);
}
if (problem !== null) console.warn(`SKIPPED: PostgreSQL tests (${problem}); run scripts/start-postgres.sh to include them`);

/** Whether the PostgreSQL tests skip (never in CI, where an unreachable server fails them). */
export const skipPostgres = problem !== null;

/** A campaign name no other test uses. */
export function uniqueCampaign(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Drops a test campaign's schema, its pg-boss queues and the rate buckets of its providers written in code. */
export async function dropCampaign(campaign: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const schema = campaignSchema(campaign);
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    if ((await client.query("SELECT to_regclass($1) AS t", [RATE_BUCKETS_TABLE])).rows[0].t !== null) {
      await client.query(`DELETE FROM ${RATE_BUCKETS_TABLE} WHERE label LIKE $1`, [`%: custom provider of ${schema}`]);
    }
    const installed = (await client.query("SELECT to_regclass('pgboss.queue') AS t")).rows[0].t !== null;
    if (installed) {
      const { rows } = await client.query<{ name: string }>("SELECT name FROM pgboss.queue WHERE starts_with(name, $1)", [queueName(schema, "")]);
      for (const row of rows) {
        await client.query("DELETE FROM pgboss.job WHERE name = $1", [row.name]);
        await client.query("SELECT pgboss.delete_queue($1)", [row.name]);
      }
    }
  } finally {
    await client.end();
  }
}
