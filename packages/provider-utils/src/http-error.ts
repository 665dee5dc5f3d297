import { ProviderError, type ProviderErrorCode } from "@cjeval/core";
import { type HeaderReader, parseRetryAfter } from "./retry-after.js";

/** The {@link ProviderErrorCode} of an HTTP error status: 429 → rate_limited, 408 → timeout, 5xx → server_error, 401/403 → auth, other 4xx → bad_request. */
export function httpErrorCode(status: number): ProviderErrorCode {
  if (status === 429) return "rate_limited";
  if (status === 408) return "timeout";
  if (status >= 500) return "server_error";
  if (status === 401 || status === 403) return "auth";
  return "bad_request";
}

/** Fields of an HTTP failure that SDK error classes expose. */
export interface HttpFailure {
  readonly status: number;
  readonly message: string;
  readonly headers?: HeaderReader;
  readonly provider: string;
}

/**
 * A {@link ProviderError} for an HTTP error response: code from the status, retryability from the code
 * (also honouring an explicit `x-should-retry` header, as the official SDKs do), and the server's
 * requested wait from `Retry-After`.
 */
export function providerErrorFromHttp(failure: HttpFailure): ProviderError {
  const code = httpErrorCode(failure.status);
  const shouldRetry = failure.headers?.get("x-should-retry");
  return new ProviderError(`HTTP ${failure.status} from ${failure.provider}: ${failure.message}`, {
    code,
    status: failure.status,
    provider: failure.provider,
    retryAfterMs: parseRetryAfter(failure.headers),
    ...(shouldRetry === "true" ? { retryable: true } : shouldRetry === "false" ? { retryable: false } : {}),
  });
}

/**
 * A {@link ProviderError} for a failure that is not an HTTP status: a response body that is not valid
 * JSON or not the expected shape (`bad_response`, retryable: usually a truncated or proxied reply), or an
 * unexpected exception (`bad_response`, final).
 */
export function providerErrorFromException(error: unknown, provider: string): ProviderError {
  if (error instanceof SyntaxError) {
    return new ProviderError(`malformed response from ${provider}: ${error.message}`, { code: "bad_response", provider, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(`unexpected failure calling ${provider}: ${message}`, { code: "bad_response", retryable: false, provider, cause: error });
}

/** The error classes of a Stainless-generated SDK (`openai`, `@anthropic-ai/sdk` share the layout). */
export interface SdkErrorClasses {
  readonly timeout: abstract new (...args: never[]) => Error;
  readonly abort: abstract new (...args: never[]) => Error;
  readonly connection: abstract new (...args: never[]) => Error;
  readonly api: abstract new (...args: never[]) => Error & { status?: unknown; headers?: unknown };
}

/**
 * Maps a failure of an official SDK client (or of reading its response) to a {@link ProviderError}:
 * timeouts, cancellations and connection failures by class, HTTP errors by status and headers.
 * Only the class names differ between the OpenAI and Anthropic SDKs, so both use this one mapping.
 */
export function providerErrorFromSdk(error: unknown, provider: string, classes: SdkErrorClasses): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof classes.timeout) return new ProviderError(`request to ${provider} timed out`, { code: "timeout", provider });
  if (error instanceof classes.abort) return new ProviderError(`request to ${provider} was cancelled`, { code: "aborted", provider });
  if (error instanceof classes.connection) {
    return new ProviderError(`cannot reach ${provider}: ${error.message}`, { code: "network", provider });
  }
  if (error instanceof classes.api && typeof error.status === "number") {
    return providerErrorFromHttp({ status: error.status, message: error.message, headers: error.headers as HeaderReader | undefined, provider });
  }
  return providerErrorFromException(error, provider);
}
