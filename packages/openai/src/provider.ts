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
import OpenAI from "openai";
import { OPENAI_CAPABILITIES } from "./capabilities.js";
import type { OpenAIContext } from "./context.js";
import { toProviderError } from "./errors.js";
import { openAIGenerator } from "./generator.js";
import { openAIJudge } from "./judge.js";
import { openAILogprobScorer } from "./logprobs.js";
import type { LogprobSettings, OpenAIProviderOptions } from "./options.js";
import { OPENAI_PRICES } from "./prices.js";

/** The official OpenAI endpoint, used when neither `baseURL` nor `OPENAI_BASE_URL` is set. */
export const OPENAI_BASE_URL = "https://api.openai.com/v1";

/** The environment variable holding the API key when neither `apiKey` nor `apiKeyEnv` is given. */
export const OPENAI_API_KEY_ENV = "OPENAI_API_KEY";

/** An OpenAI or OpenAI-compatible provider: judges, generators and teacher-forcing log-prob scorers. */
export interface OpenAIProvider extends Provider {
  judge(modelId: string, settings?: JudgeSettings): Judge;
  generator(modelId: string, settings?: GeneratorSettings): Generator;
  logprobScorer(modelId: string, settings?: LogprobSettings): LogprobScorer;
  /** Token usage and cost of every call made through this provider. */
  readonly usage: UsageTracker;
  readonly baseURL: string;
}

/**
 * Creates an OpenAI provider on the official `openai` client. Retries, timeouts, concurrency and caching
 * are done by the shared pipeline (the SDK's own retries are off).
 *
 * @example
 * ```ts
 * const openai = createOpenAI({ baseURL: "http://127.0.0.1:8000/v1", concurrency: 16 });
 * const result = await openai.judge("my-judge-model").judge({ prompt: "2+2?", response: "4" });
 * console.log(result.score, result.distribution?.expected, openai.usage.totals());
 * ```
 */
export function createOpenAI(options: OpenAIProviderOptions = {}): OpenAIProvider {
  const id = options.id ?? "openai";
  const { baseURL, apiKey } = resolveConnection({
    id,
    baseURL: options.baseURL,
    apiKey: options.apiKey,
    baseURLEnv: "OPENAI_BASE_URL",
    apiKeyEnv: options.apiKeyEnv ?? OPENAI_API_KEY_ENV,
    defaultBaseURL: OPENAI_BASE_URL,
  });
  const client = new OpenAI({
    apiKey,
    baseURL,
    organization: options.organization ?? null,
    maxRetries: 0,
    timeout: (options.timeoutMs ?? DEFAULT_TIMEOUT_MS) + SDK_TIMEOUT_MARGIN_MS,
    logLevel: "off",
    ...(options.headers === undefined ? {} : { defaultHeaders: options.headers }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const pipeline = new CallPipeline({
    ...options,
    provider: id,
    listPrices: OPENAI_PRICES,
    secrets: [apiKey],
    toProviderError: (error) => toProviderError(error, id),
  });
  const context: OpenAIContext = {
    id,
    client,
    pipeline,
    baseURL,
    tokenLimitField: options.tokenLimitField ?? (baseURL === OPENAI_BASE_URL ? "max_completion_tokens" : "max_tokens"),
  };
  return {
    id,
    capabilities: OPENAI_CAPABILITIES,
    baseURL,
    usage: pipeline.usage,
    judge: (modelId, settings) => openAIJudge(context, modelId, settings),
    generator: (modelId, settings) => openAIGenerator(context, modelId, settings),
    logprobScorer: (modelId, settings) => openAILogprobScorer(context, modelId, settings),
  };
}
