import { ConnectionOptionsSchema, PipelineSettingsSchema } from "@cjeval/provider-utils";
import { z } from "zod";
import type { ChatTemplate } from "./chat-templates.js";

/** Body fields that carry the output token limit. */
export const TOKEN_LIMIT_FIELDS = ["max_tokens", "max_completion_tokens"] as const;

/**
 * Options of {@link createOpenAI}: the connection (`apiKey`, `apiKeyEnv`, `baseURL`, `headers`, `id`,
 * `fetch`), the shared pipeline settings (`concurrency`, `timeoutMs`, retries, `prices`, `cache`, hooks),
 * and OpenAI's own `organization` and `tokenLimitField`.
 */
export const OpenAIProviderOptionsSchema = z.object({
  ...ConnectionOptionsSchema.shape,
  ...PipelineSettingsSchema.shape,
  /** OpenAI organization id sent with every request (default: none). */
  organization: z.string().min(1).optional(),
  /** Body field of the output token limit; default `max_completion_tokens` on OpenAI, `max_tokens` elsewhere. */
  tokenLimitField: z.enum(TOKEN_LIMIT_FIELDS).optional(),
});

/** Options of {@link createOpenAI} (see {@link OpenAIProviderOptionsSchema}). */
export type OpenAIProviderOptions = Readonly<z.infer<typeof OpenAIProviderOptionsSchema>>;

/**
 * How to obtain prompt-token log-probs:
 * - `echo`: legacy completions with `echo: true, logprobs: 1` (vLLM, Together, Fireworks, node-llama-cpp shims);
 * - `prompt_logprobs`: vLLM's `prompt_logprobs` extension;
 * - `auto` (default): `echo`, then `prompt_logprobs` if the server does not support echo; the first method that
 *   works is kept for the scorer's later calls.
 */
export const TEACHER_FORCING_METHODS = ["auto", "echo", "prompt_logprobs"] as const;

/** How to obtain prompt-token log-probs (see {@link TEACHER_FORCING_METHODS}). */
export type TeacherForcingMethod = (typeof TEACHER_FORCING_METHODS)[number];

/** The chat template a log-prob scorer uses when none is given (ChatML). */
export const DEFAULT_CHAT_TEMPLATE = "chatml";

/** How a log-prob scorer obtains prompt log-probs when not told: try `echo`, then `prompt_logprobs`. */
export const DEFAULT_TEACHER_FORCING_METHOD: TeacherForcingMethod = "auto";

/** `max_tokens` of echo calls when not told: generate nothing. */
export const DEFAULT_ECHO_MAX_TOKENS = 0;

/** Settings of an OpenAI-compatible log-prob scorer (teacher forcing). */
export const LogprobSettingsSchema = z.object({
  /** Chat template of the policy's model: a built-in name (`chatml`, `llama3`, `plain`, `none`) or your own {@link ChatTemplate} (default {@link DEFAULT_CHAT_TEMPLATE}). */
  chatTemplate: z
    .union([
      z.string().min(1),
      z.custom<ChatTemplate>(
        (value) => typeof value === "object" && value !== null && typeof (value as ChatTemplate).prompt === "function",
        "expected a chat template name or a ChatTemplate { name, prompt, endOfTurn }",
      ),
    ])
    .optional(),
  /** How to obtain prompt log-probs (default {@link DEFAULT_TEACHER_FORCING_METHOD}; see {@link TEACHER_FORCING_METHODS}). */
  method: z.enum(TEACHER_FORCING_METHODS).optional(),
  /** `max_tokens` of echo calls: 0 (default {@link DEFAULT_ECHO_MAX_TOKENS}), or 1 for servers that insist on generating (the token is dropped). */
  echoMaxTokens: z.union([z.literal(0), z.literal(1)]).optional(),
  /** Temperature sent with the call (default: not sent). */
  temperature: z.number().min(0).optional(),
  /** Score the template's end-of-turn marker with the reply (default true: the policy stopped there). */
  includeEndOfTurn: z.boolean().optional(),
});

/** Settings of an OpenAI-compatible log-prob scorer (see {@link LogprobSettingsSchema}). */
export type LogprobSettings = Readonly<z.infer<typeof LogprobSettingsSchema>>;
