import { chatCompletion, type LoopbackServer } from "@cjeval/test-utils";
import type { LanguageModel } from "ai";
import { afterEach, describe, expect, it } from "vitest";
import { createAiSdkProvider } from "../src/provider.js";
import { type ChatBody, compatProvider, serveChat } from "./helpers/compat.js";

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A hand-written AI SDK model (specification v2, which AI SDK 5 and 6 both run) that ignores seeds, as many providers do. */
function seedlessModel(calls: { n: number }): LanguageModel {
  return {
    specificationVersion: "v2",
    provider: "seedless.chat",
    modelId: "m",
    supportedUrls: {},
    doGenerate: async () => {
      calls.n += 1;
      return {
        content: [{ type: "text", text: "hello" }],
        finishReason: "stop",
        usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 },
        warnings: [{ type: "unsupported-setting", setting: "seed" }],
      };
    },
    doStream: async () => {
      throw new Error("not used");
    },
  } as unknown as LanguageModel;
}

describe("AI SDK generator", () => {
  it("sends system prompt, temperature, output token limit and seed; request fields override the policy's", async () => {
    server = await serveChat(() => chatCompletion("Paris.", { finish: "stop", usage: { prompt: 12, completion: 2 } }));
    const provider = createAiSdkProvider({ id: "compat", model: compatProvider(server) });
    const generator = provider.generator("policy-model", { system: "Be brief.", temperature: 0.7, maxTokens: 64, seed: 11 });
    const result = await generator.generate({ prompt: "Capital of France?" });
    expect(result).toEqual({ text: "Paris.", finishReason: "stop", usage: { inputTokens: 12, outputTokens: 2 }, cached: false });
    expect(JSON.parse(server.requests[0].body) as ChatBody).toMatchObject({
      model: "policy-model",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Capital of France?" },
      ],
      temperature: 0.7,
      max_tokens: 64,
      seed: 11,
    });
    await generator.generate({ prompt: "p", temperature: 0, maxTokens: 5, seed: 3, system: "Other." });
    expect(JSON.parse(server.requests[1].body) as ChatBody).toMatchObject({
      temperature: 0,
      max_tokens: 5,
      seed: 3,
      messages: [
        { role: "system", content: "Other." },
        { role: "user", content: "p" },
      ],
    });
    const plain = await provider.generator("policy-model").generate({ prompt: "p" });
    expect(plain.text).toBe("Paris.");
    const sent = JSON.parse(server.requests[2].body) as ChatBody;
    expect([sent.temperature, sent.max_tokens, sent.seed]).toEqual([undefined, undefined, undefined]);
  });

  it("fails a seeded policy on a model that ignores seeds (once; then without calling), and runs it unseeded", async () => {
    const calls = { n: 0 };
    const provider = createAiSdkProvider({ id: "seedless", model: () => seedlessModel(calls) });
    const generator = provider.generator("m", { seed: 1 });
    await expect(generator.generate({ prompt: "p" })).rejects.toMatchObject({
      code: "unsupported",
      retryable: false,
      message: expect.stringContaining("seed"),
    });
    await expect(generator.generate({ prompt: "q" })).rejects.toMatchObject({ code: "unsupported" });
    expect(calls.n).toBe(1);
    expect(await provider.generator("m").generate({ prompt: "p" })).toMatchObject({ text: "hello", usage: { inputTokens: 3, outputTokens: 1 } });
  });

  it("declares teacher forcing unsupported unless given a log-prob scorer, which it then serves", async () => {
    const provider = createAiSdkProvider({ id: "compat", model: seedlessModel.bind(null, { n: 0 }) });
    expect(() => provider.logprobScorer("m")).toThrow(expect.objectContaining({ code: "unsupported", message: expect.stringContaining("logprobs") }));
    const scorer = { modelId: "m", score: async () => ({ tokens: [], total: -1, method: "echo" }) } as never;
    const withScorer = createAiSdkProvider({ id: "compat", model: seedlessModel.bind(null, { n: 0 }), logprobScorer: () => scorer });
    expect(withScorer.capabilities.logprobs).toBe(true);
    expect(withScorer.logprobScorer("m")).toBe(scorer);
  });

  it("rejects invalid options naming the field", () => {
    expect(() => createAiSdkProvider({ id: "", model: () => "x" })).toThrow(expect.objectContaining({ location: expect.objectContaining({ field: "id" }) }));
    expect(() => createAiSdkProvider({ id: "a", model: "google" as never })).toThrow(
      expect.objectContaining({ location: expect.objectContaining({ field: "model" }) }),
    );
    expect(() => createAiSdkProvider({ id: "a", model: () => "x", concurrency: 0 })).toThrow(
      expect.objectContaining({ location: expect.objectContaining({ field: "concurrency" }) }),
    );
    expect(() => createAiSdkProvider({ id: "a", model: () => undefined as never }).judge("m")).toThrow(/returned no LanguageModel/);
  });
});
