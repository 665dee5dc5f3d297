/**
 * The fake OpenAI wire every test shares (the adapter's, the runner's and the CLI's): builders of OpenAI
 * wire-format bodies and a toy tokenizer with deterministic log-probs, for loopback servers. Identity and
 * usage fields default to the adapter tests' values; campaign worlds set their own.
 */

/** Splits text GPT-style: a newline is a token; other tokens are runs of non-spaces with their leading spaces. */
export function tokenize(text: string): string[] {
  return text.match(/\n|[ \t]*[^\s]+|[ \t]+/g) ?? [];
}

/** A deterministic log-prob in [−3, −0.5] for `token` (a stand-in for a model). */
export function toyLogprob(token: string): number {
  let h = 7;
  for (const ch of token) h = (h * 31 + ch.charCodeAt(0)) % 1000;
  return -0.5 - (h % 250) / 100;
}

/** Identity and token counts of a wire body. */
export interface WireIdentity {
  /** Response id (default `chatcmpl-test` / `cmpl-test`). */
  readonly id?: string;
  /** Model named in the response (default `test-model`). */
  readonly model?: string;
}

/** Options of {@link chatCompletion}. */
export interface ChatCompletionOptions extends WireIdentity {
  /** Per-token log-probs with their top alternatives. */
  readonly logprobs?: Array<{ token: string; logprob: number; top: Array<[string, number]> }>;
  readonly refusal?: string;
  readonly finish?: string;
  /** Tokens billed (default 50 in, 1 out); `null`: the body has no `usage`. */
  readonly usage?: { readonly prompt: number; readonly completion: number } | null;
}

/** A chat completion with `content`, optional per-token top log-probs and usage. */
export function chatCompletion(content: string | null, options: ChatCompletionOptions = {}): unknown {
  const usage = options.usage === undefined ? { prompt: 50, completion: 1 } : options.usage;
  return {
    id: options.id ?? "chatcmpl-test",
    object: "chat.completion",
    created: 1,
    model: options.model ?? "test-model",
    choices: [
      {
        index: 0,
        finish_reason: options.finish ?? "stop",
        message: { role: "assistant", content, refusal: options.refusal ?? null },
        logprobs:
          options.logprobs === undefined
            ? null
            : {
                content: options.logprobs.map((t) => ({
                  token: t.token,
                  logprob: t.logprob,
                  bytes: null,
                  top_logprobs: t.top.map(([token, logprob]) => ({ token, logprob, bytes: null })),
                })),
                refusal: null,
              },
      },
    ],
    ...(usage === null ? {} : { usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion } }),
  };
}

/** Options of {@link echoCompletion}. */
export interface EchoCompletionOptions extends WireIdentity {
  /** Tokens appended after the echo (for `max_tokens: 1`). */
  readonly generated?: string[];
  /** The prompt's tokens (default {@link tokenize}). */
  readonly tokens?: string[];
  /** Log-prob of a token (default {@link toyLogprob}); the first token's is always `null`. */
  readonly logprob?: (token: string) => number;
  /** Whether each token also carries its top log-probs (default true; `false`: `top_logprobs: null`). */
  readonly topLogprobs?: boolean;
}

/**
 * A legacy completion echoing `prompt` with toy log-probs (first token `null`), the way vLLM answers
 * `echo: true, logprobs: 1`; `generated` tokens are appended after the echo (for `max_tokens: 1`).
 */
export function echoCompletion(prompt: string, options: EchoCompletionOptions = {}): unknown {
  const generated = options.generated ?? [];
  const logprob = options.logprob ?? toyLogprob;
  const tokens = [...(options.tokens ?? tokenize(prompt)), ...generated];
  const offsets: number[] = [];
  let at = 0;
  for (const t of tokens) {
    offsets.push(at);
    at += t.length;
  }
  return {
    id: options.id ?? "cmpl-test",
    object: "text_completion",
    created: 1,
    model: options.model ?? "test-model",
    choices: [
      {
        index: 0,
        finish_reason: "length",
        text: tokens.join(""),
        logprobs: {
          tokens,
          token_logprobs: tokens.map((t, i) => (i === 0 ? null : logprob(t))),
          text_offset: offsets,
          top_logprobs: options.topLogprobs === false ? null : tokens.map((t, i) => (i === 0 ? null : { [t]: logprob(t) })),
        },
      },
    ],
    usage: { prompt_tokens: tokens.length, completion_tokens: generated.length, total_tokens: tokens.length + generated.length },
  };
}

/** vLLM's `prompt_logprobs` answer for `prompt` (BOS token id 1 first, then one entry per toy token). */
export function promptLogprobsCompletion(prompt: string): unknown {
  const tokens = tokenize(prompt);
  const ids = [1, ...tokens.map((_, i) => 100 + i)];
  return {
    id: "cmpl-vllm",
    object: "text_completion",
    created: 1,
    model: "test-model",
    choices: [
      {
        index: 0,
        finish_reason: "length",
        text: " x",
        logprobs: null,
        prompt_token_ids: ids,
        prompt_logprobs: [
          null,
          ...tokens.map((t, i) => ({
            [String(100 + i)]: { logprob: toyLogprob(t), rank: 1, decoded_token: t },
            "99999": { logprob: -0.01, rank: 1, decoded_token: "zz" },
          })),
        ],
      },
    ],
    usage: { prompt_tokens: ids.length, completion_tokens: 1, total_tokens: ids.length + 1 },
  };
}

/** What llama.cpp's server answers to an echo request: one generated token, chat-shaped log-probs. */
export function llamaCppCompletion(): unknown {
  return {
    id: "cmpl-llama",
    object: "text_completion",
    created: 1,
    model: "tiny",
    choices: [
      {
        index: 0,
        finish_reason: "length",
        text: " relatives",
        logprobs: { content: [{ id: 7, token: " relatives", logprob: -1.2, bytes: [32], top_logprobs: [] }] },
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 },
  };
}
