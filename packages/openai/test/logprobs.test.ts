import {
  echoCompletion,
  llamaCppCompletion,
  promptLogprobsCompletion,
  startLoopbackServer,
  toyLogprob,
  type LoopbackServer,
  sendJson,
} from "@cjeval/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenAI } from "../src/provider.js";

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Body = { prompt: string; echo?: boolean; max_tokens?: number; prompt_logprobs?: number; logprobs?: number };
const bodies = (s: LoopbackServer): Body[] => s.requests.map((r) => JSON.parse(r.body) as Body);
const sum = (tokens: string[]): number => tokens.reduce((acc, t) => acc + toyLogprob(t), 0);

async function serve(answer: (body: Body) => { status?: number; body: unknown }): Promise<LoopbackServer> {
  server = await startLoopbackServer((req, res) => {
    const out = answer(JSON.parse(req.body) as Body);
    sendJson(res, out.status ?? 200, out.body);
  });
  return server;
}

describe("teacher forcing via echo", () => {
  it("applies the chat template and sums the reply's tokens (end-of-turn included), not the prompt's", async () => {
    const s = await serve((body) => ({ body: echoCompletion(body.prompt) }));
    const openai = createOpenAI({ baseURL: `${s.url}/v1`, apiKey: "k-test" });
    const result = await openai.logprobScorer("m").score({ prompt: "What is 2+2?", response: "It is 4.", system: "Be brief." });
    const prefix = "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n";
    const [request] = bodies(s);
    expect(request).toMatchObject({ prompt: `${prefix}It is 4.<|im_end|>`, echo: true, logprobs: 1, max_tokens: 0 });
    expect(result.method).toBe("echo");
    expect(result.tokens.map((t) => t.token)).toEqual(["It", " is", " 4.<|im_end|>"]);
    expect(result.total).toBeCloseTo(sum(["It", " is", " 4.<|im_end|>"]), 12);
    expect(result.total).toBeLessThanOrEqual(0);
    expect(openai.usage.totals().requests).toBe(1);
  });

  it("drops a generated token when the server must generate one (max_tokens 1)", async () => {
    const s = await serve((body) => ({ body: echoCompletion(body.prompt, { generated: [" extra"] }) }));
    const openai = createOpenAI({ baseURL: s.url, apiKey: "k" });
    const scorer = openai.logprobScorer("m", { chatTemplate: "plain", echoMaxTokens: 1 });
    const result = await scorer.score({ prompt: "hello", response: " world again" });
    expect(bodies(s)[0]).toMatchObject({ prompt: "user: hello\nassistant: world again", max_tokens: 1 });
    expect(result.tokens.map((t) => t.token)).toEqual([" world", " again"]);
    expect(result.total).toBeCloseTo(sum([" world", " again"]), 12);
  });

  it("falls back to two calls when a token straddles the prompt/response boundary", async () => {
    const s = await serve((body) => ({ body: echoCompletion(body.prompt) }));
    const openai = createOpenAI({ baseURL: s.url, apiKey: "k" });
    const result = await openai.logprobScorer("m", { chatTemplate: "none" }).score({ prompt: "x Say hi", response: "gh there" });
    expect(bodies(s).map((b) => b.prompt)).toEqual(["x Say high there", "x Say hi"]);
    expect(result.method).toBe("echo_two_call");
    expect(result.total).toBeCloseTo(sum([" Say", " high", " there"]) - sum([" Say", " hi"]), 12);
  });

  it("reports OpenAI's refusal of echo as unsupported, without retrying", async () => {
    const s = await serve(() => ({
      status: 400,
      body: { error: { message: "Setting 'echo' and 'logprobs' at the same time is not supported for this model.", type: "invalid_request_error" } },
    }));
    const openai = createOpenAI({ baseURL: s.url, apiKey: "k" });
    const error = await openai
      .logprobScorer("gpt-3.5-turbo-instruct", { method: "echo" })
      .score({ prompt: "a", response: "b" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "unsupported", retryable: false });
    expect(String((error as Error).message)).toMatch(/vLLM/);
    expect(s.requests).toHaveLength(1);
  });

  it("detects llama.cpp's server (generated-token log-probs only) and says so", async () => {
    const s = await serve(() => ({ body: llamaCppCompletion() }));
    const openai = createOpenAI({ baseURL: s.url, apiKey: "k" });
    const error = await openai
      .logprobScorer("tiny")
      .score({ prompt: "a", response: "b" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "unsupported" });
    expect((error as Error).message).toMatch(/llama\.cpp/);
    expect((error as Error).message).toMatch(/prompt_logprobs/);
    expect(s.requests).toHaveLength(2); // echo probe, then the prompt_logprobs probe
  });

  it("rejects positive log-probs from a broken server", async () => {
    const s = await serve((body) => {
      const answer = echoCompletion(body.prompt) as { choices: Array<{ logprobs: { token_logprobs: Array<number | null> } }> };
      const lps = answer.choices[0].logprobs.token_logprobs;
      lps[lps.length - 1] = 0.7;
      return { body: answer };
    });
    const openai = createOpenAI({ baseURL: s.url, apiKey: "k" });
    await expect(openai.logprobScorer("m").score({ prompt: "a b", response: "c d" })).rejects.toMatchObject({ code: "invalid_output" });
  });
});

describe("teacher forcing via vLLM prompt_logprobs", () => {
  it("reads the prompt token's own entry and finds the reply by decoded offsets", async () => {
    const s = await serve((body) => ({ body: promptLogprobsCompletion(body.prompt) }));
    const openai = createOpenAI({ baseURL: s.url, apiKey: "k" });
    const result = await openai.logprobScorer("m", { method: "prompt_logprobs", chatTemplate: "plain" }).score({ prompt: "Hi", response: " Hello there" });
    const [request] = bodies(s);
    expect(request).toMatchObject({ prompt: "user: Hi\nassistant: Hello there", prompt_logprobs: 0, max_tokens: 1 });
    expect(request.echo).toBeUndefined();
    expect(result.method).toBe("prompt_logprobs");
    expect(result.tokens.map((t) => t.token)).toEqual([" Hello", " there"]);
    expect(result.total).toBeCloseTo(sum([" Hello", " there"]), 12);
  });

  it("auto mode falls back from a refused echo to prompt_logprobs and keeps that method", async () => {
    const s = await serve((body) =>
      body.echo === true
        ? { status: 400, body: { error: { message: "echo is not supported with prompt embeddings" } } }
        : { body: promptLogprobsCompletion(body.prompt) },
    );
    const openai = createOpenAI({ baseURL: s.url, apiKey: "k" });
    const scorer = openai.logprobScorer("m", { chatTemplate: "plain" });
    await scorer.score({ prompt: "one", response: " two three" });
    const second = await scorer.score({ prompt: "four", response: " five six" });
    expect(second.method).toBe("prompt_logprobs");
    expect(bodies(s).map((b) => (b.echo === true ? "echo" : "prompt_logprobs"))).toEqual(["echo", "prompt_logprobs", "prompt_logprobs"]);
  });
});
