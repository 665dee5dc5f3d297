/**
 * `@cjeval/runner`: CJE evaluation campaigns end to end — generate → judge → log-probs → sample → label →
 * estimate → report — resumable on a SQLite store, with a self-contained HTML report, the status of a
 * campaign, and an offline demo world. A PostgreSQL store with workers is `@cjeval/postgres`; importers of
 * existing eval runs are `@cjeval/importers`. Store backends build on `@cjeval/runner/store`.
 *
 * @packageDocumentation
 */
// Campaign definitions.
export { defineCampaign } from "./config/define.js";
export { writeStarterCampaign, type StarterFiles } from "./config/starter.js";
export {
  AI_SDK_PROVIDER_TYPE,
  API_PROVIDER_TYPES,
  CampaignSchema,
  type Campaign,
  type CampaignInput,
  type JudgeConfig,
  type OracleConfig,
  type PolicyConfig,
  type ProviderConfig,
} from "./config/schema.js";
export { auditedPolicies, ESTIMATOR_NAMES, offPolicyEstimators, type AuditSettings, type EstimatorName } from "./config/trust-settings.js";
export { DEFAULT_CAMPAIGN_FILES, loadCampaign, resolveCampaign, type CampaignPaths, type ResolveOptions, type ResolvedCampaign } from "./config/load.js";
export type { DesignChoice, SampleCandidate, SampleDesign, SampledRow } from "./stages/sample-design.js";
// Running a campaign.
export { runCampaign, type RunOptions, type RunStatus, type RunSummary } from "./run.js";
export { formatCostEstimate, type CostEstimate, type CostLine } from "./cost.js";
export {
  apiKeyOf,
  createProvider,
  providerPrices,
  type AiSdkProviderConfig,
  type ApiProviderConfig,
  type BuiltApiProvider,
  type BuiltProvider,
  type CreateProviderOptions,
} from "./providers/factory.js";
export { SILENT_PROGRESS, streamProgress, type ProgressSink, type ProgressStream, type StageProgress } from "./progress.js";
export { STAGE_NAMES, type StageName } from "./stages/table.js";
export type { StageOutcome } from "./stages/execute.js";
export type { EstimateValue, LabelledPoint, ProbeSummary } from "./stages/estimate.js";
export type { OffPolicyResult } from "./stages/off-policy.js";
// Stores.
export { openSqliteStore, type SqliteCampaignStore, type SqliteStoreOptions } from "./store/sqlite-store.js";
export { isPostgresUrl, openCampaignStore, type OpenStoreOptions, type StoreOpener } from "./store/open-store.js";
export type { CampaignStore, QueueStatus, StoreCoordination } from "./store/store.js";
// Status, judged rows and reports.
export { campaignStatus, type CampaignStatus, type StageStatus } from "./status.js";
export { campaignRows, type CampaignRows } from "./campaign-rows.js";
export { judgedDrawRecords, type JudgedDraw } from "./stages/judged-draws.js";
export { reportData, type CurvePoint, type FailureGroup, type ReportData } from "./report/model.js";
export { renderReportHtml } from "./report/html.js";
export { writeReport, type WriteReportOptions } from "./report/write.js";
export { transportSummary } from "./report/audit-text.js";
export {
  findCampaignFile,
  findCampaignStore,
  reportCampaign,
  type CampaignReport,
  type CampaignStoreTarget,
  type ReportCampaignOptions,
} from "./report/report-campaign.js";
// The offline demo.
export { DEMO_ORACLE_SHARE, DEMO_POLICIES, DEMO_PROMPTS, DEMO_SEED, demoCampaign, runDemo, type DemoCampaign, type DemoOptions } from "./demo/demo-campaign.js";
