import Anthropic from "@anthropic-ai/sdk";
import { type Generator, type Judge, type LogprobScorer, type Provider, ProviderError, requireCapability } from "@cjeval/core";
import { CallPipeline, resolveConnection, type JudgeSettings, type PipelineSettings, type UsageTracker } from "@cjeval/provider-utils";
import { ANTHROPIC_CAPABILITIES } from "./capabilities.js";
import type { AnthropicContext } from "./context.js";
import { toProviderError } from "./errors.js";
import { anthropicGenerator, type GeneratorSettings } from "./generator.js";
import { anthropicJudge } from "./judge.js";

/** Anthropic's API endpoint, used when neither `baseURL` nor `ANTHROPIC_BASE_URL` is set. */
export const ANTHROPIC_BASE_URL = "https://api.anthropic.com";

/** Options of {@link createAnthropic}: connection, plus the shared retry/concurrency/cache/cost settings. */
export interface AnthropicProviderOptions extends PipelineSettings {
  /** API key; default `ANTHROPIC_API_KEY`. Never logged, cached or put in error messages. */
  readonly apiKey?: string;
  /** Another Messages-compatible server (e.g. llama.cpp's `/v1/messages`); default `ANTHROPIC_BASE_URL` or Anthropic. */
  readonly baseURL?: string;
  /** Extra HTTP headers on every request. */
  readonly headers?: Record<string, string>;
  /** Provider id in errors and usage (default `anthropic`). */
  readonly id?: string;
  /** Custom fetch implementation for the SDK. */
  readonly fetch?: typeof fetch;
}

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
 * const anthropic = createAnthropic({ concurrency: 8 }); // key from ANTHROPIC_API_KEY
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
    apiKeyEnv: "ANTHROPIC_API_KEY",
    defaultBaseURL: ANTHROPIC_BASE_URL,
  });
  const client = new Anthropic({
    apiKey,
    baseURL,
    maxRetries: 0,
    timeout: (options.timeoutMs ?? 60_000) + 5_000,
    logLevel: "off",
    ...(options.headers === undefined ? {} : { defaultHeaders: options.headers }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const pipeline = new CallPipeline({ ...options, provider: id, secrets: [apiKey], toProviderError: (error) => toProviderError(error, id) });
  const context: AnthropicContext = { id, client, pipeline, baseURL };
  const provider: AnthropicProvider = {
    id,
    capabilities: ANTHROPIC_CAPABILITIES,
    baseURL,
    usage: pipeline.usage,
    judge: (modelId, settings) => anthropicJudge(context, modelId, settings),
    generator: (modelId, settings) => anthropicGenerator(context, modelId, settings),
    logprobScorer: () => {
      requireCapability(provider, "logprobs");
      throw new ProviderError(`${id} declares logprobs but has no scorer`, { code: "unsupported", provider: id });
    },
  };
  return provider;
}
