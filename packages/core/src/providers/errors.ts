/**
 * Why a provider call failed. The code decides whether retrying can help (see {@link ProviderError.retryable}).
 *
 * - `rate_limited` (HTTP 429), `server_error` (5xx), `timeout`, `network`, `bad_response` (a body that is
 *   not the wire format, e.g. malformed JSON): transient, retryable by default.
 * - `bad_request` (4xx), `auth` (401/403), `invalid_output` (the model answered but no valid score or
 *   log-prob could be read from it), `refusal` (the model declined), `unsupported` (a capability or
 *   feature the provider or server does not have), `aborted` (cancelled by the caller): final.
 */
export type ProviderErrorCode =
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "network"
  | "bad_response"
  | "bad_request"
  | "auth"
  | "invalid_output"
  | "refusal"
  | "unsupported"
  | "aborted";

const RETRYABLE_CODES: ReadonlySet<ProviderErrorCode> = new Set(["rate_limited", "server_error", "timeout", "network", "bad_response"]);

/** Options of a {@link ProviderError}; only `code` is required. */
export interface ProviderErrorOptions {
  /** What went wrong. */
  readonly code: ProviderErrorCode;
  /** Whether a retry may succeed; defaults from `code`. */
  readonly retryable?: boolean;
  /** HTTP status, when the failure came from an HTTP response. */
  readonly status?: number;
  /** Server-requested wait before the next attempt (from `Retry-After`), in milliseconds. */
  readonly retryAfterMs?: number;
  /** Provider id, e.g. `openai`. */
  readonly provider?: string;
  /** The model's raw text, for `invalid_output` / `refusal`, so it can be reported with the failure. */
  readonly raw?: string;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * A failed provider call. Adapters map every SDK, HTTP and parsing failure to this one class, so callers
 * (retry loops, the CLI) branch on `code` and `retryable` instead of on SDK-specific classes.
 */
export class ProviderError extends Error {
  /** What went wrong. */
  readonly code: ProviderErrorCode;
  /** Whether a retry may succeed. */
  readonly retryable: boolean;
  /** HTTP status, when known. */
  readonly status: number | undefined;
  /** Server-requested wait before retrying, in milliseconds, when the server sent one. */
  readonly retryAfterMs: number | undefined;
  /** Provider id, when known. */
  readonly provider: string | undefined;
  /** The model's raw output, for failures to read a score or log-prob from it. */
  readonly raw: string | undefined;

  constructor(message: string, options: ProviderErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ProviderError";
    this.code = options.code;
    this.retryable = options.retryable ?? RETRYABLE_CODES.has(options.code);
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.provider = options.provider;
    this.raw = options.raw;
  }
}

/** True when `error` is a {@link ProviderError}. */
export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
