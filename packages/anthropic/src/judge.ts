import { type Judge, requireCapability } from "@cjeval/core";
import { createJudge, type JudgeCompletion, type JudgeSettings, resolveJudgeSettings } from "@cjeval/provider-utils";
import type { AnthropicContext } from "./context.js";
import { toProviderError } from "./errors.js";
import { ANTHROPIC_CAPABILITIES } from "./capabilities.js";
import { judgeRequestBody, readJudgeCompletion } from "./wire.js";

/**
 * A {@link Judge} on the Messages API: the score is parsed from the text, or read from a forced tool call
 * in `json` mode. Anthropic returns no log-probs, so asking for `topLogprobs` is an `unsupported` error.
 */
export function anthropicJudge(context: AnthropicContext, modelId: string, settings: JudgeSettings = {}): Judge {
  const resolved = resolveJudgeSettings(settings);
  if (resolved.topLogprobs > 0) requireCapability({ id: context.id, capabilities: ANTHROPIC_CAPABILITIES }, "scoreDistribution");
  return createJudge({
    provider: context.id,
    modelId,
    settings: resolved,
    complete: (prompt, signal) => {
      const body = judgeRequestBody(modelId, resolved, prompt);
      return context.pipeline.call<JudgeCompletion>({
        model: modelId,
        request: { endpoint: "messages", baseURL: context.baseURL, body },
        signal,
        usageOf: (value) => value.usage,
        run: async (attemptSignal) => {
          const message = await context.client.messages.create(body, { signal: attemptSignal }).catch((error: unknown) => {
            throw toProviderError(error, context.id);
          });
          return readJudgeCompletion(message, context.id);
        },
      });
    },
  });
}
