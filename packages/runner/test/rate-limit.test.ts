import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../src/providers/rate-limit.js";

describe("rate limiter", () => {
  it("spaces calls evenly at the configured rate, the first one at once", async () => {
    let now = 1000;
    const limiter = createRateLimiter(600, () => now); // one call per 100 ms
    const waits: number[] = [];
    const original = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void, ms: number) => {
      waits.push(ms);
      return original(fn, 0);
    }) as typeof setTimeout;
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
