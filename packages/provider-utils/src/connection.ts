import { ProviderError } from "@cjeval/core";

/** Where a provider's settings come from: explicit options first, then environment variables. */
export interface ConnectionSources {
  /** Provider id used in errors. */
  readonly id: string;
  /** Explicit base URL option. */
  readonly baseURL: string | undefined;
  /** Explicit API key option. */
  readonly apiKey: string | undefined;
  /** Environment variable holding the base URL (e.g. `OPENAI_BASE_URL`). */
  readonly baseURLEnv: string;
  /** Environment variable holding the API key (e.g. `OPENAI_API_KEY`). */
  readonly apiKeyEnv: string;
  /** The vendor's own endpoint, used when no base URL is given. */
  readonly defaultBaseURL: string;
}

/** A resolved endpoint. The key is only ever handed to the SDK client and the redactor. */
export interface Connection {
  readonly baseURL: string;
  readonly apiKey: string;
}

/**
 * Resolves base URL and API key from options, then the environment. A custom endpoint (a local
 * vLLM or llama.cpp server) may run without a key; the vendor's own endpoint may not.
 *
 * @throws ProviderError (`auth`) when the vendor endpoint has no key.
 */
export function resolveConnection(sources: ConnectionSources): Connection {
  const baseURL = (sources.baseURL ?? process.env[sources.baseURLEnv] ?? sources.defaultBaseURL).replace(/\/+$/, "");
  const custom = baseURL !== sources.defaultBaseURL;
  const apiKey = sources.apiKey ?? process.env[sources.apiKeyEnv] ?? (custom ? "no-key" : undefined);
  if (apiKey === undefined || apiKey === "") {
    throw new ProviderError(`no API key for ${sources.id}: set ${sources.apiKeyEnv} or pass apiKey`, { code: "auth", provider: sources.id });
  }
  return { baseURL, apiKey };
}
