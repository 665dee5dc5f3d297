import type { GenerateRequest, GenerateResult, Generator } from "@cjeval/core";
import type { GeneratorSettings } from "@cjeval/provider-utils";
import type { AnthropicContext } from "./context.js";
import { toProviderError } from "./errors.js";
import { type Generation, generateRequestBody, readGeneration } from "./wire.js";

/**
 * A {@link Generator} on the Messages API: a policy is a model plus system prompt, temperature and token
 * limit. Anthropic has no sampling seed: a `seed` (in the settings or the request) is an `unsupported` error.
 */
export function anthropicGenerator(context: AnthropicContext, modelId: string, settings: GeneratorSettings = {}): Generator {
  return {
    modelId,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const body = generateRequestBody(
        modelId,
        {
          prompt: request.prompt,
          system: request.system ?? settings.system,
          temperature: request.temperature ?? settings.temperature,
          maxTokens: request.maxTokens ?? settings.maxTokens,
          seed: request.seed ?? settings.seed,
        },
        context.id,
      );
      const { value, cached } = await context.pipeline.call<Generation>({
        model: modelId,
        request: { endpoint: "messages", baseURL: context.baseURL, body },
        signal: request.signal,
        usageOf: (generation) => generation.usage,
        run: async (signal) => {
          const message = await context.client.messages.create(body, { signal }).catch((error: unknown) => {
            throw toProviderError(error, context.id);
          });
          return readGeneration(message, context.id);
        },
      });
      return { ...value, cached };
    },
  };
}
