import { priceFor } from "@cjeval/provider-utils";
import { describe, expect, it } from "vitest";
import { AnthropicProviderOptionsSchema } from "../src/options.js";
import { ANTHROPIC_PRICES } from "../src/prices.js";
import { createAnthropic } from "../src/provider.js";

describe("Anthropic options", () => {
  it("are the shared connection and pipeline options", () => {
    expect(AnthropicProviderOptionsSchema.safeParse({ baseURL: "http://127.0.0.1:8080", apiKeyEnv: "MY_KEY", concurrency: 2, timeoutMs: 1000 }).success).toBe(
      true,
    );
    expect(AnthropicProviderOptionsSchema.safeParse({ concurrency: 0 }).success).toBe(false);
  });

  it("price models from Anthropic's own table, user prices over it", () => {
    const anthropic = createAnthropic({ apiKey: "k", prices: { "claude-opus-4": { inputPerMillion: 1, outputPerMillion: 1 } } });
    expect(priceFor(ANTHROPIC_PRICES, "claude-3-5-haiku-20241022")).toEqual({ inputPerMillion: 0.8, outputPerMillion: 4 });
    expect(priceFor(ANTHROPIC_PRICES, "gpt-4o")).toBeUndefined();
    anthropic.usage.record("claude-sonnet-4-20250514", { inputTokens: 1_000_000, outputTokens: 0 }, false);
    anthropic.usage.record("claude-opus-4-1", { inputTokens: 1_000_000, outputTokens: 0 }, false);
    expect(anthropic.usage.byModel().map((m) => m.costUsd)).toEqual([3, 1]);
  });

  it("read the key from the variable apiKeyEnv names", () => {
    process.env.CJE_TEST_ANTHROPIC_KEY = "k";
    try {
      expect(createAnthropic({ apiKeyEnv: "CJE_TEST_ANTHROPIC_KEY" }).id).toBe("anthropic");
    } finally {
      delete process.env.CJE_TEST_ANTHROPIC_KEY;
    }
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      expect(() => createAnthropic({ apiKeyEnv: "CJE_TEST_ANTHROPIC_KEY" })).toThrow(/set CJE_TEST_ANTHROPIC_KEY/);
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });
});
