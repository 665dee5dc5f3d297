import type { GenerateRequest, GenerateResult, Generator } from "@cjeval/core";
import type { GeneratorSettings } from "@cjeval/provider-utils";
import { generateText } from "ai";
import type { AiSdkContext } from "./context.js";
import { toProviderError } from "./errors.js";
import { callSettings, type Generation, ignoredSetting, modelIdentity, readUsage, seedUnsupported } from "./wire.js";

/**
 * A {@link Generator} on the AI SDK's `generateText`: a policy is a model plus system prompt, temperature,
 * output token limit and seed. A seed the model cannot honour (the AI SDK warns that it was ignored) is an
 * `unsupported` error, not a silent unseeded sample; after the first such answer the generator fails fast.
 */
export function aiSdkGenerator(context: AiSdkContext, modelId: string, settings: GeneratorSettings = {}): Generator {
  const model = context.model(modelId);
  let seedIgnored = false;
  return {
    modelId,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const call = callSettings(context, {
        prompt: request.prompt,
        system: request.system ?? settings.system,
        temperature: request.temperature ?? settings.temperature,
        maxOutputTokens: request.maxTokens ?? settings.maxTokens,
        seed: request.seed ?? settings.seed,
      });
      if (call.seed !== undefined && seedIgnored) throw seedUnsupported(context.id, modelId);
      const { value, cached } = await context.pipeline.call<Generation>({
        model: modelId,
        request: { call: "generateText", model: modelIdentity(model), settings: call },
        signal: request.signal,
        usageOf: (generation) => generation.usage,
        run: async (signal) => {
          const result = await generateText({
            model,
            ...call,
            ...(context.headers === undefined ? {} : { headers: { ...context.headers } }),
            maxRetries: 0,
            abortSignal: signal,
          } as Parameters<typeof generateText>[0]).catch((error: unknown) => {
            throw toProviderError(error, context.id);
          });
          if (call.seed !== undefined && ignoredSetting(result.warnings, "seed")) {
            seedIgnored = true;
            throw seedUnsupported(context.id, modelId);
          }
          const usage = readUsage(result.usage);
          return {
            text: result.text,
            ...(result.finishReason ? { finishReason: String(result.finishReason) } : {}),
            ...(usage === undefined ? {} : { usage }),
          };
        },
      });
      return { ...value, cached };
    },
  };
}
