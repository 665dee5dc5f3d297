import { ProviderError } from "@cjeval/core";
import { APICallError, LoadAPIKeyError, NoObjectGeneratedError, NoSuchModelError, RetryError, UnsupportedFunctionalityError } from "ai";
import { describe, expect, it } from "vitest";
import { toProviderError } from "../src/errors.js";

const apiError = (statusCode: number | undefined, headers: Record<string, string> = {}, isRetryable?: boolean) =>
  new APICallError({
    message: `status ${statusCode}`,
    url: "http://x/v1",
    requestBodyValues: {},
    statusCode,
    responseHeaders: headers,
    ...(isRetryable === undefined ? {} : { isRetryable }),
  });

describe("AI SDK errors → ProviderError", () => {
  it("maps APICallError by status, Retry-After and the SDK's retryability", () => {
    const cases: Array<[APICallError, Partial<ProviderError>]> = [
      [apiError(429, { "retry-after": "3" }), { code: "rate_limited", retryable: true, retryAfterMs: 3000, status: 429 }],
      [apiError(503, { "retry-after-ms": "250" }), { code: "server_error", retryable: true, retryAfterMs: 250 }],
      [apiError(529), { code: "server_error", retryable: true }],
      [apiError(408), { code: "timeout", retryable: true }],
      [apiError(401), { code: "auth", retryable: false }],
      [apiError(400), { code: "bad_request", retryable: false }],
      [apiError(409), { code: "bad_request", retryable: true }], // the AI SDK retries conflicts; we follow it
      [apiError(400, {}, true), { code: "bad_request", retryable: true }], // a provider package's own judgement
      [apiError(500, { "x-should-retry": "false" }), { code: "server_error", retryable: false }],
      [apiError(200), { code: "bad_response", retryable: true }], // a malformed success body
      [apiError(undefined, {}, true), { code: "network", retryable: true }],
    ];
    for (const [error, expected] of cases) expect(toProviderError(error, "p"), error.message).toMatchObject({ provider: "p", ...expected });
  });

  it("maps the SDK's other errors by marker, unwrapping RetryError", () => {
    const retry = new RetryError({ message: "failed after 3", reason: "maxRetriesExceeded", errors: [apiError(500), apiError(429, { "retry-after": "1" })] });
    expect(toProviderError(retry, "p")).toMatchObject({ code: "rate_limited", retryAfterMs: 1000 });
    expect(toProviderError(new LoadAPIKeyError({ message: "GOOGLE_GENERATIVE_AI_API_KEY is missing" }), "p")).toMatchObject({ code: "auth", retryable: false });
    expect(toProviderError(new NoSuchModelError({ modelId: "m", modelType: "languageModel" }), "p")).toMatchObject({ code: "bad_request", retryable: false });
    expect(toProviderError(new UnsupportedFunctionalityError({ functionality: "seed" }), "p")).toMatchObject({ code: "unsupported" });
    const noObject = new NoObjectGeneratedError({
      message: "no object",
      text: "not json",
      response: { id: "1", timestamp: new Date(0), modelId: "m" },
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } as never,
      finishReason: "stop",
    });
    expect(toProviderError(noObject, "p")).toMatchObject({ code: "invalid_output", raw: "not json", retryable: false });
    expect(toProviderError(Object.assign(new Error("x"), { name: "AbortError" }), "p")).toMatchObject({ code: "aborted" });
    expect(toProviderError(new Error("weird"), "p")).toMatchObject({ code: "bad_response", retryable: false });
    const own = new ProviderError("mine", { code: "refusal" });
    expect(toProviderError(own, "p")).toBe(own);
  });
});
