import { CjeInputError, type Generator, type Judge, type LogprobScorer, type Provider } from "@cjeval/core";
import { CallPipeline, type GeneratorSettings, type JudgeSettings, type UsageTracker } from "@cjeval/provider-utils";
import type { LanguageModel } from "ai";
import { aiSdkCapabilities } from "./capabilities.js";
import type { AiSdkContext } from "./context.js";
import { toProviderError } from "./errors.js";
import { aiSdkGenerator } from "./generator.js";
import { aiSdkJudge } from "./judge.js";
import { aiSdkLogprobScorer } from "./logprobs.js";
import { type AiSdkProviderOptions, AiSdkProviderOptionsSchema } from "./options.js";
import { AI_SDK_PRICES } from "./prices.js";

/** A CJE provider over AI SDK `LanguageModel`s: judges and generators; log-prob scorers when given one. */
export interface AiSdkProvider extends Provider {
  judge(modelId: string, settings?: JudgeSettings): Judge;
  generator(modelId: string, settings?: GeneratorSettings): Generator;
  /** The configured `logprobScorer`'s scorer; throws `unsupported` without one. */
  logprobScorer(modelId: string): LogprobScorer;
  /** Token usage and cost of every call made through this provider. */
  readonly usage: UsageTracker;
}

/**
 * Creates a CJE provider on any AI SDK (v5 or v6) `LanguageModel`: Google, Vertex, Bedrock, Mistral, Groq,
 * Ollama, the AI Gateway, or a model wrapped in your own middleware. Every call goes through the shared
 * pipeline (concurrency, retries that read the AI SDK's `APICallError` and honour `Retry-After`, per-attempt
 * timeouts, cache, cost, key redaction); the AI SDK's own retries are off (`maxRetries: 0`).
 *
 * @throws CjeInputError when the options are not valid (naming the field).
 *
 * @example
 * ```ts
 * import { google } from "@ai-sdk/google";
 * const gemini = createAiSdkProvider({ id: "google", model: google, concurrency: 4 });
 * const verdict = await gemini.judge("gemini-2.5-flash").judge({ prompt: "2+2?", response: "4" });
 * console.log(verdict.score, gemini.usage.totals());
 * ```
 */
export function createAiSdkProvider(options: AiSdkProviderOptions): AiSdkProvider {
  const parsed = AiSdkProviderOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.map(String).join(".");
    throw new CjeInputError(issue.message, {
      ...(field === "" ? {} : { field }),
      value: field === "" ? undefined : (options as Record<string, unknown>)[String(issue.path[0])],
    });
  }
  const id = options.id;
  const pipeline = new CallPipeline({
    ...options,
    provider: id,
    listPrices: AI_SDK_PRICES,
    secrets: options.secrets ?? [],
    toProviderError: (error) => toProviderError(error, id),
  });
  const models = new Map<string, LanguageModel>();
  const context: AiSdkContext = {
    id,
    pipeline,
    model(modelId) {
      let model = models.get(modelId);
      if (model === undefined) {
        model = options.model(modelId);
        if (model === undefined || model === null || (typeof model !== "string" && typeof model !== "object")) {
          throw new CjeInputError(`the model factory of provider '${id}' returned no LanguageModel for '${modelId}'`, { field: "model", value: modelId });
        }
        models.set(modelId, model);
      }
      return model;
    },
    providerOptions: options.providerOptions,
    headers: options.headers,
    logprobRequest: options.logprobRequest,
  };
  return {
    id,
    capabilities: aiSdkCapabilities(options),
    usage: pipeline.usage,
    judge: (modelId, settings) => aiSdkJudge(context, modelId, settings),
    generator: (modelId, settings) => aiSdkGenerator(context, modelId, settings),
    logprobScorer: (modelId) => aiSdkLogprobScorer(context, options, modelId),
  };
}
