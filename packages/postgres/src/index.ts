/**
 * `@cjeval/postgres`: one CJE campaign from many machines — the PostgreSQL campaign store, the pg-boss
 * queue its workers take units from, and request-rate limits shared through the database. It plugs into
 * `@cjeval/runner` through the store contract (`CampaignStore` with its `coordination`): `runCampaign`
 * works on a PostgreSQL store as on a SQLite one, `runDistributedCampaign` queues each stage's calls for
 * `runWorker` processes.
 *
 * @packageDocumentation
 */
export {
  campaignSchema,
  openPostgresStore,
  PostgresCampaignStore,
  type PostgresStoreMode,
  type PostgresStoreOptions,
  type UnitMark,
} from "./postgres-store.js";
export { openCampaignStore } from "./open-store.js";
export { runDistributedCampaign, type DistributedRunOptions } from "./queue/distributed-run.js";
export { runWorker, type WorkerOptions } from "./queue/worker.js";
export type { WorkerCounts } from "./queue/unit-worker.js";
export { sharedRateLimits, type SharedRateLimitOptions } from "./shared-rate-limit.js";
export { RATE_BUCKETS_TABLE } from "./rate-buckets.js";
