import { describe, expect, it } from "vitest";
import { createLimiter, mapSettled } from "../src/limiter.js";
import { sleep } from "../src/sleep.js";
import { withTimeout } from "../src/timeout.js";

describe("withTimeout", () => {
  it("rejects with a retryable timeout error and aborts the attempt's signal", async () => {
    let seen: AbortSignal | undefined;
    const pending = withTimeout(
      (signal) => {
        seen = signal;
        return new Promise(() => {}); // ignores the signal on purpose
      },
      { timeoutMs: 20, provider: "test", graceMs: 50 },
    );
    await expect(pending).rejects.toMatchObject({ code: "timeout", retryable: true, provider: "test" });
    expect(seen?.aborted).toBe(true);
  });

  it("turns a caller abort into a final 'aborted' error", async () => {
    const controller = new AbortController();
    const pending = withTimeout((signal) => sleep(10_000, signal), { timeoutMs: 10_000, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "aborted", retryable: false });
  });

  it("passes results and errors of a fast attempt through", async () => {
    await expect(withTimeout(async () => 42, { timeoutMs: 1000 })).resolves.toBe(42);
    await expect(withTimeout(async () => Promise.reject(new Error("x")), { timeoutMs: 1000 })).rejects.toThrow("x");
  });
});

describe("limiter", () => {
  it("never runs more than `concurrency` at once and keeps input order", async () => {
    let active = 0;
    let peak = 0;
    const results = await mapSettled(
      Array.from({ length: 40 }, (_, i) => i),
      async (i) => {
        active += 1;
        peak = Math.max(peak, active);
        await sleep(1 + (i % 3));
        active -= 1;
        if (i % 7 === 0) throw new Error(`row ${i}`);
        return i * 2;
      },
      5,
    );
    expect(peak).toBe(5);
    expect(results).toHaveLength(40);
    results.forEach((result, i) => {
      if (i % 7 === 0) expect(result).toMatchObject({ ok: false, error: new Error(`row ${i}`) });
      else expect(result).toEqual({ ok: true, value: i * 2 });
    });
  });

  it("rejects a non-positive concurrency", () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
    expect(() => createLimiter(1.5)).toThrow(RangeError);
  });
});
