/**
 * Request/response mapping between CJE's provider types and the Anthropic Messages wire format.
 *
 * @module
 */
import type { Message, MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages";
import { type GenerateRequest, ProviderError, type TokenUsage } from "@cjeval/core";
import { JUDGE_OUTPUT_JSON_SCHEMA, type JudgeCompletion, type JudgePrompt, type ResolvedJudgeSettings } from "@cjeval/provider-utils";

/**
 * A Messages request body. `temperature` is typed here because SDK 1.14's types no longer list it (newer
 * models fix their sampling); it is sent only when the user sets it.
 */
export type MessagesBody = MessageCreateParamsNonStreaming & { temperature?: number };

/** Name of the tool a JSON-mode judge is forced to call; its input is the structured verdict. */
export const SCORE_TOOL = "record_score";

/** Default output token limit of generations (the Messages API requires one). */
export const DEFAULT_MAX_TOKENS = 1024;

/** Usage in CJE units. */
export function readUsage(message: Message): TokenUsage | undefined {
  const usage = message.usage;
  return usage == null ? undefined : { inputTokens: usage.input_tokens ?? 0, outputTokens: usage.output_tokens ?? 0 };
}

function text(message: Message, provider: string): string {
  if (!Array.isArray(message.content)) throw new ProviderError(`${provider} returned a message without content`, { code: "bad_response", provider });
  return message.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("");
}

/** Messages body of a judge call; in `json` mode a forced tool call carries `{ reasoning, score }`. */
export function judgeRequestBody(modelId: string, settings: ResolvedJudgeSettings, prompt: JudgePrompt): MessagesBody {
  return {
    model: modelId,
    max_tokens: settings.maxTokens,
    ...(settings.temperature === undefined ? {} : { temperature: settings.temperature }),
    ...(prompt.system === undefined ? {} : { system: prompt.system }),
    messages: [{ role: "user", content: prompt.user }],
    ...(settings.output === "json"
      ? {
          tools: [{ name: SCORE_TOOL, description: "Record the score of the response.", input_schema: { ...JUDGE_OUTPUT_JSON_SCHEMA, type: "object" } }],
          tool_choice: { type: "tool", name: SCORE_TOOL },
        }
      : {}),
  };
}

/** Reads a judge's message: text, the forced tool call's input (JSON mode), refusal flag and usage. */
export function readJudgeCompletion(message: Message, provider: string): JudgeCompletion {
  const tool = Array.isArray(message.content) ? message.content.find((block) => block.type === "tool_use" && block.name === SCORE_TOOL) : undefined;
  const usage = readUsage(message);
  return {
    text: text(message, provider),
    ...(tool !== undefined && tool.type === "tool_use" ? { structured: tool.input } : {}),
    ...(message.stop_reason === "refusal" ? { refused: true } : {}),
    ...(usage === undefined ? {} : { usage }),
  };
}

/** Messages body of a policy generation. Anthropic has no sampling seed: asking for one is an error, not ignored. */
export function generateRequestBody(modelId: string, request: GenerateRequest, provider: string): MessagesBody {
  if (request.seed !== undefined) {
    throw new ProviderError(`${provider} has no sampling seed; remove 'seed' from the policy`, { code: "unsupported", provider });
  }
  return {
    model: modelId,
    max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    ...(request.system === undefined ? {} : { system: request.system }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    messages: [{ role: "user", content: request.prompt }],
  };
}

/** A generation as stored in the cache. */
export interface Generation {
  readonly text: string;
  readonly finishReason?: string;
  readonly usage?: TokenUsage;
}

/** Reads a policy's message. */
export function readGeneration(message: Message, provider: string): Generation {
  const usage = readUsage(message);
  return {
    text: text(message, provider),
    ...(message.stop_reason ? { finishReason: message.stop_reason } : {}),
    ...(usage === undefined ? {} : { usage }),
  };
}
