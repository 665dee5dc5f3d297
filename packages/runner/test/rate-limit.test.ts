import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../src/providers/rate-limit.js";
import { tokenWaits } from "../src/store/postgres-rate-buckets.js";

describe("rate limiter", () => {
  it("spaces calls evenly at the configured rate, the first one at once", async () => {
    let now = 1000;
    const limiter = createRateLimiter(600, () => now); // one call per 100 ms
    const waits: number[] = [];
    const original = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void, ms: number) => (waits.push(ms), original(fn, 0))) as typeof setTimeout;
    try {
      await Promise.all([limiter.take(), limiter.take(), limiter.take()]);
      now += 1000; // idle for a while: no debt carried over
      await limiter.take();
    } finally {
      globalThis.setTimeout = original;
    }
    expect(waits).toEqual([100, 200]);
  });
});

describe("shared token bucket waits", () => {
  it("lets the tokens a bucket holds go at once and spaces the rest one refill interval apart", () => {
    // 600 requests per minute: a token every 100 ms.
    expect(tokenWaits(1, 3, 600)).toEqual([0, 100, 200]);
    expect(tokenWaits(2.5, 4, 600)).toEqual([0, 0, 50, 150]);
    // A bucket in debt (calls of other processes reserved ahead): the first token comes after the debt.
    expect(tokenWaits(-1.5, 2, 600)).toEqual([250, 350]);
  });
});
