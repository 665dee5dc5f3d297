import type { Judge } from "@cjeval/core";
import { createJudge, type JudgeCompletion, type JudgeDefaults, type JudgeSettings, MAX_TOP_LOGPROBS, resolveJudgeSettings } from "@cjeval/provider-utils";
import type { OpenAIContext } from "./context.js";
import { toProviderError } from "./errors.js";
import { judgeRequestBody, readJudgeCompletion } from "./wire.js";

/** OpenAI's judge defaults: greedy decoding and the most top log-probs the API gives, for score distributions. */
export const OPENAI_JUDGE_DEFAULTS: JudgeDefaults = { topLogprobs: MAX_TOP_LOGPROBS, temperature: 0 };

/**
 * A {@link Judge} on chat completions. By default it asks for the 0–100 rubric's bare score with
 * {@link MAX_TOP_LOGPROBS} top log-probs, so results carry the score distribution as well as the parsed score.
 */
export function openAIJudge(context: OpenAIContext, modelId: string, settings: JudgeSettings = {}): Judge {
  const resolved = resolveJudgeSettings(settings, OPENAI_JUDGE_DEFAULTS);
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
