import type { ProviderCapabilities } from "@cjeval/core";

/** Anthropic's Messages API generates and judges but returns no log-probs (no score distributions, no teacher forcing). */
export const ANTHROPIC_CAPABILITIES: ProviderCapabilities = { generate: true, judge: true, scoreDistribution: false, logprobs: false };
