import { ProviderError } from "@cjeval/core";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryCache } from "../src/cache.js";
import { type LoopbackServer, sendJson, startLoopbackServer } from "@cjeval/test-utils";
import { CallPipeline } from "../src/pipeline.js";
import { parseRetryAfter } from "../src/retry-after.js";

const KEY = "fake-openai-key-SECRET0123456789abcdef";

/** A minimal wire: POST the body, map HTTP failures the way adapters do. */
async function post(server: LoopbackServer, body: unknown, signal: AbortSignal): Promise<{ answer: string; tokens: number }> {
  const res = await fetch(`${server.url}/v1/x`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  if (!res.ok) {
    throw new ProviderError(`HTTP ${res.status}: ${await res.text()}`, {
      code: res.status === 429 ? "rate_limited" : res.status >= 500 ? "server_error" : "bad_request",
      status: res.status,
      retryAfterMs: parseRetryAfter(res.headers),
    });
  }
  return (await res.json()) as { answer: string; tokens: number };
}

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function pipeline(extra: Partial<ConstructorParameters<typeof CallPipeline>[0]> = {}): { p: CallPipeline; waits: number[] } {
  const waits: number[] = [];
  const p = new CallPipeline({
    provider: "test",
    secrets: [KEY],
    toProviderError: (error) => new ProviderError(String(error), { code: "network" }),
    sleep: async (ms) => void waits.push(ms),
    random: () => 0,
    ...extra,
  });
  return { p, waits };
}

describe("CallPipeline", () => {
  it("retries 429 after Retry-After, never repeats a request after success, and caches it", async () => {
    let hits = 0;
    server = await startLoopbackServer((req, res) => {
      hits += 1;
      if (hits === 1) sendJson(res, 429, { error: "slow down" }, { "retry-after": "2" });
      else sendJson(res, 200, { answer: JSON.parse(req.body).q, tokens: 3 });
    });
    const cache = new MemoryCache();
    const { p, waits } = pipeline({ cache });
    const s = server;
    const spec = {
      model: "m",
      request: { q: "a" },
      run: (signal: AbortSignal) => post(s, { q: "a" }, signal),
      usageOf: (v: { tokens: number }) => ({ inputTokens: v.tokens, outputTokens: 1 }),
    };
    await expect(p.call(spec)).resolves.toEqual({ value: { answer: "a", tokens: 3 }, cached: false });
    expect(waits).toEqual([2000]);
    await expect(p.call(spec)).resolves.toEqual({ value: { answer: "a", tokens: 3 }, cached: true });
    expect(hits).toBe(2);
    expect(p.usage.totals()).toMatchObject({ requests: 1, cachedRequests: 1, inputTokens: 3, outputTokens: 1 });
  });

  it("reports a final failure with the key redacted and caches nothing", async () => {
    server = await startLoopbackServer((req, res) => sendJson(res, 400, { error: `bad key ${String(req.headers.authorization)}` }));
    const cache = new MemoryCache();
    const { p } = pipeline({ cache });
    const s = server;
    const error = await p.call({ model: "m", request: 1, run: (signal) => post(s, {}, signal), usageOf: () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe("bad_request");
    expect((error as ProviderError).message).not.toContain(KEY);
    expect((error as ProviderError).message).toContain("[REDACTED]");
    expect(server.requests).toHaveLength(1);
    expect(cache.size).toBe(0);
  });

  it("times out slow attempts, retries them, and respects the concurrency limit", async () => {
    let hits = 0;
    server = await startLoopbackServer((_req, res) => {
      hits += 1;
      if (hits === 1) setTimeout(() => sendJson(res, 200, { answer: "late", tokens: 0 }), 2000);
      else setTimeout(() => sendJson(res, 200, { answer: "ok", tokens: 0 }), 5);
    });
    const { p } = pipeline({ timeoutMs: 300, concurrency: 3 });
    const s = server;
    // Concurrency as the pipeline controls it: attempts between their start and their settling (an attempt cut
    // short by the timeout settles when it is aborted). The server's own count is not used: it learns of an
    // aborted request only when the closed socket reaches it, possibly after the retry has arrived.
    let inFlight = 0;
    let maxInFlight = 0;
    const attempt = async (i: number, signal: AbortSignal) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        return await post(s, { i }, signal);
      } finally {
        inFlight--;
      }
    };
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => p.call({ model: "m", request: i, run: (signal) => attempt(i, signal), usageOf: () => undefined })),
    );
    expect(outcomes.every((o) => o.value.answer === "ok")).toBe(true);
    expect(hits).toBe(13);
    expect(maxInFlight).toBe(3);
  });
});
