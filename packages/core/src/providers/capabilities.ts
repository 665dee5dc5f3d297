import { ProviderError } from "./errors.js";

/**
 * What a provider can do:
 * - `generate`: produce responses for a policy ({@link Generator});
 * - `judge`: score a response with a rubric ({@link Judge});
 * - `scoreDistribution`: the judge can also report a probability distribution over score tokens;
 * - `logprobs`: teacher-forced log-probabilities of a given response ({@link LogprobScorer}).
 */
export type ProviderCapability = "generate" | "judge" | "scoreDistribution" | "logprobs";

/** A provider's declaration of which {@link ProviderCapability | capabilities} it has. */
export type ProviderCapabilities = Readonly<Record<ProviderCapability, boolean>>;

const CAPABILITY_DESCRIPTIONS: Readonly<Record<ProviderCapability, string>> = {
  generate: "response generation",
  judge: "judge scoring",
  scoreDistribution: "score-token probability distributions",
  logprobs: "teacher-forced log-probabilities",
};

/**
 * Throws a non-retryable {@link ProviderError} with code `unsupported` naming the capability when the
 * provider does not declare it; call it before doing any work that needs the capability.
 */
export function requireCapability(provider: { readonly id: string; readonly capabilities: ProviderCapabilities }, capability: ProviderCapability): void {
  if (!provider.capabilities[capability]) {
    throw new ProviderError(`provider '${provider.id}' does not support capability '${capability}' (${CAPABILITY_DESCRIPTIONS[capability]})`, {
      code: "unsupported",
      provider: provider.id,
    });
  }
}
