import { type LogprobScorer, ProviderError, requireCapability } from "@cjeval/core";
import { ANTHROPIC_CAPABILITIES } from "./capabilities.js";
import type { AnthropicContext } from "./context.js";

/**
 * The log-prob scorer of an Anthropic provider: there is none, since the Messages API returns no
 * log-probs. Always throws an `unsupported` {@link ProviderError} naming the missing capability.
 */
export function anthropicLogprobScorer(context: AnthropicContext, modelId: string): LogprobScorer {
  requireCapability({ id: context.id, capabilities: ANTHROPIC_CAPABILITIES }, "logprobs");
  throw new ProviderError(`${context.id} declares logprobs but has no scorer for ${modelId}`, { code: "unsupported", provider: context.id });
}
