import { isProviderError, type LogprobRequest, type LogprobResult, type LogprobScorer, ProviderError, type TokenLogprob, type TokenUsage } from "@cjeval/core";
import { resolveChatTemplate } from "./chat-templates.js";
import type { OpenAIContext } from "./context.js";
import { toProviderError } from "./errors.js";
import { DEFAULT_CHAT_TEMPLATE, DEFAULT_ECHO_MAX_TOKENS, DEFAULT_TEACHER_FORCING_METHOD, type LogprobSettings } from "./options.js";
import { alignResponse, spanLogprob } from "./token-alignment.js";
import { echoRequestBody, type PositionedToken, promptLogprobsRequestBody, readEchoTokens, readPromptLogprobTokens, readUsage } from "./wire.js";

/** Scored text from one call: positioned tokens, where the scored text starts in them, and usage. */
interface ScoredText {
  readonly tokens: PositionedToken[];
  readonly base: number;
  readonly usage?: TokenUsage;
}

const OPENAI_ECHO_REFUSAL = /echo/i;

/** One completions call returning the positioned tokens of `text` by the given method. */
async function scoreText(
  context: OpenAIContext,
  modelId: string,
  text: string,
  method: "echo" | "prompt_logprobs",
  settings: LogprobSettings,
  signal: AbortSignal | undefined,
): Promise<{ value: ScoredText; cached: boolean }> {
  const body =
    method === "echo"
      ? echoRequestBody(modelId, text, settings.echoMaxTokens ?? DEFAULT_ECHO_MAX_TOKENS, settings.temperature)
      : promptLogprobsRequestBody(modelId, text, settings.temperature);
  return context.pipeline.call<ScoredText>({
    model: modelId,
    request: { endpoint: "completions", baseURL: context.baseURL, body },
    signal,
    usageOf: (value) => value.usage,
    run: async (attemptSignal) => {
      let response: unknown;
      try {
        response = await context.client.completions.create(body, { signal: attemptSignal });
      } catch (error) {
        const mapped = toProviderError(error, context.id);
        if (method === "echo" && mapped.code === "bad_request" && OPENAI_ECHO_REFUSAL.test(mapped.message)) {
          throw new ProviderError(
            `${context.id} refused echo with logprobs (${mapped.message}); OpenAI's own API does so for all current models: ` +
              "teacher forcing needs an OpenAI-compatible server such as vLLM or Together",
            { code: "unsupported", provider: context.id, status: mapped.status },
          );
        }
        throw mapped;
      }
      const usage = readUsage((response as { usage?: Parameters<typeof readUsage>[0] }).usage);
      const scored = method === "echo" ? readEchoTokens(response, text, context.id) : { tokens: readPromptLogprobTokens(response, text, context.id), base: 0 };
      return usage === undefined ? scored : { ...scored, usage };
    },
  });
}

function addUsage(a: TokenUsage | undefined, b: TokenUsage | undefined): TokenUsage | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
}

/** Teacher forcing by one method: one call, or two (text with and without the reply) when a token straddles the boundary. */
async function scoreBy(
  context: OpenAIContext,
  modelId: string,
  method: "echo" | "prompt_logprobs",
  prefix: string,
  reply: string,
  settings: LogprobSettings,
  signal: AbortSignal | undefined,
): Promise<LogprobResult> {
  const full = prefix + reply;
  const one = await scoreText(context, modelId, full, method, settings, signal);
  const { tokens, base } = one.value;
  const aligned = alignResponse(tokens, base + prefix.length, base + full.length, context.id);
  if (aligned.kind === "aligned") {
    const total = aligned.tokens.reduce((acc, t) => acc + t.logprob, 0);
    return withUsage({ total, tokens: aligned.tokens, method, cached: one.cached }, one.value.usage);
  }
  // No token boundary at the prompt's end: log p(reply | prefix) = log p(prefix + reply) − log p(prefix).
  const two = await scoreText(context, modelId, prefix, method, settings, signal);
  const total = Math.min(
    0,
    spanLogprob(tokens, base, base + full.length, context.id) - spanLogprob(two.value.tokens, two.value.base, two.value.base + prefix.length, context.id),
  );
  const replyTokens: TokenLogprob[] = tokens
    .slice(aligned.at)
    .filter((t) => t.offset < base + full.length)
    .map((t) => ({ token: t.token, logprob: t.logprob ?? 0 }));
  return withUsage({ total, tokens: replyTokens, method: `${method}_two_call`, cached: one.cached && two.cached }, addUsage(one.value.usage, two.value.usage));
}

function withUsage(result: LogprobResult, usage: TokenUsage | undefined): LogprobResult {
  return usage === undefined ? result : { ...result, usage };
}

/**
 * A {@link LogprobScorer} by teacher forcing on an OpenAI-compatible completions endpoint: the policy's
 * chat template renders the prompt (and system prompt), the reply (plus end-of-turn marker) is appended,
 * and the reply's tokens are found by their character offsets. When no token boundary falls at the end of
 * the prompt, it falls back to two calls (method `*_two_call`, whose `total` is the difference of two sums).
 * A server that cannot return prompt log-probs yields an `unsupported` {@link ProviderError} saying why.
 */
export function openAILogprobScorer(context: OpenAIContext, modelId: string, settings: LogprobSettings = {}): LogprobScorer {
  const template = resolveChatTemplate(settings.chatTemplate ?? DEFAULT_CHAT_TEMPLATE);
  const method = settings.method ?? DEFAULT_TEACHER_FORCING_METHOD;
  let working: "echo" | "prompt_logprobs" | undefined = method === "auto" ? undefined : method;
  return {
    modelId,
    async score(request: LogprobRequest): Promise<LogprobResult> {
      const prefix = template.prompt(request.system === undefined ? { prompt: request.prompt } : { system: request.system, prompt: request.prompt });
      const reply = request.response + (settings.includeEndOfTurn === false ? "" : template.endOfTurn);
      if (working !== undefined) return scoreBy(context, modelId, working, prefix, reply, settings, request.signal);
      try {
        const result = await scoreBy(context, modelId, "echo", prefix, reply, settings, request.signal);
        working = "echo";
        return result;
      } catch (echoError) {
        if (!isProviderError(echoError) || echoError.code !== "unsupported") throw echoError;
        try {
          const result = await scoreBy(context, modelId, "prompt_logprobs", prefix, reply, settings, request.signal);
          working = "prompt_logprobs";
          return result;
        } catch (vllmError) {
          if (!isProviderError(vllmError) || vllmError.code !== "unsupported") throw vllmError;
          throw new ProviderError(`${context.id} supports no teacher forcing: echo: ${echoError.message}; prompt_logprobs: ${vllmError.message}`, {
            code: "unsupported",
            provider: context.id,
          });
        }
      }
    },
  };
}
