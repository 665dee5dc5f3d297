/**
 * `@cjeval/provider-utils`: the machinery every CJE provider adapter shares — concurrency, retries with
 * backoff honouring `Retry-After`, timeouts and cancellation, usage and cost accounting, response caching,
 * secret redaction, atomic file writes — and the judge logic (rubric templating, score parsing, score
 * distributions).
 *
 * @packageDocumentation
 */
export { writeFileAtomic, writeJsonAtomic } from "./atomic-write.js";
export { MemoryCache, type ResponseCache } from "./cache.js";
export { FileCache } from "./file-cache.js";
export {
  createJudge,
  type CreateJudgeOptions,
  type JudgeDefaults,
  interpretJudgeCompletion,
  type JudgeCompletion,
  type JudgePrompt,
  type JudgeSettings,
  type ResolvedJudgeSettings,
  resolveJudgeSettings,
} from "./judge.js";
export {
  DEFAULT_JSON_JUDGE_TEMPLATE,
  DEFAULT_JUDGE_SCALE,
  DEFAULT_JUDGE_TEMPLATE,
  DEFAULT_RUBRIC,
  renderJudgePrompt,
  validateJudgeTemplate,
} from "./judge-template.js";
export { createLimiter, type Limiter, mapSettled, type Settled } from "./limiter.js";
export {
  type LoopbackHandler,
  type LoopbackRequest,
  type LoopbackServer,
  sendJson,
  startLoopbackServer,
} from "./loopback-server.js";
export { type CallOutcome, CallPipeline, type CallSpec, type PipelineOptions, type PipelineSettings } from "./pipeline.js";
export { REDACTED, redactSecrets } from "./redact.js";
export { canonicalJson, requestKey } from "./request-key.js";
export { DEFAULT_RETRY_POLICY, type RetryEvent, type RetryOptions, type RetryPolicy, retryDelayMs, withRetries } from "./retry.js";
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
export { DEFAULT_PRICES, type ModelPrice, type ModelUsage, type PriceTable, priceFor, type UsageTotals, UsageTracker } from "./usage.js";
export { type HttpFailure, httpErrorCode, providerErrorFromException, providerErrorFromHttp, providerErrorFromSdk, type SdkErrorClasses } from "./http-error.js";
export { resolveConnection, type Connection, type ConnectionSources } from "./connection.js";
