import { describe, expect, it } from "vitest";
import { CjeInputError } from "@cjeval/core";
import { MAX_CONCURRENCY, MAX_TIMER_MS } from "../src/defaults.js";
import { createLimiter } from "../src/limiter.js";
import { PipelineSettingsSchema, resolvePipelineSettings } from "../src/pipeline-settings.js";
import { withTimeout } from "../src/timeout.js";

describe("provider resource caps", () => {
  it("refuses concurrency past 1024 and timeouts past Node's longest timer, naming the setting", () => {
    expect(() => resolvePipelineSettings({ concurrency: 100_000 })).toThrow(CjeInputError);
    expect(() => resolvePipelineSettings({ concurrency: 100_000 })).toThrow(/field 'concurrency' = 100000: .*at most 1024/);
    expect(() => resolvePipelineSettings({ timeoutMs: 3e9 })).toThrow(/field 'timeoutMs' = 3000000000: .*at most 2147483647/);
    expect(resolvePipelineSettings({ concurrency: MAX_CONCURRENCY, timeoutMs: MAX_TIMER_MS })).toMatchObject({ concurrency: 1024, timeoutMs: 2 ** 31 - 1 });
    expect(PipelineSettingsSchema.safeParse({ maxDelayMs: 3e9 }).success).toBe(false);
    expect(() => createLimiter(100_000)).toThrow(/from 1 to 1024/);
  });

  it("a timeout past 2^31 − 1 ms is refused instead of overflowing into a 1 ms timer", async () => {
    await expect(withTimeout(async () => "ok", { timeoutMs: 3e9 })).rejects.toThrow(/timeoutMs must be from 1 to 2147483647/);
  });
});
