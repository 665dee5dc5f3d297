import { ProviderError } from "@cjeval/core";
import { mapSettled } from "@cjeval/provider-utils";
import { type LoopbackServer, sendJson, startLoopbackServer } from "@cjeval/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { createAnthropic } from "../src/provider.js";
import { message, textBlock, toolBlock } from "./helpers/anthropic-wire.js";

const KEY = "fake-anthropic-key-SECRET0123456789abcdef";

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Body = {
  model: string;
  max_tokens: number;
  system?: string;
  temperature?: number;
  messages: Array<{ role: string; content: string }>;
  tools?: unknown[];
  tool_choice?: unknown;
};

describe("Anthropic judge", () => {
  it("sends the rubric over the Messages API with the key and parses the text score", async () => {
    server = await startLoopbackServer((_req, res) => sendJson(res, 200, message([textBlock("72")])));
    const anthropic = createAnthropic({ baseURL: server.url, apiKey: KEY });
    const result = await anthropic.judge("claude-3-5-haiku-latest").judge({ prompt: "Why is the sky blue?", response: "Rayleigh scattering." });
    const [request] = server.requests;
    expect(request.url).toBe("/v1/messages");
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`); // SDK 1.14 sends the key as a bearer token
    const body = JSON.parse(request.body) as Body;
    expect(body).toMatchObject({ model: "claude-3-5-haiku-latest", max_tokens: 16 });
    expect(body.temperature).toBeUndefined();
    expect(body.messages[0].content).toContain("[Assistant response]\nRayleigh scattering.");
    expect(result).toMatchObject({ score: 0.72, nativeScore: 72, raw: "72", cached: false, usage: { inputTokens: 40, outputTokens: 2 } });
    expect(result.distribution).toBeUndefined();
    expect(anthropic.usage.byModel()[0]).toMatchObject({ model: "claude-3-5-haiku-latest", requests: 1, costUsd: (40 * 0.8 + 2 * 4) / 1e6 });
  });

  it("reads structured output from a forced tool call in json mode", async () => {
    server = await startLoopbackServer((_req, res) =>
      sendJson(res, 200, message([toolBlock("record_score", { reasoning: "Correct.", score: 91 })], { stop: "tool_use" })),
    );
    const anthropic = createAnthropic({ baseURL: server.url, apiKey: KEY });
    const result = await anthropic.judge("claude", { output: "json", system: "You are strict.", temperature: 0 }).judge({ prompt: "p", response: "r" });
    const body = JSON.parse(server.requests[0].body) as Body;
    expect(body.tool_choice).toEqual({ type: "tool", name: "record_score" });
    expect(body.tools).toEqual([
      expect.objectContaining({ name: "record_score", input_schema: expect.objectContaining({ type: "object", required: ["reasoning", "score"] }) }),
    ]);
    expect(body).toMatchObject({ system: "You are strict.", temperature: 0, max_tokens: 512 });
    expect(result).toMatchObject({ nativeScore: 91, score: 0.91, raw: '{"reasoning":"Correct.","score":91}' });
  });

  it("reports refusals (stop_reason and text) and declares log-probs unsupported", async () => {
    const replies = [message([textBlock("")], { stop: "refusal" }), message([textBlock("I cannot evaluate this content.")])];
    let n = 0;
    server = await startLoopbackServer((_req, res) => sendJson(res, 200, replies[n++]));
    const anthropic = createAnthropic({ baseURL: server.url, apiKey: KEY });
    const judge = anthropic.judge("claude");
    await expect(judge.judge({ prompt: "a", response: "b" })).rejects.toMatchObject({ code: "refusal" });
    await expect(judge.judge({ prompt: "c", response: "d" })).rejects.toMatchObject({ code: "refusal", raw: "I cannot evaluate this content." });
    expect(anthropic.capabilities.logprobs).toBe(false);
    expect(() => anthropic.logprobScorer("claude")).toThrow(/capability 'logprobs'/);
    expect(() => anthropic.judge("claude", { topLogprobs: 5 })).toThrow(/capability 'scoreDistribution'/);
  });

  it("retries 429 (Retry-After) and 529 overloaded, reports 400s, keeps the key out of errors, respects concurrency", async () => {
    const attempts = new Map<number, number>();
    server = await startLoopbackServer((req, res) => {
      const body = JSON.parse(req.body) as Body;
      const row = Number(/row-(\d+)/.exec(body.messages[0].content)?.[1]);
      const k = attempts.get(row) ?? 0;
      attempts.set(row, k + 1);
      setTimeout(() => {
        if (row % 4 === 1 && k === 0) sendJson(res, 429, { type: "error", error: { type: "rate_limit_error", message: "slow down" } }, { "retry-after": "7" });
        else if (row % 4 === 2 && k === 0) sendJson(res, 529, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
        else if (row % 4 === 3)
          sendJson(res, 400, { type: "error", error: { type: "invalid_request_error", message: `bad request with ${String(req.headers.authorization)}` } });
        else sendJson(res, 200, message([textBlock(`Score: ${row}`)]));
      }, 5);
    });
    const waits: number[] = [];
    const anthropic = createAnthropic({
      baseURL: server.url,
      apiKey: KEY,
      concurrency: 3,
      sleep: async (ms) => {
        waits.push(ms);
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    const judge = anthropic.judge("claude");
    const results = await mapSettled(
      Array.from({ length: 20 }, (_, i) => i),
      (i) => judge.judge({ prompt: `row-${i}`, response: "r" }),
      20,
    );
    results.forEach((result, i) => {
      expect(result.ok, `row ${i}`).toBe(i % 4 !== 3);
      if (result.ok) expect(result.value.nativeScore).toBe(i);
      else {
        expect(result.error).toBeInstanceOf(ProviderError);
        expect((result.error as ProviderError).code).toBe("bad_request");
      }
    });
    for (let i = 0; i < 20; i++) expect(attempts.get(i), `attempts of row ${i}`).toBe(i % 4 === 1 || i % 4 === 2 ? 2 : 1);
    expect(waits.filter((w) => w >= 7000)).toHaveLength(5);
    expect(server.maxInFlight).toBeLessThanOrEqual(3);
    expect(JSON.stringify(results.map((r) => (r.ok ? r.value : { m: (r.error as Error).message })))).not.toContain(KEY);
  });
});

describe("Anthropic generator", () => {
  it("maps policy settings, defaults max_tokens, and refuses a seed it cannot honour", async () => {
    server = await startLoopbackServer((_req, res) => sendJson(res, 200, message([textBlock("Hello!")], { stop: "end_turn", output: 3 })));
    const anthropic = createAnthropic({ baseURL: server.url, apiKey: KEY });
    const policy = anthropic.generator("claude", { system: "Be kind.", temperature: 0.3 });
    const out = await policy.generate({ prompt: "Hi" });
    expect(JSON.parse(server.requests[0].body)).toMatchObject({ model: "claude", system: "Be kind.", temperature: 0.3, max_tokens: 1024 });
    expect(out).toEqual({ text: "Hello!", finishReason: "end_turn", usage: { inputTokens: 40, outputTokens: 3 }, cached: false });
    await expect(policy.generate({ prompt: "Hi", seed: 1 })).rejects.toMatchObject({ code: "unsupported" });
    expect(server.requests).toHaveLength(1);
  });
});
