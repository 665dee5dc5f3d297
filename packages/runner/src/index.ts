/**
 * `@cjeval/runner`: CJE evaluation campaigns end to end — generate → judge → log-probs → sample → label →
 * estimate → report — resumable on a SQLite store, with a self-contained HTML report, importers for
 * existing eval runs (promptfoo, LangSmith, CSV) and an offline demo world.
 *
 * @packageDocumentation
 */
export { defineCampaign } from "./config/define.js";
export { writeStarterCampaign, type StarterFiles } from "./config/starter.js";
export {
  API_PROVIDER_TYPES,
  ApiProviderSchema,
  CampaignSchema,
  CustomProviderSchema,
  DEPRECATED_JUDGE_FIELDS,
  EstimateSchema,
  JudgeSchema,
  LabelsSchema,
  LogprobsSchema,
  OracleSchema,
  OutputsSchema,
  PolicySchema,
  PromptsSchema,
  type Campaign,
  type CampaignInput,
  type JudgeConfig,
  type OracleConfig,
  type PolicyConfig,
  type ProviderConfig,
} from "./config/schema.js";
export { AuditSchema, auditedPolicies, ESTIMATOR_NAMES, EstimatorsSchema, offPolicyEstimators, type AuditSettings, type EstimatorName } from "./config/trust-settings.js";
export { DEFAULT_CAMPAIGN_FILES, loadCampaign, resolveCampaign, type CampaignPaths, type ResolveOptions, type ResolvedCampaign } from "./config/load.js";
export { runCampaign, type RunOptions, type RunStatus, type RunSummary } from "./run.js";
export { DEFAULT_CONCURRENCY } from "@cjeval/provider-utils";
export { apiKeyOf, createProvider, providerPrices, type ApiProviderConfig, type BuiltApiProvider, type BuiltProvider, type CreateProviderOptions } from "./providers/factory.js";
export { DEFAULT_SAMPLE_SEED, PROBE_DESIGN, probeSeed, probeSize, type LabelSelection, type ProbeValue, type SampleValue } from "./stages/sample.js";
export { DEFAULT_RESPONSE_TOKENS, estimateCost, estimateTokens, formatCostEstimate, spentCost, tokenCost, type CostEstimate, type CostLine, type SpentUsage } from "./cost.js";
export { SILENT_PROGRESS, streamProgress, type ProgressSink, type ProgressStream, type StageProgress } from "./progress.js";
export { loadPrompts, type CampaignPrompt } from "./input/prompts.js";
export { parseCsvTable, type CsvRow, type CsvTable } from "./input/csv.js";
export type { StageOutcome } from "./stages/execute.js";
export type { EstimateValue, LabelledPoint, ProbeSummary } from "./stages/estimate.js";
export { CURRENT_OFF_POLICY_META, runOffPolicy, type OffPolicyInputs, type OffPolicyResult } from "./stages/off-policy.js";
export { DEFAULT_DESIGN, drawLabelSample, type DesignChoice, type LabelSample, type SampleCandidate, type SampleDesign, type SampledRow } from "./stages/sample-design.js";
export * from "./store/store.js";
export { openSqliteStore, SqliteCampaignStore, type SqliteStoreOptions } from "./store/sqlite-store.js";
export { migrate, migrationSql, pendingMigrations, schemaVersion, STORE_MIGRATIONS, type Migration, type StoreDialect } from "./store/migrations.js";
export { campaignSchema, openPostgresStore, PostgresCampaignStore, type PostgresStoreMode, type PostgresStoreOptions, type TransactionHook, type UnitMark } from "./store/postgres-store.js";
export type { Finisher, SqlResult, SqlRunner, StoreTransaction } from "./store/postgres-sql.js";
export type { SessionLock } from "./store/postgres-locks.js";
export type { WriteStats } from "./store/group-commit.js";
export { isPostgresUrl, openCampaignStore, type OpenStoreOptions } from "./store/open-store.js";
export { redactUrl } from "./store/redact-url.js";
export { runDistributedCampaign, type DistributedRunOptions } from "./queue/distributed-run.js";
export { runWorker, type WorkerOptions } from "./queue/worker.js";
export { createRateLimiter, localRateLimits, type RateLimiter, type RateLimits } from "./providers/rate-limit.js";
export { rateBucketOf, rateLimitsFor, sharedRateLimits, type RateBucketIdentity, type SharedRateLimitOptions } from "./providers/shared-rate-limit.js";
export { ensureRateBuckets, RATE_BUCKETS_TABLE, takeTokens, type TakenTokens, type TokenRequest } from "./store/postgres-rate-buckets.js";
export type { QueueCounts } from "./queue/unit-queue.js";
export type { WorkerCounts } from "./queue/unit-worker.js";
export { CAMPAIGN_SNAPSHOT_META, campaignSnapshot, type CampaignSnapshot } from "./report/snapshot.js";
export { campaignStatus, type CampaignStatus, type QueueStatus, type StageStatus } from "./status.js";
export { reportData, calibrationCurve, type CurvePoint, type FailureGroup, type ReportData } from "./report/model.js";
export { renderReportHtml } from "./report/html.js";
export { writeReport, type WriteReportOptions } from "./report/write.js";
export { estimatorResultPath, removeStaleTemps, writeResultFiles } from "./report/output-files.js";
export { labelSupportText, rangeSupportText, transportDetail, transportSummary } from "./report/audit-text.js";
export { findCampaignFile, findCampaignStore, reportCampaign, type CampaignReport, type CampaignStoreTarget } from "./report/report-campaign.js";
export { readOracleLabels, ORACLE_LABEL_COLUMNS, type OracleLabelRow } from "./importers/oracle-labels.js";
export { DEMO_ORACLE_SHARE, DEMO_POLICIES, DEMO_PROMPTS, DEMO_SEED, demoCampaign, runDemo, worldSample, type DemoCampaign, type DemoOptions } from "./demo/demo-campaign.js";
export { SIMULATED_JUDGE, SIMULATED_ORACLE, simulatedProvider } from "./demo/simulated-provider.js";
export { freshDrawRecord, writeImportedRows, type ImportedRow, type ImportResult, type SkippedRecord } from "./importers/imported-rows.js";
export { importPromptfoo, type PromptfooImportOptions } from "./importers/promptfoo.js";
export { importLangSmith, type LangSmithImportOptions } from "./importers/langsmith.js";
export { importPlainCsv, PLAIN_CSV_COLUMNS } from "./importers/plain-csv.js";
export { joinOracleLabels } from "./importers/join-labels.js";
export { importRuns, IMPORT_FORMATS, type ImportFormat, type ImportRequest } from "./importers/import-runs.js";
