import type { ProviderCapabilities } from "@cjeval/core";

/**
 * What an AI SDK provider can do: every `LanguageModel` generates and judges; score distributions need a
 * `logprobRequest` (the model must return top log-probs in its provider metadata); teacher-forced log-probs
 * need a `logprobScorer` (the AI SDK's model interface has none).
 */
export function aiSdkCapabilities(options: { readonly logprobRequest?: unknown; readonly logprobScorer?: unknown }): ProviderCapabilities {
  return { generate: true, judge: true, scoreDistribution: options.logprobRequest !== undefined, logprobs: options.logprobScorer !== undefined };
}
