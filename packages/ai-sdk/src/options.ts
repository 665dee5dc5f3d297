import type { LogprobScorer } from "@cjeval/core";
import { ConnectionOptionsSchema, PipelineSettingsSchema } from "@cjeval/provider-utils";
import type { LanguageModel } from "ai";
import { z } from "zod";

const isFunction = (value: unknown): boolean => typeof value === "function";

/**
 * The AI SDK's `providerOptions` of a call: provider name → options (e.g. `{ google: { safetySettings: [...] } }`,
 * `{ openai: { logprobs: 20 } }`). JSON values only, as the AI SDK requires.
 */
export type CallProviderOptions = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Makes a model id into an AI SDK `LanguageModel`: a provider instance (`google`, `createOllama()`), or your own function. */
export type LanguageModelFactory = (modelId: string) => LanguageModel;

/** The `providerOptions` that make a model return `topLogprobs` top log-probs per token in its provider metadata. */
export type LogprobRequest = (topLogprobs: number) => CallProviderOptions;

/**
 * Options of {@link createAiSdkProvider}: the provider id and the model factory, the shared pipeline settings
 * (`concurrency`, `timeoutMs`, retries, `prices`, `cache`, hooks), per-call `providerOptions` and `headers`,
 * the secrets to keep out of errors, and the two optional capabilities an AI SDK model may add: top
 * log-probs for score distributions (`logprobRequest`) and teacher forcing (`logprobScorer`).
 */
export const AiSdkProviderOptionsSchema = z.object({
  /** Provider id in errors, usage, rate buckets and cache keys (e.g. `google`, `ollama`). */
  id: z.string().min(1),
  /**
   * Model id → AI SDK `LanguageModel`. A provider instance is such a function (`google`, `createOllama()`,
   * `createOpenAICompatible({...})`); wrap it to add middleware (`wrapLanguageModel`).
   */
  model: z.custom<LanguageModelFactory>(isFunction, "expected a function (modelId) => LanguageModel, e.g. a provider instance such as google"),
  ...PipelineSettingsSchema.shape,
  /** Extra HTTP headers sent with every call (never part of cache keys). */
  headers: ConnectionOptionsSchema.shape.headers,
  /** `providerOptions` sent with every call (default: none). */
  providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  /**
   * The `providerOptions` that make the model return top log-probs in its provider metadata, e.g.
   * `(n) => ({ openai: { logprobs: n } })` for `@ai-sdk/openai` (default: none). With one, the provider
   * declares `scoreDistribution` and judges ask for `MAX_TOP_LOGPROBS` (20) by default.
   */
  logprobRequest: z.custom<LogprobRequest>(isFunction, "expected a function (topLogprobs) => providerOptions").optional(),
  /**
   * Teacher-forced log-probs of the same models, when something serves them (the AI SDK's model interface
   * has none): e.g. `(id) => createOpenAI({ baseURL: vllm }).logprobScorer(id)`. Without one the provider
   * declares `logprobs: false`.
   */
  logprobScorer: z.custom<(modelId: string) => LogprobScorer>(isFunction, "expected a function (modelId) => LogprobScorer").optional(),
  /** Secrets (API keys) to scrub from every error message; key-shaped strings are scrubbed anyway. */
  secrets: z.array(z.string()).optional(),
});

/** Options of {@link createAiSdkProvider} (see {@link AiSdkProviderOptionsSchema}). */
export type AiSdkProviderOptions = Readonly<z.infer<typeof AiSdkProviderOptionsSchema>>;
