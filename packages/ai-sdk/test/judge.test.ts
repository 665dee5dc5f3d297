import { MemoryCache } from "@cjeval/provider-utils";
import { chatCompletion, type LoopbackServer } from "@cjeval/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { createAiSdkProvider } from "../src/provider.js";
import { type ChatBody, compatProvider, LOOP, loopLogprobs, serveChat } from "./helpers/compat.js";

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const body = (s: LoopbackServer, i = 0) => JSON.parse(s.requests[i].body) as ChatBody;
const scoreToken = (token: string, p: number, top: Array<[string, number]>) => ({
  token,
  logprob: Math.log(p),
  top: top.map(([t, q]) => [t, Math.log(q)] as [string, number]),
});

describe("AI SDK judge (@ai-sdk/openai-compatible on a loopback server)", () => {
  it("sends the default rubric greedily through generateText and reads the score, without log-probs unless configured", async () => {
    server = await serveChat(() => chatCompletion("80"));
    const provider = createAiSdkProvider({ id: "compat", model: compatProvider(server) });
    expect(provider.capabilities).toEqual({ generate: true, judge: true, scoreDistribution: false, logprobs: false });
    const result = await provider.judge("judge-model").judge({ prompt: "Capital of France?", response: "Paris." });
    const sent = body(server);
    expect(sent).toMatchObject({ model: "judge-model", temperature: 0, max_tokens: 16 });
    expect(sent.logprobs).toBeUndefined();
    expect(sent.messages).toHaveLength(1);
    expect(sent.messages[0].content).toContain("[User prompt]\nCapital of France?");
    expect(sent.messages[0].content).toContain("[Assistant response]\nParis.");
    expect(result).toMatchObject({
      score: 0.8,
      nativeScore: 80,
      raw: "80",
      scale: { min: 0, max: 100 },
      cached: false,
      usage: { inputTokens: 50, outputTokens: 1 },
    });
    expect(result.distribution).toBeUndefined();
    expect(() => provider.judge("j", { topLogprobs: 5 })).toThrow(/scoreDistribution/);
  });

  it("reads the score distribution from top log-probs in the provider metadata", async () => {
    server = await serveChat(() =>
      chatCompletion("80", {
        logprobs: [
          scoreToken("80", 0.6, [
            ["80", 0.6],
            ["90", 0.2],
            ["85", 0.1],
            ["I", 0.05],
          ]),
        ],
      }),
    );
    const provider = createAiSdkProvider({ id: "compat", model: compatProvider(server), logprobRequest: loopLogprobs });
    expect(provider.capabilities.scoreDistribution).toBe(true);
    const result = await provider.judge("judge-model").judge({ prompt: "q", response: "a" });
    expect(body(server)).toMatchObject({ logprobs: true, top_logprobs: 20, temperature: 0 });
    expect(result.distribution?.coveredMass).toBeCloseTo(0.9, 12);
    expect(result.distribution?.expectedNative).toBeCloseTo((80 * 0.6 + 90 * 0.2 + 85 * 0.1) / 0.9, 10);
    expect(result.distribution?.argmaxNative).toBe(80);
    await provider.judge("judge-model", { topLogprobs: 0 }).judge({ prompt: "q", response: "a" });
    expect(body(server, 1).logprobs).toBeUndefined();
  });

  it("asks for structured output through generateObject in json mode, with a custom template, scale and system prompt", async () => {
    server = await serveChat(() => chatCompletion('{"reasoning":"Accurate.","score":9}'));
    const provider = createAiSdkProvider({ id: "compat", model: compatProvider(server), logprobRequest: loopLogprobs });
    const judge = provider.judge("j", { template: "Q={prompt} A={response}", scale: { min: 1, max: 10 }, system: "You grade.", output: "json" });
    const result = await judge.judge({ prompt: "q", response: "a" });
    const sent = body(server);
    expect(sent.messages).toEqual([
      { role: "system", content: "You grade." },
      { role: "user", content: "Q=q A=a" },
    ]);
    expect(sent.logprobs).toBeUndefined();
    expect(sent.max_tokens).toBe(512);
    expect(sent.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "judge_score" } });
    expect(result).toMatchObject({ nativeScore: 9, score: 8 / 9 });
    expect(JSON.parse(result.raw)).toEqual({ reasoning: "Accurate.", score: 9 });
  });

  it("falls back to the shared score parser when structured output does not parse", async () => {
    server = await serveChat(() => chatCompletion("Reasoning: fine. Score: 7/10"));
    const judge = createAiSdkProvider({ id: "compat", model: compatProvider(server) }).judge("j", { output: "json", scale: { min: 0, max: 10 } });
    const result = await judge.judge({ prompt: "q", response: "a" });
    expect(result).toMatchObject({ nativeScore: 7, raw: "Reasoning: fine. Score: 7/10" });
    expect(server.requests).toHaveLength(1);
  });

  it("reports refusals and unusable answers as final failures with the raw text, once each", async () => {
    const replies = [
      chatCompletion("I'm sorry, I cannot rate this."),
      chatCompletion("Score: 150"),
      chatCompletion("Looks fine to me."),
      chatCompletion("", { finish: "content_filter" }),
    ];
    server = await serveChat((_body, i) => replies[i]);
    const judge = createAiSdkProvider({ id: "compat", model: compatProvider(server) }).judge("j");
    const outcomes = [];
    for (let i = 0; i < replies.length; i++) outcomes.push(await judge.judge({ prompt: "q", response: "a" }).catch((error: unknown) => error));
    expect(outcomes.map((e) => (e as { code: string }).code)).toEqual(["refusal", "invalid_output", "invalid_output", "refusal"]);
    expect(outcomes.map((e) => (e as { retryable: boolean }).retryable)).toEqual([false, false, false, false]);
    expect((outcomes[1] as { raw: string }).raw).toBe("Score: 150");
    expect(server.requests).toHaveLength(4);
  });

  it("caches answers (no second request), keeps usage per model and prices it", async () => {
    server = await serveChat(() => chatCompletion("60", { usage: { prompt: 1_000_000, completion: 1_000_000 } }));
    const cache = new MemoryCache();
    const provider = createAiSdkProvider({
      id: "compat",
      model: compatProvider(server),
      cache,
      prices: { "judge-model": { inputPerMillion: 1, outputPerMillion: 2 } },
    });
    const judge = provider.judge("judge-model");
    const first = await judge.judge({ prompt: "q", response: "a" });
    const second = await judge.judge({ prompt: "q", response: "a" });
    expect([first.cached, second.cached]).toEqual([false, true]);
    expect(second.nativeScore).toBe(60);
    expect(server.requests).toHaveLength(1);
    await provider.judge("other-model").judge({ prompt: "q", response: "a" });
    expect(provider.usage.byModel()).toEqual([
      { model: "judge-model", requests: 1, cachedRequests: 1, inputTokens: 1_000_000, outputTokens: 1_000_000, costUsd: 3 },
      { model: "other-model", requests: 1, cachedRequests: 0, inputTokens: 1_000_000, outputTokens: 1_000_000, costUsd: null },
    ]);
    expect(provider.usage.totals()).toMatchObject({ costUsd: 3, unpricedModels: ["other-model"] });
  });

  it("sends provider options and headers with every call; headers stay out of cache keys", async () => {
    server = await serveChat(() => chatCompletion("50"));
    const cache = new MemoryCache();
    const make = (token: string) =>
      createAiSdkProvider({ id: "compat", model: compatProvider(server!), cache, headers: { "x-team": token }, providerOptions: { [LOOP]: { user: "cje" } } });
    await make("a").judge("j").judge({ prompt: "q", response: "a" });
    const again = await make("b").judge("j").judge({ prompt: "q", response: "a" });
    expect(again.cached).toBe(true);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].headers["x-team"]).toBe("a");
    expect(body(server)).toMatchObject({ user: "cje" });
  });
});
