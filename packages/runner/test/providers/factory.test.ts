import { CjeInputError, type Provider, ProviderError } from "@cjeval/core";
import { DEFAULT_CONCURRENCY, MemoryCache } from "@cjeval/provider-utils";
import { type LoopbackServer, sendJson, startLoopbackServer } from "@cjeval/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

// Records which provider packages get loaded (they are still the real packages).
const loaded = vi.hoisted(() => [] as string[]);
vi.mock("@cjeval/openai", async (importOriginal) => {
  loaded.push("openai");
  return importOriginal();
});
vi.mock("@cjeval/anthropic", async (importOriginal) => {
  loaded.push("anthropic");
  return importOriginal();
});

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A chat-completions / messages server answering every request with the score 42 and fixed usage. */
async function scoringServer(): Promise<LoopbackServer> {
  return startLoopbackServer((req, res) => {
    if (req.url.endsWith("/messages")) {
      return sendJson(res, 200, {
        id: "m",
        type: "message",
        role: "assistant",
        model: "claude",
        stop_reason: "end_turn",
        stop_sequence: null,
        content: [{ type: "text", text: "42" }],
        usage: { input_tokens: 10, output_tokens: 1 },
      });
    }
    return sendJson(res, 200, {
      id: "c",
      object: "chat.completion",
      created: 1,
      model: "m",
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "42", refusal: null } }],
      usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 },
    });
  });
}

describe("createProvider", () => {
  it("loads a provider package only when a provider of its type is built", async () => {
    const runner = await import("../../src/index.js");
    const { campaignProviders } = await import("../../src/providers/registry.js");
    expect(loaded).toEqual([]);
    // A campaign's providers are set up, and its prices known, without loading anything more than needed.
    const campaign = runner.resolveCampaign({
      name: "t",
      prompts: "p.jsonl",
      providers: { openai: { type: "openai", baseURL: "http://127.0.0.1:9/v1" }, claude: { type: "anthropic" } },
      policies: [{ name: "base", provider: "openai", model: "gpt-4o-mini" }],
      judge: { provider: "openai", model: "gpt-4o-mini" },
    });
    const providers = campaignProviders(campaign.config, undefined);
    expect(loaded).toEqual([]);
    await providers.get("openai")?.built();
    expect(loaded).toEqual(["openai"]);
    await runner.createProvider({ type: "openai", baseURL: "http://127.0.0.1:9/v1" });
    expect(loaded).toEqual(["openai"]);
  });

  it("builds an OpenAI provider: judge, generator and log-prob scorer on the configured server, with usage and cache", async () => {
    const { createProvider } = await import("../../src/providers/factory.js");
    server = await scoringServer();
    const cache = new MemoryCache();
    const openai = await createProvider(
      { type: "openai", baseURL: `${server.url}/v1`, concurrency: 3, prices: { m: { inputPerMillion: 1e6, outputPerMillion: 0 } } },
      { name: "local", cache },
    );
    expect(openai).toMatchObject({ type: "openai", id: "local" });
    const verdict = await openai.judge("m", { scale: { min: 0, max: 100 } }).judge({ prompt: "p", response: "r" });
    expect(verdict).toMatchObject({ nativeScore: 42, cached: false });
    expect((await openai.generator("m", { system: "s" }).generate({ prompt: "p" })).text).toBe("42");
    expect(JSON.parse(server.requests[1].body).messages[0]).toEqual({ role: "system", content: "s" });
    expect(typeof openai.logprobScorer("m", { chatTemplate: "plain" }).score).toBe("function");
    expect(openai.usage.totals()).toMatchObject({ requests: 2, costUsd: 20 });
    expect(cache.size).toBe(2);
  });

  it("builds an Anthropic provider whose log-prob scorer is refused by capability", async () => {
    const { createProvider } = await import("../../src/providers/factory.js");
    server = await scoringServer();
    const anthropic = await createProvider({ type: "anthropic", baseURL: server.url });
    expect(anthropic).toMatchObject({ type: "anthropic", id: "anthropic" });
    await expect(anthropic.judge("claude-3-5-haiku-latest").judge({ prompt: "p", response: "r" })).resolves.toMatchObject({ nativeScore: 42 });
    expect((await anthropic.generator("claude-3-5-haiku-latest").generate({ prompt: "p" })).text).toBe("42");
    // Priced from @cjeval/anthropic's own table.
    expect(anthropic.usage.totals().costUsd).toBeCloseTo((2 * (10 * 0.8 + 1 * 4)) / 1e6, 15);
    expect(() => anthropic.logprobScorer("claude")).toThrow(ProviderError);
    expect(() => anthropic.logprobScorer("claude")).toThrow(/capability 'logprobs'/);
  });

  it("wraps a provider written in code, checking capabilities and refusing judge settings", async () => {
    const { createProvider } = await import("../../src/providers/factory.js");
    const judge = { modelId: "j", judge: async () => ({ score: 0.5, nativeScore: 0.5, scale: { min: 0, max: 1 }, raw: "0.5" }) };
    const mine: Provider = {
      id: "mine",
      capabilities: { generate: false, judge: true, scoreDistribution: false, logprobs: false },
      generator: () => {
        throw new Error("not called");
      },
      judge: () => judge,
      logprobScorer: () => {
        throw new Error("not called");
      },
    };
    const built = await createProvider({ type: "custom", provider: mine });
    expect(built).toMatchObject({ type: "custom", id: "mine", provider: mine, usage: null });
    expect(built.judge("j")).toBe(judge);
    expect(() => built.judge("j", { template: "{prompt} {response}" })).toThrow(/cannot be passed to a custom provider/);
    expect(() => built.generator("g")).toThrow(/capability 'generate'/);
    expect(() => built.logprobScorer("l")).toThrow(/capability 'logprobs'/);
  });

  it("validates the configuration before loading anything", async () => {
    const { createProvider } = await import("../../src/providers/factory.js");
    const error = await createProvider({ type: "cohere" as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CjeInputError);
    expect((error as CjeInputError).message).toMatch(/unknown provider; use openai or anthropic/);
    await expect(createProvider({ type: "openai", concurrency: 0 })).rejects.toMatchObject({ location: { field: "concurrency" } });
  });

  it("reads the key from apiKeyEnv or the package's default variable", async () => {
    const { apiKeyOf } = await import("../../src/providers/factory.js");
    const { OPENAI_API_KEY_ENV } = await import("@cjeval/openai");
    const { ANTHROPIC_API_KEY_ENV } = await import("@cjeval/anthropic");
    const saved = { [OPENAI_API_KEY_ENV]: process.env[OPENAI_API_KEY_ENV], [ANTHROPIC_API_KEY_ENV]: process.env[ANTHROPIC_API_KEY_ENV] };
    try {
      process.env[OPENAI_API_KEY_ENV] = "openai-test-key";
      process.env[ANTHROPIC_API_KEY_ENV] = "anthropic-test-key";
      expect(apiKeyOf("a", { type: "openai" })).toBe("openai-test-key");
      expect(apiKeyOf("b", { type: "anthropic" })).toBe("anthropic-test-key");
      expect(() => apiKeyOf("c", { type: "openai", apiKeyEnv: "CJE_TEST_UNSET_KEY" })).toThrow(/CJE_TEST_UNSET_KEY .*provider 'c'/);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe("providerPrices", () => {
  it("are the provider package's list prices with the configured ones over them", async () => {
    const { providerPrices } = await import("../../src/providers/factory.js");
    const { OPENAI_PRICES } = await import("@cjeval/openai");
    const { ANTHROPIC_PRICES } = await import("@cjeval/anthropic");
    const mine = { "gpt-4o": { inputPerMillion: 1, outputPerMillion: 1 } };
    expect(await providerPrices({ type: "openai", prices: mine })).toEqual({ ...OPENAI_PRICES, ...mine });
    expect(await providerPrices({ type: "anthropic" })).toEqual(ANTHROPIC_PRICES);
    expect(await providerPrices({ type: "custom", prices: mine })).toEqual(mine);
  });
});

describe("campaign providers", () => {
  it("default to DEFAULT_CONCURRENCY calls in flight", async () => {
    const { resolveCampaign } = await import("../../src/index.js");
    const { campaignProviders } = await import("../../src/providers/registry.js");
    const campaign = resolveCampaign({
      name: "t",
      prompts: "p.jsonl",
      providers: { a: { type: "openai" }, b: { type: "openai", concurrency: 2 } },
      policies: [{ name: "base", provider: "a", model: "m" }],
      judge: { provider: "b", model: "m" },
    });
    const providers = campaignProviders(campaign.config, undefined);
    expect(providers.get("a")?.concurrency).toBe(DEFAULT_CONCURRENCY);
    expect(providers.get("b")?.concurrency).toBe(2);
  });
});
