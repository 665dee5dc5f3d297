import { ProviderError } from "@cjeval/core";
import { z } from "zod";

/**
 * How a provider package connects to its API: endpoint, key, extra headers. Every provider factory
 * (`createOpenAI`, `createAnthropic`) takes these; a campaign's `providers` entry takes `baseURL` and
 * `apiKeyEnv` (keys never sit in campaign files).
 */
export const ConnectionOptionsSchema = z.object({
  /** API key (default: the environment variable named by `apiKeyEnv`). Never logged, cached or put in error messages. */
  apiKey: z.string().min(1).optional(),
  /** Environment variable holding the API key (default `OPENAI_API_KEY` / `ANTHROPIC_API_KEY`). */
  apiKeyEnv: z.string().min(1).optional(),
  /** A compatible server (vLLM, llama.cpp, Together, a proxy, …); default `OPENAI_BASE_URL` / `ANTHROPIC_BASE_URL`, else the vendor's endpoint. */
  baseURL: z.string().url().optional(),
  /** Extra HTTP headers on every request. */
  headers: z.record(z.string(), z.string()).optional(),
  /** Provider id in errors, usage and cache keys (default: the provider's name, `openai` / `anthropic`). */
  id: z.string().min(1).optional(),
  /** Custom `fetch` implementation for the SDK client. */
  fetch: z.custom<typeof fetch>((value) => typeof value === "function", "expected a fetch function").optional(),
});

/** How a provider package connects to its API (see {@link ConnectionOptionsSchema}). */
export type ConnectionOptions = Readonly<z.infer<typeof ConnectionOptionsSchema>>;

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
