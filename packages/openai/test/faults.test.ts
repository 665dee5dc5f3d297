import { ProviderError } from "@cjeval/core";
import { mapSettled } from "@cjeval/provider-utils";
import { chatCompletion, countingFetch, type FaultAction, type LoopbackServer, sendJson, startFaultServer, startLoopbackServer } from "@cjeval/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenAI } from "../src/provider.js";

const KEY = "fake-openai-key-FAULTS0123456789abcdefgh";

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
    default:
      return ["ok"];
  }
}

describe("OpenAI judge under faults (real SDK, loopback server)", () => {
  it("completes or reports every row, honours Retry-After, never repeats a success, respects concurrency, leaks no key", async () => {
    const fault = await startFaultServer(plan);
    server = fault.server;
    const { attempts } = fault;
    const waits: number[] = [];
    const logs: string[] = [];
    const counter = countingFetch();
    const openai = createOpenAI({
      baseURL: `${server.url}/v1`,
      apiKey: KEY,
      fetch: counter.fetch,
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
    const judge = openai.judge("judge");
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
        }
      }
    });
    const expectedAttempts = (i: number): number => (({ 1: 2, 2: 3, 3: 2, 4: 2, 5: 4 }) as Record<number, number>)[i % 10] ?? 1;
    for (const i of rows) expect(attempts.get(i), `attempts of row ${i}`).toBe(expectedAttempts(i));
    // Counted at the client: the server sees a timed-out request's socket close late, and could count it
    // alongside the retry that replaced it.
    expect(counter.maxInFlight).toBeLessThanOrEqual(4);
    expect(counter.maxInFlight).toBeGreaterThan(1);
    expect(waits.filter((w) => w >= 3000)).toHaveLength(4); // the four 429 rows waited at least Retry-After
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
    const everything = JSON.stringify({ results, failures: failures.map((e) => ({ m: e.message, raw: e.raw, s: e.stack })), logs });
    expect(everything).not.toContain(KEY);
    expect(failures.find((e) => e.code === "auth")?.message).toContain("[REDACTED]");
    expect(logs.some((line) => line.startsWith("timeout"))).toBe(true);
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
    const openai = createOpenAI({ baseURL: server.url, apiKey: KEY, baseDelayMs: 10 });
    const result = await openai.judge("j").judge({ prompt: "p", response: "r" });
    expect(result.nativeScore).toBe(55);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(990);
    expect(times[1] - times[0]).toBeLessThan(15_000);
  }, 30_000);

  it("cancels in-flight work through an AbortSignal", async () => {
    const controller = new AbortController();
    // Abort once the request is in flight at the server (a fixed delay races on a loaded machine).
    server = await startLoopbackServer((_req, res) => {
      setTimeout(() => controller.abort(), 10);
      setTimeout(() => sendJson(res, 200, chatCompletion("1")), 5000);
    });
    const openai = createOpenAI({ baseURL: server.url, apiKey: KEY });
    const pending = openai.judge("j").judge({ prompt: "p", response: "r", signal: controller.signal });
    await expect(pending).rejects.toMatchObject({ code: "aborted", retryable: false });
    expect(server.requests).toHaveLength(1);
  });
});
