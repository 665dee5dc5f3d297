import { describe, expect, it } from "vitest";
import { requireCapability } from "../../src/providers/capabilities.js";
import { isProviderError, ProviderError } from "../../src/providers/errors.js";

describe("ProviderError", () => {
  it("derives retryability from the code unless told otherwise", () => {
    expect(new ProviderError("x", { code: "rate_limited" }).retryable).toBe(true);
    expect(new ProviderError("x", { code: "timeout" }).retryable).toBe(true);
    expect(new ProviderError("x", { code: "auth" }).retryable).toBe(false);
    expect(new ProviderError("x", { code: "invalid_output" }).retryable).toBe(false);
    expect(new ProviderError("x", { code: "bad_response", retryable: false }).retryable).toBe(false);
    const error = new ProviderError("busy", { code: "rate_limited", status: 429, retryAfterMs: 2000, provider: "p" });
    expect(error).toMatchObject({ name: "ProviderError", status: 429, retryAfterMs: 2000, provider: "p" });
    expect(isProviderError(error)).toBe(true);
    expect(isProviderError(new Error("x"))).toBe(false);
  });
});

describe("requireCapability", () => {
  const provider = { id: "text-only", capabilities: { generate: true, judge: true, scoreDistribution: false, logprobs: false } };

  it("passes declared capabilities and names a missing one in a final error", () => {
    expect(() => requireCapability(provider, "judge")).not.toThrow();
    let caught: unknown;
    try {
      requireCapability(provider, "logprobs");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProviderError);
    expect(caught).toMatchObject({ code: "unsupported", retryable: false, provider: "text-only" });
    expect((caught as Error).message).toBe("provider 'text-only' does not support capability 'logprobs' (teacher-forced log-probabilities)");
  });
});
