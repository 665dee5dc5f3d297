import Anthropic from "@anthropic-ai/sdk";
import type { Generator, Judge, LogprobScorer, Provider } from "@cjeval/core";
import {
  CallPipeline,
  DEFAULT_TIMEOUT_MS,
  type GeneratorSettings,
  type JudgeSettings,
  resolveConnection,
  SDK_TIMEOUT_MARGIN_MS,
  type UsageTracker,
} from "@cjeval/provider-utils";
import { ANTHROPIC_CAPABILITIES } from "./capabilities.js";
import type { AnthropicContext } from "./context.js";
import { toProviderError } from "./errors.js";
import { anthropicGenerator } from "./generator.js";
import { anthropicJudge } from "./judge.js";
import { anthropicLogprobScorer } from "./logprobs.js";
import type { AnthropicProviderOptions } from "./options.js";
import { ANTHROPIC_PRICES } from "./prices.js";

/** Anthropic's API endpoint, used when neither `baseURL` nor `ANTHROPIC_BASE_URL` is set. */
export const ANTHROPIC_BASE_URL = "https://api.anthropic.com";

/** The environment variable holding the API key when neither `apiKey` nor `apiKeyEnv` is given. */
export const ANTHROPIC_API_KEY_ENV = "ANTHROPIC_API_KEY";

/** An Anthropic provider: judges and generators; `logprobScorer` throws `unsupported` (no log-probs). */
export interface AnthropicProvider extends Provider {
  judge(modelId: string, settings?: JudgeSettings): Judge;
  generator(modelId: string, settings?: GeneratorSettings): Generator;
  /** Always throws: the Messages API returns no log-probs. */
  logprobScorer(modelId: string): LogprobScorer;
  /** Token usage and cost of every call made through this provider. */
  readonly usage: UsageTracker;
  readonly baseURL: string;
}

/**
 * Creates an Anthropic provider on the official `@anthropic-ai/sdk` client. Retries, timeouts,
 * concurrency and caching are done by the shared pipeline (the SDK's own retries are off).
 *
 * @example
 * ```ts
 * const anthropic = createAnthropic({ concurrency: 4 }); // key from ANTHROPIC_API_KEY
 * const result = await anthropic.judge("claude-3-5-haiku-latest").judge({ prompt: "2+2?", response: "4" });
 * console.log(result.score, anthropic.usage.totals().costUsd);
 * ```
 */
export function createAnthropic(options: AnthropicProviderOptions = {}): AnthropicProvider {
  const id = options.id ?? "anthropic";
  const { baseURL, apiKey } = resolveConnection({
    id,
    baseURL: options.baseURL,
    apiKey: options.apiKey,
    baseURLEnv: "ANTHROPIC_BASE_URL",
    apiKeyEnv: options.apiKeyEnv ?? ANTHROPIC_API_KEY_ENV,
    defaultBaseURL: ANTHROPIC_BASE_URL,
  });
  const client = new Anthropic({
    apiKey,
    baseURL,
    maxRetries: 0,
    timeout: (options.timeoutMs ?? DEFAULT_TIMEOUT_MS) + SDK_TIMEOUT_MARGIN_MS,
    logLevel: "off",
    ...(options.headers === undefined ? {} : { defaultHeaders: options.headers }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const pipeline = new CallPipeline({
    ...options,
    provider: id,
    listPrices: ANTHROPIC_PRICES,
    secrets: [apiKey],
    toProviderError: (error) => toProviderError(error, id),
  });
  const context: AnthropicContext = { id, client, pipeline, baseURL };
  return {
    id,
    capabilities: ANTHROPIC_CAPABILITIES,
    baseURL,
    usage: pipeline.usage,
    judge: (modelId, settings) => anthropicJudge(context, modelId, settings),
    generator: (modelId, settings) => anthropicGenerator(context, modelId, settings),
    logprobScorer: (modelId) => anthropicLogprobScorer(context, modelId),
  };
}
