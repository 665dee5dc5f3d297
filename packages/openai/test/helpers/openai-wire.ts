/** Builders of OpenAI wire-format bodies and a toy tokenizer with deterministic log-probs, for loopback servers. */

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

/** A chat completion with `content`, optional per-token top log-probs and usage. */
export function chatCompletion(
  content: string | null,
  options: { logprobs?: Array<{ token: string; logprob: number; top: Array<[string, number]> }>; refusal?: string; finish?: string } = {},
): unknown {
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 1,
    model: "test-model",
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
    usage: { prompt_tokens: 50, completion_tokens: 1, total_tokens: 51 },
  };
}

/**
 * A legacy completion echoing `prompt` with toy log-probs (first token `null`), the way vLLM answers
 * `echo: true, logprobs: 1`; `generated` tokens are appended after the echo (for `max_tokens: 1`).
 */
export function echoCompletion(prompt: string, generated: string[] = []): unknown {
  const tokens = [...tokenize(prompt), ...generated];
  const offsets: number[] = [];
  let at = 0;
  for (const t of tokens) {
    offsets.push(at);
    at += t.length;
  }
  return {
    id: "cmpl-test",
    object: "text_completion",
    created: 1,
    model: "test-model",
    choices: [
      {
        index: 0,
        finish_reason: "length",
        text: tokens.join(""),
        logprobs: {
          tokens,
          token_logprobs: tokens.map((t, i) => (i === 0 ? null : toyLogprob(t))),
          text_offset: offsets,
          top_logprobs: tokens.map((t, i) => (i === 0 ? null : { [t]: toyLogprob(t) })),
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
