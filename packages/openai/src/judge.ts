import type { Judge } from "@cjeval/core";
import { createJudge, type JudgeCompletion, type JudgeSettings, resolveJudgeSettings } from "@cjeval/provider-utils";
import type { OpenAIContext } from "./context.js";
import { toProviderError } from "./errors.js";
import { judgeRequestBody, readJudgeCompletion } from "./wire.js";

/**
 * A {@link Judge} on chat completions. By default it asks for the 0–100 rubric's bare score with 20 top
 * log-probs, so results carry the score distribution as well as the parsed score.
 */
export function openAIJudge(context: OpenAIContext, modelId: string, settings: JudgeSettings = {}): Judge {
  const resolved = resolveJudgeSettings(settings, { topLogprobs: 20, temperature: 0 });
  return createJudge({
    provider: context.id,
    modelId,
    settings: resolved,
    complete: (prompt, signal) => {
      const body = judgeRequestBody(context, modelId, resolved, prompt);
      return context.pipeline.call<JudgeCompletion>({
        model: modelId,
        request: { endpoint: "chat.completions", baseURL: context.baseURL, body },
        signal,
        usageOf: (value) => value.usage,
        run: async (attemptSignal) => {
          const response = await context.client.chat.completions.create(body, { signal: attemptSignal }).catch((error: unknown) => {
            throw toProviderError(error, context.id);
          });
          return readJudgeCompletion(response, context.id);
        },
      });
    },
  });
}
