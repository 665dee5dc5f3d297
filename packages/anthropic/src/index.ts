/**
 * `@cjeval/anthropic`: CJE judge and generator adapters for Anthropic models, on the official
 * `@anthropic-ai/sdk` client. Log-probs are declared unsupported.
 *
 * @packageDocumentation
 */
export type { GeneratorSettings, JudgeSettings } from "@cjeval/provider-utils";
export { ANTHROPIC_CAPABILITIES } from "./capabilities.js";
export { type AnthropicProviderOptions, AnthropicProviderOptionsSchema } from "./options.js";
export { ANTHROPIC_PRICES } from "./prices.js";
export { ANTHROPIC_API_KEY_ENV, ANTHROPIC_BASE_URL, type AnthropicProvider, createAnthropic } from "./provider.js";
export { DEFAULT_MAX_TOKENS } from "./wire.js";
