import { type LogprobScorer, requireCapability } from "@cjeval/core";
import type { AiSdkContext } from "./context.js";
import { aiSdkCapabilities } from "./capabilities.js";
import type { AiSdkProviderOptions } from "./options.js";

/**
 * The log-prob scorer of an AI SDK provider. The AI SDK's model interface has no teacher forcing, so this is
 * the `logprobScorer` the provider was given (e.g. an OpenAI-compatible vLLM server serving the same model);
 * without one it throws an `unsupported` {@link ProviderError} naming the capability.
 */
export function aiSdkLogprobScorer(context: AiSdkContext, options: Pick<AiSdkProviderOptions, "logprobScorer">, modelId: string): LogprobScorer {
  requireCapability({ id: context.id, capabilities: aiSdkCapabilities(options) }, "logprobs");
  return (options.logprobScorer as (modelId: string) => LogprobScorer)(modelId);
}
