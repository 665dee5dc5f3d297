import { CjeInputError } from "@cjeval/core";
import { z } from "zod";
import type { ResponseCache } from "./cache.js";
import {
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_TIMEOUT_MS,
  MAX_CONCURRENCY,
  MAX_TIMER_MS,
} from "./defaults.js";
import { PriceTableSchema } from "./prices.js";
import type { RetryEvent } from "./retry.js";
import type { Sleep } from "./sleep.js";

const isFunction = (value: unknown): boolean => typeof value === "function";

/** A duration Node's timers can hold: 0 to {@link MAX_TIMER_MS} milliseconds. */
const timerMs = z.number().nonnegative().max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} ms (2^31 − 1, Node's longest timer)`);

/** Most retries of one request. */
const MAX_RETRIES = 100;

/** Requests in flight at once: an integer from 1 to {@link MAX_CONCURRENCY}. */
export const concurrencySchema = z.number().int().positive().max(MAX_CONCURRENCY, `must be at most ${MAX_CONCURRENCY}`);

/** A per-attempt timeout: an integer from 1 to {@link MAX_TIMER_MS} milliseconds. */
export const timeoutMsSchema = z.number().int().positive().max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} ms (2^31 − 1, Node's longest timer)`);

/** How often and how long to retry transient failures. */
export const RetryPolicySchema = z.object({
  /** Retries after the first attempt (default {@link DEFAULT_MAX_RETRIES}). */
  maxRetries: z.number().int().nonnegative().max(MAX_RETRIES, `must be at most ${MAX_RETRIES}`).optional(),
  /** Backoff base in milliseconds: the first retry waits 0.5–1× this (default {@link DEFAULT_BASE_DELAY_MS}). */
  baseDelayMs: timerMs.optional(),
  /** Cap of the exponential backoff in milliseconds (default {@link DEFAULT_MAX_DELAY_MS}). */
  maxDelayMs: timerMs.optional(),
  /** Longest `Retry-After` honoured, in milliseconds; a longer one ends the retries with the error (default {@link DEFAULT_MAX_RETRY_AFTER_MS}). */
  maxRetryAfterMs: timerMs.optional(),
});

/** How often and how long to retry transient failures (see {@link RetryPolicySchema}). */
export type RetryPolicy = Readonly<z.infer<typeof RetryPolicySchema>>;

/**
 * Settings shared by every provider factory (`createOpenAI`, `createAnthropic`, ...) and by a campaign's
 * `providers` entries: concurrency, timeout, retries, prices, and the hooks code can plug in.
 */
export const PipelineSettingsSchema = RetryPolicySchema.extend({
  /** Most requests in flight at once, over all models of the provider (default {@link DEFAULT_CONCURRENCY}). */
  concurrency: concurrencySchema.optional(),
  /** Per-attempt timeout in milliseconds (default {@link DEFAULT_TIMEOUT_MS}). */
  timeoutMs: timeoutMsSchema.optional(),
  /** Prices (USD per million tokens) merged over the provider package's list prices, for cost accounting. */
  prices: PriceTableSchema.optional(),
  /** Response cache; none by default. */
  cache: z
    .custom<ResponseCache>(
      (value) => typeof value === "object" && value !== null && isFunction((value as ResponseCache).get) && isFunction((value as ResponseCache).set),
      "expected a ResponseCache { get, set }",
    )
    .optional(),
  /** Injectable wait (tests use a fake clock). */
  sleep: z.custom<Sleep>(isFunction, "expected a function").optional(),
  /** Injectable jitter source, uniform on [0, 1) (default `Math.random`). */
  random: z.custom<() => number>(isFunction, "expected a function").optional(),
  /** Called before each retry, with the (redacted) error. */
  onRetry: z.custom<(event: RetryEvent) => void>(isFunction, "expected a function").optional(),
});

/** Settings shared by every provider factory (see {@link PipelineSettingsSchema}). */
export type PipelineSettings = Readonly<z.infer<typeof PipelineSettingsSchema>>;

/** The pipeline's defaults, from the named constants. */
export const PIPELINE_DEFAULTS = {
  concurrency: DEFAULT_CONCURRENCY,
  timeoutMs: DEFAULT_TIMEOUT_MS,
  maxRetries: DEFAULT_MAX_RETRIES,
  baseDelayMs: DEFAULT_BASE_DELAY_MS,
  maxDelayMs: DEFAULT_MAX_DELAY_MS,
  maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
} as const satisfies Required<RetryPolicy> & Pick<Required<PipelineSettings>, "concurrency" | "timeoutMs">;

/**
 * The numeric settings of `settings` with every default filled in from {@link PIPELINE_DEFAULTS}.
 *
 * @throws CjeInputError naming the setting when one is out of range (e.g. `concurrency` above
 *   {@link MAX_CONCURRENCY}, `timeoutMs` above {@link MAX_TIMER_MS}).
 */
export function resolvePipelineSettings(settings: PipelineSettings = {}): { readonly [K in keyof typeof PIPELINE_DEFAULTS]: number } {
  const shape = PipelineSettingsSchema.shape;
  for (const key of Object.keys(PIPELINE_DEFAULTS) as (keyof typeof PIPELINE_DEFAULTS)[]) {
    const value = settings[key];
    if (value === undefined) continue;
    const result = shape[key].safeParse(value);
    if (!result.success) throw new CjeInputError(result.error.issues[0].message, { field: key, value });
  }
  return {
    concurrency: settings.concurrency ?? PIPELINE_DEFAULTS.concurrency,
    timeoutMs: settings.timeoutMs ?? PIPELINE_DEFAULTS.timeoutMs,
    maxRetries: settings.maxRetries ?? PIPELINE_DEFAULTS.maxRetries,
    baseDelayMs: settings.baseDelayMs ?? PIPELINE_DEFAULTS.baseDelayMs,
    maxDelayMs: settings.maxDelayMs ?? PIPELINE_DEFAULTS.maxDelayMs,
    maxRetryAfterMs: settings.maxRetryAfterMs ?? PIPELINE_DEFAULTS.maxRetryAfterMs,
  };
}
