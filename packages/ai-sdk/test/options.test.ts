import { MAX_TOP_LOGPROBS, priceFor } from "@cjeval/provider-utils";
import { describe, expect, it } from "vitest";
import { aiSdkCapabilities } from "../src/capabilities.js";
import { aiSdkJudgeDefaults } from "../src/judge.js";
import { AiSdkProviderOptionsSchema } from "../src/options.js";
import { AI_SDK_PRICES } from "../src/prices.js";
import { readTopLogprobs } from "../src/wire.js";

describe("AI SDK options", () => {
  it("are the id, the model factory, the shared pipeline settings and the optional capabilities", () => {
    expect(AiSdkProviderOptionsSchema.safeParse({ id: "google", model: () => "m", concurrency: 2, providerOptions: { google: { x: 1 } } }).success).toBe(true);
    expect(AiSdkProviderOptionsSchema.safeParse({ id: "google" }).success).toBe(false);
    expect(AiSdkProviderOptionsSchema.safeParse({ id: "g", model: () => "m", logprobRequest: 3 }).success).toBe(false);
    expect(aiSdkCapabilities({})).toEqual({ generate: true, judge: true, scoreDistribution: false, logprobs: false });
    expect(aiSdkCapabilities({ logprobRequest: () => ({}), logprobScorer: () => ({}) })).toEqual({
      generate: true,
      judge: true,
      scoreDistribution: true,
      logprobs: true,
    });
    expect(aiSdkJudgeDefaults(true)).toEqual({ topLogprobs: MAX_TOP_LOGPROBS, temperature: 0 });
    expect(aiSdkJudgeDefaults(false)).toEqual({ temperature: 0 });
  });

  it("price Gemini models, the longest id prefix first", () => {
    expect(priceFor(AI_SDK_PRICES, "gemini-2.0-flash-001")).toEqual({ inputPerMillion: 0.1, outputPerMillion: 0.4 });
    expect(priceFor(AI_SDK_PRICES, "gemini-2.0-flash-lite-001")).toEqual({ inputPerMillion: 0.075, outputPerMillion: 0.3 });
    expect(priceFor(AI_SDK_PRICES, "llama3.2")).toBeUndefined();
  });

  it("read top log-probs in the shapes providers return them", () => {
    const token = { token: "7", logprob: -0.1, top_logprobs: [{ token: "7", logprob: -0.1 }] };
    const expected = [{ token: "7", logprob: -0.1, top: [{ token: "7", logprob: -0.1 }] }];
    expect(readTopLogprobs({ openai: { logprobs: [token] } })).toEqual(expected);
    expect(readTopLogprobs({ openai: { logprobs: [[token]] } })).toEqual(expected);
    expect(readTopLogprobs({ other: {}, mine: { logprobs: { content: [token] } } })).toEqual(expected);
    expect(readTopLogprobs({ mine: { logprobs: [{ token: "7", logprob: -0.1, topLogprobs: [{ token: "7", logprob: -0.1 }] }] } })).toEqual(expected);
    expect(readTopLogprobs({ google: { avgLogprobs: -0.2 } })).toBeUndefined();
    expect(readTopLogprobs(undefined)).toBeUndefined();
  });
});
