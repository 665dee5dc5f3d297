/**
 * `@cjeval/provider-utils`: the machinery every CJE provider adapter shares — concurrency, retries with
 * backoff honouring `Retry-After`, timeouts and cancellation, usage and cost accounting, response caching,
 * secret redaction, atomic file writes — and the judge logic (rubric templating, score parsing, score
 * distributions).
 *
 * @packageDocumentation
 */
export { checkOutputPath, STDOUT_PATH, writeFileAtomic, writeJsonAtomic } from "./atomic-write.js";
export { MemoryCache, type ResponseCache } from "./cache.js";
export { FileCache } from "./file-cache.js";
export { createJudge, type CreateJudgeOptions, interpretJudgeCompletion, type JudgeCompletion, type JudgePrompt } from "./judge.js";
export {
  JUDGE_OUTPUTS,
  JUDGE_SETTING_KEYS,
  type JudgeDefaults,
  type JudgeSettings,
  JudgeSettingsSchema,
  type ResolvedJudgeSettings,
  resolveJudgeSettings,
} from "./judge-settings.js";
export {
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_JSON_JUDGE_MAX_TOKENS,
  DEFAULT_JUDGE_OUTPUT,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_TEXT_JUDGE_MAX_TOKENS,
  DEFAULT_TIMEOUT_GRACE_MS,
  DEFAULT_TIMEOUT_MS,
  MAX_CONCURRENCY,
  MAX_TIMER_MS,
  MAX_TOP_LOGPROBS,
  SDK_TIMEOUT_MARGIN_MS,
} from "./defaults.js";
export { type GeneratorSettings, GeneratorSettingsSchema } from "./generator-settings.js";
export {
  concurrencySchema,
  PIPELINE_DEFAULTS,
  type PipelineSettings,
  PipelineSettingsSchema,
  resolvePipelineSettings,
  type RetryPolicy,
  RetryPolicySchema,
  timeoutMsSchema,
} from "./pipeline-settings.js";
export { type ModelPrice, ModelPriceSchema, type PriceTable, PriceTableSchema, priceFor } from "./prices.js";
export {
  DEFAULT_JSON_JUDGE_TEMPLATE,
  DEFAULT_JUDGE_SCALE,
  DEFAULT_JUDGE_TEMPLATE,
  DEFAULT_RUBRIC,
  renderJudgePrompt,
  validateJudgeTemplate,
} from "./judge-template.js";
export { createLimiter, type Limiter, mapSettled, type Settled } from "./limiter.js";
export { isLoopbackHost } from "./loopback-host.js";
export { type CallOutcome, CallPipeline, type CallSpec, type PipelineOptions } from "./pipeline.js";
export { isSecretParamName, REDACTED, REDACTED_IN_URL, redactSecrets, redactSecretsDeep, redactUrl, redactUrlsIn, withoutUrlCredentials } from "./redact.js";
export { canonicalJson, requestKey } from "./request-key.js";
export { DEFAULT_RETRY_POLICY, type RetryEvent, type RetryOptions, retryDelayMs, withRetries } from "./retry.js";
export { type HeaderReader, parseRetryAfter } from "./retry-after.js";
export {
  JUDGE_OUTPUT_JSON_SCHEMA,
  type JudgeOutput,
  JudgeOutputSchema,
  type ParsedScore,
  parseJudgeScore,
  SCORE_RULES,
  type ScoreCandidate,
  type ScoreFailure,
  type ScoreFailureReason,
  type ScoreRule,
} from "./score-parser.js";
export { scoreDistribution, type TokenTopLogprobs } from "./score-distribution.js";
export { type Sleep, sleep } from "./sleep.js";
export { type TimeoutOptions, withTimeout } from "./timeout.js";
export { type ModelUsage, type UsageTotals, UsageTracker } from "./usage.js";
export {
  type HttpFailure,
  httpErrorCode,
  providerErrorFromException,
  providerErrorFromHttp,
  providerErrorFromSdk,
  type SdkErrorClasses,
} from "./http-error.js";
export { type Connection, type ConnectionOptions, ConnectionOptionsSchema, type ConnectionSources, resolveConnection } from "./connection.js";
export { terminalLine, terminalText } from "./terminal-text.js";
