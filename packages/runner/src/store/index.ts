/**
 * `@cjeval/runner/store`: what a campaign store backend builds on (`@cjeval/postgres` does) — the store
 * contract and its coordination capability, the statements, row mapping, group commit and schema history
 * both SQL backends share, and the hooks to run a stage's units elsewhere (a queue of workers): the unit
 * executor, the campaign's units as a worker rebuilds them, and the shared rate-limit buckets' identity.
 * Applications use the main entry point.
 *
 * @packageDocumentation
 */
// The store contract.
export type {
  AttemptSummary,
  CampaignStore,
  ErrorGroup,
  FailedUnit,
  QueueStatus,
  StageActivity,
  StageCounts,
  StoreCoordination,
  StoredResult,
  UnitFailure,
  UnitOutcome,
  UnitSpec,
  UnitState,
  UnitStatus,
  UnitUsage,
  UsageSummary,
} from "./store.js";
export { STAGE_NAMES, type StageName } from "../stages/table.js";
export { isPostgresUrl, type OpenStoreOptions, type StoreOpener } from "./open-store.js";
// Shared by SQL backends.
export { STORE_SQL, type StatementName } from "./sql.js";
export { migrationSql, pendingMigrations, STORE_MIGRATIONS, type Migration, type StoreDialect } from "./migrations.js";
export {
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
  type SqlValue,
  type UnitRow,
} from "./rows.js";
export { GroupCommit, type BatchCommitter, type WriteResult, type WriteStats } from "./group-commit.js";
export { redactUrl, withoutPassword } from "./redact-url.js";
// Running units elsewhere.
export {
  executeUnits,
  failureOf,
  FATAL_CODES,
  planUnits,
  type ExecuteOptions,
  type StageOutcome,
  type UnitExecutor,
  type UnitJob,
  type UnitPlan,
} from "../stages/execute.js";
export { campaignUnits, type CampaignUnits } from "../stages/stage-jobs.js";
export { campaignFingerprint } from "../stages/campaign-fingerprint.js";
// Rate limits.
export { delay, localRateLimits, type RateLimiter, type RateLimits } from "../providers/rate-limit.js";
export { rateBucketOf, type RateBucketIdentity } from "../providers/rate-bucket.js";
