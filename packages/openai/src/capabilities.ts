import type { ProviderCapabilities } from "@cjeval/core";

/** What OpenAI-compatible servers can do; teacher forcing is feature-detected per server at call time. */
export const OPENAI_CAPABILITIES: ProviderCapabilities = { generate: true, judge: true, scoreDistribution: true, logprobs: true };
