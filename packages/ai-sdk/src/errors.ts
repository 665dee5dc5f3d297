import { ProviderError } from "@cjeval/core";
import { type HeaderReader, providerErrorFromException, providerErrorFromHttp } from "@cjeval/provider-utils";
import {
  APICallError,
  InvalidArgumentError,
  InvalidPromptError,
  InvalidResponseDataError,
  JSONParseError,
  LoadAPIKeyError,
  NoContentGeneratedError,
  NoObjectGeneratedError,
  NoSuchModelError,
  RetryError,
  TypeValidationError,
  UnsupportedFunctionalityError,
} from "ai";

/** Response headers as the AI SDK keeps them (a record, lower-case names) read as a {@link HeaderReader}. */
export function headerReader(headers: Readonly<Record<string, string>> | undefined): HeaderReader | undefined {
  if (headers === undefined) return undefined;
  const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { get: (name) => lower.get(name.toLowerCase()) };
}

/**
 * The {@link ProviderError} of an AI SDK `APICallError`:
 * - no status (the SDK could not connect): `network`, retryable unless the SDK says otherwise;
 * - a 2xx status (the body was not the provider's wire format, e.g. truncated JSON): `bad_response`, retryable;
 * - an error status: the code from the status (429 `rate_limited`, 5xx `server_error`, 408 `timeout`,
 *   401/403 `auth`, other 4xx `bad_request`) and the wait from `Retry-After` / `retry-after-ms`; whether to
 *   retry is an explicit `x-should-retry` header, else the error's own `isRetryable` (the provider package's
 *   judgement: 408, 409, 429 and 5xx by default).
 */
export function providerErrorFromApiCall(error: APICallError, provider: string): ProviderError {
  const status = error.statusCode;
  if (status === undefined) {
    return new ProviderError(`cannot reach ${provider}: ${error.message}`, { code: "network", retryable: error.isRetryable, provider, cause: error });
  }
  if (status >= 200 && status < 300) {
    return new ProviderError(`malformed response from ${provider}: ${error.message}`, { code: "bad_response", status, provider, cause: error });
  }
  const headers = headerReader(error.responseHeaders);
  const mapped = providerErrorFromHttp({ status, message: error.message, headers, provider });
  const explicit = headers?.get("x-should-retry");
  return new ProviderError(mapped.message, {
    code: mapped.code,
    status,
    provider,
    retryAfterMs: mapped.retryAfterMs,
    retryable: explicit === "true" || explicit === "false" ? mapped.retryable : error.isRetryable,
    cause: error,
  });
}

/**
 * Maps a failure of an AI SDK call to a {@link ProviderError}, by the SDK's error markers (they work across
 * copies of the SDK, so a provider package built on another copy maps the same way):
 * `APICallError` by status and headers (see {@link providerErrorFromApiCall}); a `RetryError` (the SDK's own
 * retries, normally off) by its last error; malformed or empty responses (`InvalidResponseDataError`,
 * `JSONParseError`, `TypeValidationError`, `NoContentGeneratedError`) `bad_response`, retryable; structured
 * output that does not parse (`NoObjectGeneratedError`) `invalid_output` with the raw text; a missing key
 * (`LoadAPIKeyError`) `auth`; an unknown model or bad arguments `bad_request`; an unsupported feature
 * `unsupported`; an abort `aborted` (a timeout's abort is reported by the pipeline as `timeout`).
 */
export function toProviderError(error: unknown, provider: string): ProviderError {
  if (error instanceof ProviderError) return error;
  if (RetryError.isInstance(error)) return toProviderError(error.lastError, provider);
  if (APICallError.isInstance(error)) return providerErrorFromApiCall(error, provider);
  const message = error instanceof Error ? error.message : String(error);
  if (NoObjectGeneratedError.isInstance(error)) {
    return new ProviderError(`${provider} returned no valid structured output: ${message}`, {
      code: "invalid_output",
      provider,
      raw: error.text ?? "",
      cause: error,
    });
  }
  if (
    InvalidResponseDataError.isInstance(error) ||
    JSONParseError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    NoContentGeneratedError.isInstance(error)
  ) {
    return new ProviderError(`malformed response from ${provider}: ${message}`, { code: "bad_response", provider, cause: error });
  }
  if (LoadAPIKeyError.isInstance(error)) return new ProviderError(`no API key for ${provider}: ${message}`, { code: "auth", provider, cause: error });
  if (NoSuchModelError.isInstance(error) || InvalidArgumentError.isInstance(error) || InvalidPromptError.isInstance(error)) {
    return new ProviderError(`${provider} rejected the call: ${message}`, { code: "bad_request", provider, cause: error });
  }
  if (UnsupportedFunctionalityError.isInstance(error)) return new ProviderError(`${provider}: ${message}`, { code: "unsupported", provider, cause: error });
  if (error instanceof Error && error.name === "TimeoutError")
    return new ProviderError(`request to ${provider} timed out`, { code: "timeout", provider, cause: error });
  if (error instanceof Error && error.name === "AbortError")
    return new ProviderError(`request to ${provider} was cancelled`, { code: "aborted", provider, cause: error });
  return providerErrorFromException(error, provider);
}
