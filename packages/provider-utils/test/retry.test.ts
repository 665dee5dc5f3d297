import { ProviderError } from "@cjeval/core";
import { describe, expect, it } from "vitest";
import { retryDelayMs, withRetries } from "../src/retry.js";
import { parseRetryAfter } from "../src/retry-after.js";

function headers(entries: Record<string, string>): { get(name: string): string | null } {
  return { get: (name) => entries[name.toLowerCase()] ?? null };
}

describe("parseRetryAfter", () => {
  it("reads retry-after-ms, delta seconds and HTTP dates", () => {
    expect(parseRetryAfter(headers({ "retry-after-ms": "1500" }))).toBe(1500);
    expect(parseRetryAfter(headers({ "retry-after": "3" }))).toBe(3000);
    expect(parseRetryAfter(headers({ "retry-after": "0.5" }))).toBe(500);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter(headers({ "retry-after": "Thu, 01 Jan 2026 00:00:07 GMT" }), now)).toBe(7000);
    expect(parseRetryAfter(headers({ "retry-after": "Thu, 01 Jan 2025 00:00:07 GMT" }), now)).toBe(0);
    expect(parseRetryAfter(headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(parseRetryAfter(headers({}))).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe("retryDelayMs", () => {
  it("grows exponentially within [d/2, d], capped, and never undercuts Retry-After", () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelayMs(1, undefined, policy, () => 0)).toBe(50);
    expect(retryDelayMs(1, undefined, policy, () => 0.999999)).toBeCloseTo(100, 3);
    expect(retryDelayMs(3, undefined, policy, () => 0)).toBe(200);
    expect(retryDelayMs(10, undefined, policy, () => 1)).toBe(1000);
    expect(retryDelayMs(1, 5000, policy, () => 1)).toBe(5000);
  });
});

describe("withRetries", () => {
  const retryable = (retryAfterMs?: number): ProviderError => new ProviderError("busy", { code: "rate_limited", status: 429, retryAfterMs });

  it("honours Retry-After, retries only retryable errors and stops after success", async () => {
    const waits: number[] = [];
    let calls = 0;
    const value = await withRetries(
      async () => {
        calls += 1;
        if (calls === 1) throw retryable(2000);
        if (calls === 2) throw new ProviderError("oops", { code: "server_error", status: 500 });
        return "ok";
      },
      { sleep: async (ms) => void waits.push(ms), random: () => 0, baseDelayMs: 100 },
    );
    expect(value).toBe("ok");
    expect(calls).toBe(3);
    expect(waits).toEqual([2000, 100]);
  });

  it("does not retry final errors or foreign errors", async () => {
    let calls = 0;
    const bad = new ProviderError("bad key", { code: "auth", status: 401 });
    await expect(
      withRetries(
        async () => {
          calls += 1;
          throw bad;
        },
        { sleep: async () => {} },
      ),
    ).rejects.toBe(bad);
    expect(calls).toBe(1);
    await expect(withRetries(async () => Promise.reject(new TypeError("bug")), { sleep: async () => {} })).rejects.toThrow(TypeError);
  });

  it("gives up after maxRetries and when Retry-After exceeds the cap", async () => {
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls += 1;
          throw retryable();
        },
        { maxRetries: 2, sleep: async () => {} },
      ),
    ).rejects.toMatchObject({ code: "rate_limited" });
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      withRetries(
        async () => {
          calls += 1;
          throw retryable(10 * 60_000);
        },
        { sleep: async () => {} },
      ),
    ).rejects.toMatchObject({ retryAfterMs: 600_000 });
    expect(calls).toBe(1);
  });

  it("stops waiting when the signal aborts", async () => {
    const controller = new AbortController();
    const pending = withRetries(async () => Promise.reject(retryable(60_000)), { signal: controller.signal });
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
  });
});
