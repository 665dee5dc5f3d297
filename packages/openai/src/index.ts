/**
 * `@cjeval/openai`: CJE judge, generator and teacher-forced log-prob adapters for OpenAI and
 * OpenAI-compatible servers (vLLM, Together, Fireworks, llama.cpp), on the official `openai` client.
 *
 * @packageDocumentation
 */
export type { GeneratorSettings, JudgeSettings } from "@cjeval/provider-utils";
export { OPENAI_CAPABILITIES } from "./capabilities.js";
export { CHAT_TEMPLATES, type ChatTemplate, type ChatTemplateName, resolveChatTemplate } from "./chat-templates.js";
export { OPENAI_JUDGE_DEFAULTS } from "./judge.js";
export {
  DEFAULT_CHAT_TEMPLATE,
  DEFAULT_ECHO_MAX_TOKENS,
  DEFAULT_TEACHER_FORCING_METHOD,
  type LogprobSettings,
  LogprobSettingsSchema,
  type OpenAIProviderOptions,
  OpenAIProviderOptionsSchema,
  TEACHER_FORCING_METHODS,
  type TeacherForcingMethod,
  TOKEN_LIMIT_FIELDS,
} from "./options.js";
export { OPENAI_PRICES } from "./prices.js";
export { createOpenAI, OPENAI_API_KEY_ENV, OPENAI_BASE_URL, type OpenAIProvider } from "./provider.js";
