import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import { ProviderError } from "@cjeval/core";
import { providerErrorFromException, providerErrorFromHttp } from "@cjeval/provider-utils";

/** Maps a failure of the `@anthropic-ai/sdk` client (or of reading its response) to a {@link ProviderError}. */
export function toProviderError(error: unknown, provider: string): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError(`request to ${provider} timed out`, { code: "timeout", provider });
  }
  if (error instanceof APIUserAbortError) {
    return new ProviderError(`request to ${provider} was cancelled`, { code: "aborted", provider });
  }
  if (error instanceof APIConnectionError) {
    return new ProviderError(`cannot reach ${provider}: ${error.message}`, { code: "network", provider });
  }
  if (error instanceof APIError && typeof error.status === "number") {
    return providerErrorFromHttp({ status: error.status, message: error.message, headers: error.headers, provider });
  }
  return providerErrorFromException(error, provider);
}
