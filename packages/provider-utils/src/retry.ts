import { isProviderError, type ProviderError } from "@cjeval/core";
import { DEFAULT_BASE_DELAY_MS, DEFAULT_MAX_DELAY_MS, DEFAULT_MAX_RETRIES, DEFAULT_MAX_RETRY_AFTER_MS } from "./defaults.js";
import type { RetryPolicy } from "./pipeline-settings.js";
import { type Sleep, sleep as realSleep } from "./sleep.js";

/** What a retry loop reports before it waits. */
export interface RetryEvent {
  /** 1-based number of the retry about to happen. */
  readonly retry: number;
  readonly delayMs: number;
  readonly error: ProviderError;
}

/** Injectable parts of the retry loop. */
export interface RetryOptions extends RetryPolicy {
  readonly sleep?: Sleep;
  /** Uniform [0, 1) source for jitter (default `Math.random`). */
  readonly random?: () => number;
  readonly signal?: AbortSignal;
  readonly onRetry?: (event: RetryEvent) => void;
}

/** Default {@link RetryPolicy} values. */
export const DEFAULT_RETRY_POLICY: Required<RetryPolicy> = {
  maxRetries: DEFAULT_MAX_RETRIES,
  baseDelayMs: DEFAULT_BASE_DELAY_MS,
  maxDelayMs: DEFAULT_MAX_DELAY_MS,
  maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
};

/**
 * Delay before retry number `retry` (1-based): exponential backoff with "equal jitter", i.e. uniform in
 * [d/2, d] with d = min(maxDelayMs, baseDelayMs · 2^(retry−1)), and never shorter than the server's
 * `Retry-After` when it sent one.
 */
export function retryDelayMs(retry: number, retryAfterMs: number | undefined, policy: RetryPolicy = {}, random: () => number = Math.random): number {
  const base = policy.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs;
  const cap = policy.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs;
  const ceiling = Math.min(cap, base * 2 ** (retry - 1));
  const backoff = ceiling / 2 + (random() * ceiling) / 2;
  return retryAfterMs === undefined ? backoff : Math.max(retryAfterMs, backoff);
}

/**
 * Runs `attempt` until it succeeds, retrying {@link ProviderError}s whose `retryable` flag is set. Other
 * errors, non-retryable provider errors, an exhausted budget or a `Retry-After` longer than
 * `maxRetryAfterMs` end the loop with the last error. Aborting `signal` stops any wait at once and rejects with its reason.
 */
export async function withRetries<T>(attempt: (index: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxRetries = options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs;
  const wait = options.sleep ?? realSleep;
  for (let index = 0; ; index++) {
    try {
      return await attempt(index);
    } catch (error) {
      if (!isProviderError(error) || !error.retryable || index >= maxRetries) throw error;
      if (error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfterMs) throw error;
      if (options.signal?.aborted) throw options.signal.reason;
      const delayMs = retryDelayMs(index + 1, error.retryAfterMs, options, options.random);
      options.onRetry?.({ retry: index + 1, delayMs, error });
      await wait(delayMs, options.signal);
    }
  }
}
