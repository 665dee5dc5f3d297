/**
 * `@cjeval/openai`: CJE judge, generator and teacher-forced log-prob adapters for OpenAI and
 * OpenAI-compatible servers (vLLM, Together, Fireworks, llama.cpp), on the official `openai` client.
 *
 * @packageDocumentation
 */
export type { JudgeSettings } from "@cjeval/provider-utils";
export { OPENAI_CAPABILITIES } from "./capabilities.js";
export { CHAT_TEMPLATES, type ChatTemplate, type ChatTemplateName, resolveChatTemplate } from "./chat-templates.js";
export type { GeneratorSettings } from "./generator.js";
export type { LogprobSettings, TeacherForcingMethod } from "./logprobs.js";
export { createOpenAI, OPENAI_BASE_URL, type OpenAIProvider, type OpenAIProviderOptions } from "./provider.js";
