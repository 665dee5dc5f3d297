/**
 * Request/response mapping between CJE's provider types and the OpenAI wire format (chat completions and
 * legacy completions, with the vLLM extensions).
 *
 * @module
 */
import { type GenerateRequest, ProviderError, type TokenUsage } from "@cjeval/core";
import { JUDGE_OUTPUT_JSON_SCHEMA, type JudgeCompletion, type JudgePrompt, type ResolvedJudgeSettings } from "@cjeval/provider-utils";
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { CompletionCreateParamsNonStreaming, CompletionUsage } from "openai/resources/completions";
import { z } from "zod";
import type { OpenAIContext } from "./context.js";

function messages(system: string | undefined, user: string): ChatCompletionMessageParam[] {
  return system === undefined
    ? [{ role: "user", content: user }]
    : [
        { role: "system", content: system },
        { role: "user", content: user },
      ];
}

function tokenLimit(context: OpenAIContext, maxTokens: number | undefined): Record<string, number> {
  return maxTokens === undefined ? {} : { [context.tokenLimitField]: maxTokens };
}

/** Usage in CJE units; `undefined` when the server sent none. */
export function readUsage(usage: CompletionUsage | undefined | null): TokenUsage | undefined {
  return usage == null ? undefined : { inputTokens: usage.prompt_tokens ?? 0, outputTokens: usage.completion_tokens ?? 0 };
}

function firstChoice<T>(choices: readonly T[] | undefined, provider: string): T {
  const choice = choices?.[0];
  if (choice === undefined) throw new ProviderError(`${provider} returned no choices`, { code: "bad_response", provider });
  return choice;
}

/** Chat-completions body of a judge call: rubric as the user turn, top log-probs when asked, JSON schema in `json` mode. */
export function judgeRequestBody(
  context: OpenAIContext,
  modelId: string,
  settings: ResolvedJudgeSettings,
  prompt: JudgePrompt,
): ChatCompletionCreateParamsNonStreaming {
  return {
    model: modelId,
    messages: messages(prompt.system, prompt.user),
    ...(settings.temperature === undefined ? {} : { temperature: settings.temperature }),
    ...tokenLimit(context, settings.maxTokens),
    ...(settings.topLogprobs > 0 ? { logprobs: true, top_logprobs: settings.topLogprobs } : {}),
    ...(settings.output === "json"
      ? { response_format: { type: "json_schema", json_schema: { name: "judge_score", strict: true, schema: JUDGE_OUTPUT_JSON_SCHEMA } } }
      : {}),
  };
}

/** Reads a judge's chat completion: text, refusal flag, per-token top log-probs (when present) and usage. */
export function readJudgeCompletion(response: ChatCompletion, provider: string): JudgeCompletion {
  const choice = firstChoice(response.choices, provider);
  const content = choice.logprobs?.content;
  const usage = readUsage(response.usage);
  return {
    text: choice.message?.content ?? "",
    ...(choice.message?.refusal ? { refused: true } : {}),
    ...(content != null && content.length > 0
      ? {
          tokens: content.map((t) => ({
            token: t.token,
            logprob: t.logprob,
            top: (t.top_logprobs ?? []).map((a) => ({ token: a.token, logprob: a.logprob })),
          })),
        }
      : {}),
    ...(usage === undefined ? {} : { usage }),
  };
}

/** Chat-completions body of a policy generation. */
export function generateRequestBody(context: OpenAIContext, modelId: string, request: GenerateRequest): ChatCompletionCreateParamsNonStreaming {
  return {
    model: modelId,
    messages: messages(request.system, request.prompt),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    ...tokenLimit(context, request.maxTokens),
  };
}

/** A generation as stored in the cache. */
export interface Generation {
  readonly text: string;
  readonly finishReason?: string;
  readonly usage?: TokenUsage;
}

/** Reads a policy's chat completion. */
export function readGeneration(response: ChatCompletion, provider: string): Generation {
  const choice = firstChoice(response.choices, provider);
  const usage = readUsage(response.usage);
  return {
    text: choice.message?.content ?? "",
    ...(choice.finish_reason ? { finishReason: choice.finish_reason } : {}),
    ...(usage === undefined ? {} : { usage }),
  };
}

/** Legacy-completions body that echoes `text` with one log-prob per token (`max_tokens` 0, or 1 for servers that need a generated token). */
export function echoRequestBody(modelId: string, text: string, maxTokens: 0 | 1, temperature: number | undefined): CompletionCreateParamsNonStreaming {
  return { model: modelId, prompt: text, echo: true, logprobs: 1, max_tokens: maxTokens, ...(temperature === undefined ? {} : { temperature }) };
}

/** vLLM's extension: log-probs of the prompt tokens themselves (`prompt_logprobs`), one generated token. */
export function promptLogprobsRequestBody(
  modelId: string,
  text: string,
  temperature: number | undefined,
): CompletionCreateParamsNonStreaming & { prompt_logprobs: number } {
  return { model: modelId, prompt: text, max_tokens: 1, prompt_logprobs: 0, ...(temperature === undefined ? {} : { temperature }) };
}

/** A token of a scored text: its text, log-prob (`null` for the first token, which has no context) and character offset. */
export interface PositionedToken {
  readonly token: string;
  readonly logprob: number | null;
  readonly offset: number;
}

const EchoLogprobsSchema = z.object({
  tokens: z.array(z.string()),
  token_logprobs: z.array(z.number().nullable()),
  text_offset: z.array(z.number()).optional(),
});

const LLAMA_CPP_HINT =
  "it returned log-probs only for generated tokens, not for the echoed prompt (llama.cpp's server behaves this way); " +
  "teacher forcing needs a server that echoes prompt log-probs, such as vLLM or Together";

/**
 * Reads the echoed tokens of a legacy completion (`echo` + `logprobs`), with offsets into `choice.text`
 * from `text_offset` (or token lengths when a server omits it). Throws `unsupported` when the server
 * returned no log-probs, chat-shaped log-probs, or log-probs that do not cover the echoed text.
 */
export function readEchoTokens(response: unknown, echoed: string, provider: string): { tokens: PositionedToken[]; base: number } {
  const choice = firstChoice((response as { choices?: unknown[] }).choices, provider) as { text?: unknown; logprobs?: unknown };
  const logprobs = choice.logprobs;
  if (logprobs == null) {
    throw new ProviderError(`${provider} returned no log-probs for the echoed prompt; ${LLAMA_CPP_HINT}`, { code: "unsupported", provider });
  }
  if (typeof logprobs === "object" && "content" in logprobs && !("tokens" in logprobs)) {
    throw new ProviderError(`${provider} returned chat-shaped log-probs from /completions; ${LLAMA_CPP_HINT}`, { code: "unsupported", provider });
  }
  const parsed = EchoLogprobsSchema.safeParse(logprobs);
  if (!parsed.success || parsed.data.tokens.length !== parsed.data.token_logprobs.length) {
    throw new ProviderError(`${provider} returned log-probs that are not the completions shape (tokens, token_logprobs, text_offset)`, {
      code: "bad_response",
      provider,
    });
  }
  const { tokens, token_logprobs: lps, text_offset: given } = parsed.data;
  const text = typeof choice.text === "string" ? choice.text : tokens.join("");
  const base = text.indexOf(echoed);
  if (base < 0 || tokens.join("").length < echoed.length) {
    throw new ProviderError(`${provider} did not echo the prompt; ${LLAMA_CPP_HINT}`, { code: "unsupported", provider });
  }
  let cumulative = 0;
  const offsets = given !== undefined && given.length === tokens.length ? given : tokens.map((t) => (cumulative += t.length) - t.length);
  return { tokens: tokens.map((token, i) => ({ token, logprob: lps[i], offset: offsets[i] })), base };
}

const PromptLogprobEntry = z.object({ logprob: z.number(), decoded_token: z.string().optional() }).loose();
const PromptLogprobsChoice = z
  .object({
    prompt_logprobs: z.array(z.record(z.string(), PromptLogprobEntry).nullable()),
    prompt_token_ids: z.array(z.number()).optional(),
  })
  .loose();

/**
 * Reads vLLM's `prompt_logprobs` (one `{token_id: {logprob, decoded_token}}` map per prompt token, `null`
 * first) into positioned tokens of `text`. The first token's text is whatever of `text` the decoded rest
 * does not cover (a BOS token covers nothing). Throws `unsupported` when the server ignored the option.
 */
export function readPromptLogprobTokens(response: unknown, text: string, provider: string): PositionedToken[] {
  const body = response as { choices?: unknown[]; prompt_logprobs?: unknown; prompt_token_ids?: unknown };
  const choice = firstChoice(body.choices, provider) as Record<string, unknown>;
  const source = choice.prompt_logprobs !== undefined ? choice : body;
  if (source.prompt_logprobs == null) {
    throw new ProviderError(`${provider} ignored 'prompt_logprobs' (a vLLM extension); use method 'echo' or a vLLM server`, {
      code: "unsupported",
      provider,
    });
  }
  const parsed = PromptLogprobsChoice.safeParse(source);
  if (!parsed.success) {
    throw new ProviderError(`${provider} returned 'prompt_logprobs' in an unknown shape`, { code: "bad_response", provider });
  }
  const { prompt_logprobs: positions, prompt_token_ids: ids } = parsed.data;
  const entries = positions.map((dict, i) => {
    if (dict === null) return null;
    const own = ids?.[i] !== undefined ? dict[String(ids[i])] : undefined;
    const values = Object.values(dict);
    const entry = own ?? (values.length === 1 ? values[0] : undefined);
    if (entry === undefined) {
      throw new ProviderError(`${provider} prompt_logprobs at position ${i} does not identify the prompt token`, { code: "bad_response", provider });
    }
    return entry;
  });
  const rest = entries
    .slice(1)
    .map((e) => e?.decoded_token ?? "")
    .join("");
  if (!text.endsWith(rest)) {
    throw new ProviderError(`${provider} prompt_logprobs tokens do not spell the prompt`, { code: "bad_response", provider });
  }
  let offset = text.length - rest.length;
  const tokens: PositionedToken[] = [{ token: text.slice(0, offset), logprob: entries[0]?.logprob ?? null, offset: 0 }];
  for (const entry of entries.slice(1)) {
    const token = entry?.decoded_token ?? "";
    tokens.push({ token, logprob: entry?.logprob ?? null, offset });
    offset += token.length;
  }
  return tokens;
}
