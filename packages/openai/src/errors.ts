import { ProviderError } from "@cjeval/core";
import { providerErrorFromException, providerErrorFromHttp } from "@cjeval/provider-utils";
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";

/** Maps a failure of the `openai` SDK (or of reading its response) to a {@link ProviderError}. */
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
