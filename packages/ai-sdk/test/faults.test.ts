import { ProviderError } from "@cjeval/core";
import { mapSettled } from "@cjeval/provider-utils";
import { chatCompletion, countingFetch, type FaultAction, type LoopbackServer, sendJson, startFaultServer, startLoopbackServer } from "@cjeval/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { createAiSdkProvider } from "../src/provider.js";
import { compatProvider, loopLogprobs } from "./helpers/compat.js";

const KEY = "fake-aisdk-key-FAULTS0123456789abcdefgh";

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Fault plan by row (row i's prompt is `row-i`): each entry is what the server does on attempt k. */
function plan(row: number): FaultAction[] {
  switch (row % 10) {
    case 1:
      return ["429", "ok"];
    case 2:
      return ["500", "500", "ok"];
    case 3:
      return ["slow", "ok"];
    case 4:
      return ["malformed", "ok"];
    case 5:
      return Array<FaultAction>(10).fill("malformed");
    case 6:
      return ["no-logprobs"];
    case 7:
      return ["400"];
    case 8:
      return ["401"];
    case 9:
      return ["503-retry-after-ms", "ok"];
    default:
      return ["ok"];
  }
}

describe("AI SDK judge under faults (@ai-sdk/openai-compatible, loopback server)", () => {
  it("completes or reports every row, honours Retry-After, never repeats a success, respects concurrency, leaks no key", async () => {
    const fault = await startFaultServer(plan);
    server = fault.server;
    const { attempts } = fault;
    const waits: number[] = [];
    const logs: string[] = [];
    const counter = countingFetch();
    const provider = createAiSdkProvider({
      id: "compat",
      model: compatProvider(server, KEY, counter.fetch),
      logprobRequest: loopLogprobs,
      secrets: [KEY],
      concurrency: 4,
      timeoutMs: 1500,
      maxRetries: 3,
      // Injected clock: record the requested wait, then yield briefly instead of sleeping for real.
      sleep: async (ms) => {
        waits.push(ms);
        await new Promise((resolve) => setTimeout(resolve, 10));
      },
      onRetry: (event) => logs.push(`${event.error.code}: ${event.error.message}`),
    });
    const judge = provider.judge("judge");
    const rows = Array.from({ length: 40 }, (_, i) => i);
    const results = await mapSettled(rows, (i) => judge.judge({ prompt: `row-${i}`, response: "r" }), 40);

    expect(results).toHaveLength(40);
    results.forEach((result, i) => {
      const kind = i % 10;
      if (kind === 5 || kind === 7 || kind === 8) {
        expect(result.ok, `row ${i} should fail`).toBe(false);
        if (!result.ok) expect(result.error).toBeInstanceOf(ProviderError);
      } else {
        expect(result.ok, `row ${i} should succeed`).toBe(true);
        if (result.ok) {
          expect(result.value.nativeScore).toBe(i);
          expect(result.value.distribution === undefined).toBe(kind === 6);
          if (kind !== 6) expect(result.value.distribution?.argmaxNative).toBe(i);
        }
      }
    });
    // Every row is asked exactly as often as its plan needs: no request repeats after its success, and the
    // AI SDK's own retries (maxRetries: 0) never stack on the pipeline's.
    const expectedAttempts = (i: number): number => (({ 1: 2, 2: 3, 3: 2, 4: 2, 5: 4, 9: 2 }) as Record<number, number>)[i % 10] ?? 1;
    for (const i of rows) expect(attempts.get(i), `attempts of row ${i}`).toBe(expectedAttempts(i));
    expect(server.requests).toHaveLength(rows.reduce((sum, i) => sum + expectedAttempts(i), 0));
    // Counted at the client: the server sees a timed-out request's socket close late, and could count it
    // alongside the retry that replaced it.
    expect(counter.maxInFlight).toBeLessThanOrEqual(4);
    expect(counter.maxInFlight).toBeGreaterThan(1);
    expect(waits.filter((w) => w >= 3000)).toHaveLength(4); // the four 429 rows waited at least Retry-After
    expect(waits.filter((w) => w >= 2500 && w < 3000)).toHaveLength(4); // the four 503 rows waited retry-after-ms
    const failures = results.flatMap((r) => (r.ok ? [] : [r.error as ProviderError]));
    expect(failures.map((e) => e.code).sort()).toEqual([
      "auth",
      "auth",
      "auth",
      "auth",
      "bad_request",
      "bad_request",
      "bad_request",
      "bad_request",
      "bad_response",
      "bad_response",
      "bad_response",
      "bad_response",
    ]);
    expect(
      failures
        .filter((e) => e.code === "auth" || e.code === "bad_request")
        .map((e) => e.status)
        .sort(),
    ).toEqual([400, 400, 400, 400, 401, 401, 401, 401]);
    const everything = JSON.stringify({ results, failures: failures.map((e) => ({ m: e.message, raw: e.raw, s: e.stack })), logs });
    expect(everything).not.toContain(KEY);
    expect(failures.find((e) => e.code === "auth")?.message).toContain("[REDACTED]");
    expect(logs.some((line) => line.startsWith("timeout"))).toBe(true);
    expect(logs.filter((line) => line.startsWith("rate_limited"))).toHaveLength(4);
    expect(provider.usage.totals()).toMatchObject({ requests: 28, inputTokens: 28 * 50, outputTokens: 28 });
  }, 60_000);

  it("waits for Retry-After on the real clock (bounds wide enough for a loaded machine)", async () => {
    let hits = 0;
    const times: number[] = [];
    server = await startLoopbackServer((_req, res) => {
      times.push(performance.now());
      hits += 1;
      if (hits === 1) sendJson(res, 429, { error: { message: "slow down" } }, { "retry-after": "1" });
      else sendJson(res, 200, chatCompletion("55"));
    });
    const provider = createAiSdkProvider({ id: "compat", model: compatProvider(server), baseDelayMs: 10 });
    const result = await provider.judge("j").judge({ prompt: "p", response: "r" });
    expect(result.nativeScore).toBe(55);
    expect(server.requests).toHaveLength(2);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(990);
    expect(times[1] - times[0]).toBeLessThan(15_000);
  }, 30_000);

  it("cancels in-flight work through an AbortSignal", async () => {
    const controller = new AbortController();
    server = await startLoopbackServer((_req, res) => {
      setTimeout(() => controller.abort(), 10);
      setTimeout(() => sendJson(res, 200, chatCompletion("1")), 5000);
    });
    const provider = createAiSdkProvider({ id: "compat", model: compatProvider(server) });
    const pending = provider.generator("g").generate({ prompt: "p", signal: controller.signal });
    await expect(pending).rejects.toMatchObject({ code: "aborted", retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it("retries a connection failure as a network error, then reports it", async () => {
    const closed = await startLoopbackServer((_req, res) => sendJson(res, 200, {}));
    const url = closed.url;
    await closed.close();
    const waits: number[] = [];
    const provider = createAiSdkProvider({
      id: "compat",
      model: compatProvider({ url } as LoopbackServer),
      maxRetries: 2,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await expect(provider.judge("j").judge({ prompt: "p", response: "r" })).rejects.toMatchObject({ code: "network", retryable: true });
    expect(waits).toHaveLength(2);
  });
});
