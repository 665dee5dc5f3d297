import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type { ProviderError } from "@cjeval/core";
import { providerErrorFromSdk } from "@cjeval/provider-utils";

const SDK_ERRORS = { timeout: APIConnectionTimeoutError, abort: APIUserAbortError, connection: APIConnectionError, api: APIError };

/** Maps a failure of the `openai` client (or of reading its response) to a {@link ProviderError}. */
export function toProviderError(error: unknown, provider: string): ProviderError {
  return providerErrorFromSdk(error, provider, SDK_ERRORS);
}
