/**
 * Provider interfaces: what CJE needs from a model API (responses, judge scores, teacher-forced
 * log-probs), independent of any SDK. Implementations live in `@cjeval/openai`, `@cjeval/anthropic`, or
 * your own code.
 *
 * @module
 */
export { requireCapability, type ProviderCapabilities, type ProviderCapability } from "./capabilities.js";
export { isProviderError, ProviderError, type ProviderErrorCode, type ProviderErrorOptions } from "./errors.js";
export type { Generator, Judge, LogprobScorer, Provider } from "./interfaces.js";
export type {
  CallOptions,
  GenerateRequest,
  GenerateResult,
  JudgeRequest,
  JudgeResult,
  LogprobRequest,
  LogprobResult,
  ScoreDistribution,
  TokenLogprob,
  TokenUsage,
} from "./types.js";
