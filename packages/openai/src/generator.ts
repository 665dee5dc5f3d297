import type { GenerateRequest, GenerateResult, Generator } from "@cjeval/core";
import type { GeneratorSettings } from "@cjeval/provider-utils";
import type { OpenAIContext } from "./context.js";
import { toProviderError } from "./errors.js";
import { type Generation, generateRequestBody, readGeneration } from "./wire.js";

/** A {@link Generator} on chat completions: a policy is a model plus system prompt, temperature, token limit and seed. */
export function openAIGenerator(context: OpenAIContext, modelId: string, settings: GeneratorSettings = {}): Generator {
  return {
    modelId,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const body = generateRequestBody(context, modelId, {
        prompt: request.prompt,
        system: request.system ?? settings.system,
        temperature: request.temperature ?? settings.temperature,
        maxTokens: request.maxTokens ?? settings.maxTokens,
        seed: request.seed ?? settings.seed,
      });
      const { value, cached } = await context.pipeline.call<Generation>({
        model: modelId,
        request: { endpoint: "chat.completions", baseURL: context.baseURL, body },
        signal: request.signal,
        usageOf: (generation) => generation.usage,
        run: async (signal) => {
          const response = await context.client.chat.completions.create(body, { signal }).catch((error: unknown) => {
            throw toProviderError(error, context.id);
          });
          return readGeneration(response, context.id);
        },
      });
      return { ...value, cached };
    },
  };
}
