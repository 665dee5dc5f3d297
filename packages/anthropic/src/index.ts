/**
 * `@cjeval/anthropic`: CJE judge and generator adapters for Anthropic models, on the official
 * `@anthropic-ai/sdk` client. Log-probs are declared unsupported.
 *
 * @packageDocumentation
 */
export type { JudgeSettings } from "@cjeval/provider-utils";
export { ANTHROPIC_CAPABILITIES } from "./capabilities.js";
export type { GeneratorSettings } from "./generator.js";
export { ANTHROPIC_BASE_URL, type AnthropicProvider, type AnthropicProviderOptions, createAnthropic } from "./provider.js";
