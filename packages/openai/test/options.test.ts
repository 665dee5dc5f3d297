import { MAX_TOP_LOGPROBS, priceFor } from "@cjeval/provider-utils";
import { describe, expect, it } from "vitest";
import { OPENAI_JUDGE_DEFAULTS } from "../src/judge.js";
import { LogprobSettingsSchema, OpenAIProviderOptionsSchema } from "../src/options.js";
import { OPENAI_PRICES } from "../src/prices.js";
import { createOpenAI } from "../src/provider.js";

describe("OpenAI options", () => {
  it("are the shared connection and pipeline options plus OpenAI's own", () => {
    expect(
      OpenAIProviderOptionsSchema.safeParse({ baseURL: "http://127.0.0.1:8000/v1", concurrency: 2, organization: "org", tokenLimitField: "max_tokens" })
        .success,
    ).toBe(true);
    expect(OpenAIProviderOptionsSchema.safeParse({ tokenLimitField: "limit" }).success).toBe(false);
    expect(LogprobSettingsSchema.safeParse({ chatTemplate: "llama3", method: "echo", echoMaxTokens: 1 }).success).toBe(true);
    expect(LogprobSettingsSchema.safeParse({ echoMaxTokens: 2 }).success).toBe(false);
    expect(OPENAI_JUDGE_DEFAULTS).toEqual({ topLogprobs: MAX_TOP_LOGPROBS, temperature: 0 });
  });

  it("price models from OpenAI's own table, user prices over it", () => {
    const openai = createOpenAI({
      baseURL: "http://127.0.0.1:9/v1",
      prices: { "gpt-4o-mini": { inputPerMillion: 1, outputPerMillion: 1 }, mine: { inputPerMillion: 3, outputPerMillion: 3 } },
    });
    expect(priceFor(OPENAI_PRICES, "gpt-4o-mini-2024-07-18")).toEqual({ inputPerMillion: 0.15, outputPerMillion: 0.6 });
    expect(priceFor(OPENAI_PRICES, "claude-3-5-haiku")).toBeUndefined();
    openai.usage.record("gpt-4o-2024-08-06", { inputTokens: 1_000_000, outputTokens: 0 }, false);
    openai.usage.record("gpt-4o-mini", { inputTokens: 1_000_000, outputTokens: 0 }, false);
    openai.usage.record("mine", { inputTokens: 1_000_000, outputTokens: 0 }, false);
    expect(openai.usage.byModel().map((m) => m.costUsd)).toEqual([2.5, 1, 3]);
  });
});
