/**
 * `@cjeval/ai-sdk`: CJE judge and generator adapters for any Vercel AI SDK (v5, v6) `LanguageModel` —
 * Google, Vertex, Bedrock, Mistral, Groq, Ollama, the AI Gateway, your own middleware — on the shared call
 * pipeline of `@cjeval/provider-utils`.
 *
 * @packageDocumentation
 */
export type { GeneratorSettings, JudgeSettings } from "@cjeval/provider-utils";
export { aiSdkCapabilities } from "./capabilities.js";
export { headerReader, providerErrorFromApiCall, toProviderError } from "./errors.js";
export { aiSdkJudgeDefaults, JUDGE_SCHEMA_NAME } from "./judge.js";
export {
  type AiSdkProviderOptions,
  AiSdkProviderOptionsSchema,
  type CallProviderOptions,
  type LanguageModelFactory,
  type LogprobRequest,
} from "./options.js";
export { AI_SDK_PRICES } from "./prices.js";
export { type AiSdkProvider, createAiSdkProvider } from "./provider.js";
export { readTopLogprobs } from "./wire.js";
