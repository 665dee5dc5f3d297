import { type Judge, requireCapability } from "@cjeval/core";
import {
  createJudge,
  JUDGE_OUTPUT_JSON_SCHEMA,
  type JudgeCompletion,
  type JudgeDefaults,
  type JudgeSettings,
  MAX_TOP_LOGPROBS,
  resolveJudgeSettings,
} from "@cjeval/provider-utils";
import { generateObject, generateText, jsonSchema, NoObjectGeneratedError } from "ai";
import { aiSdkCapabilities } from "./capabilities.js";
import type { AiSdkContext } from "./context.js";
import { toProviderError } from "./errors.js";
import { callSettings, modelIdentity, readTopLogprobs, readUsage } from "./wire.js";

/** The judge defaults of an AI SDK model: greedy decoding; the most top log-probs when the model can return them. */
export function aiSdkJudgeDefaults(logprobs: boolean): JudgeDefaults {
  return logprobs ? { topLogprobs: MAX_TOP_LOGPROBS, temperature: 0 } : { temperature: 0 };
}

/** Name of the structured output a `json` judge asks for. */
export const JUDGE_SCHEMA_NAME = "judge_score";

/**
 * A {@link Judge} on the AI SDK: `text` mode through `generateText` (the score parsed from the answer, the
 * score distribution from top log-probs in the provider metadata when the provider is configured to return
 * them), `json` mode through `generateObject` with the `{ reasoning, score }` schema. Structured output the
 * SDK cannot parse falls back to the shared text parser, as the OpenAI adapter does with its JSON text.
 */
export function aiSdkJudge(context: AiSdkContext, modelId: string, settings: JudgeSettings = {}): Judge {
  const model = context.model(modelId);
  const resolved = resolveJudgeSettings(settings, aiSdkJudgeDefaults(context.logprobRequest !== undefined));
  if (resolved.topLogprobs > 0) {
    requireCapability({ id: context.id, capabilities: aiSdkCapabilities({ logprobRequest: context.logprobRequest }) }, "scoreDistribution");
  }
  const logprobOptions = resolved.topLogprobs > 0 && resolved.output === "text" ? context.logprobRequest?.(resolved.topLogprobs) : undefined;
  const headers = context.headers === undefined ? {} : { headers: { ...context.headers } };
  return createJudge({
    provider: context.id,
    modelId,
    settings: resolved,
    complete: (prompt, signal) => {
      const call = callSettings(context, {
        prompt: prompt.user,
        system: prompt.system,
        temperature: resolved.temperature,
        maxOutputTokens: resolved.maxTokens,
        providerOptions: logprobOptions,
      });
      const json = resolved.output === "json";
      return context.pipeline.call<JudgeCompletion>({
        model: modelId,
        request: {
          call: json ? "generateObject" : "generateText",
          model: modelIdentity(model),
          settings: call,
          ...(json ? { schema: JUDGE_OUTPUT_JSON_SCHEMA } : {}),
        },
        signal,
        usageOf: (value) => value.usage,
        run: async (attemptSignal) => {
          try {
            if (json) {
              const result = await generateObject({
                model,
                ...call,
                ...headers,
                schema: jsonSchema(JUDGE_OUTPUT_JSON_SCHEMA as Parameters<typeof jsonSchema>[0]),
                schemaName: JUDGE_SCHEMA_NAME,
                maxRetries: 0,
                abortSignal: attemptSignal,
              } as Parameters<typeof generateObject>[0]);
              const usage = readUsage(result.usage);
              return {
                text: JSON.stringify(result.object),
                structured: result.object,
                ...(result.finishReason === "content-filter" ? { refused: true } : {}),
                ...(usage === undefined ? {} : { usage }),
              };
            }
            const result = await generateText({ model, ...call, ...headers, maxRetries: 0, abortSignal: attemptSignal } as Parameters<typeof generateText>[0]);
            const tokens = readTopLogprobs(result.providerMetadata);
            const usage = readUsage(result.usage);
            return {
              text: result.text,
              ...(tokens === undefined ? {} : { tokens }),
              ...(result.finishReason === "content-filter" ? { refused: true } : {}),
              ...(usage === undefined ? {} : { usage }),
            };
          } catch (error) {
            // Structured output that did not parse: its text goes through the shared score parser instead.
            if (json && NoObjectGeneratedError.isInstance(error) && error.text !== undefined) {
              const usage = readUsage(error.usage);
              return { text: error.text, ...(usage === undefined ? {} : { usage }) };
            }
            throw toProviderError(error, context.id);
          }
        },
      });
    },
  });
}
