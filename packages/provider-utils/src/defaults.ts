/**
 * Every default of the provider options, named once. Schemas, factories, the runner and the CLI read these
 * constants; no other file restates their values.
 *
 * @module
 */

/** Requests in flight at once per provider, over all its models. */
export const DEFAULT_CONCURRENCY = 8;

/** Per-attempt timeout of a provider request, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Retries of a transient failure after the first attempt. */
export const DEFAULT_MAX_RETRIES = 4;

/** Backoff base in milliseconds: the first retry waits 0.5–1× this. */
export const DEFAULT_BASE_DELAY_MS = 500;

/** Cap of the exponential backoff, in milliseconds. */
export const DEFAULT_MAX_DELAY_MS = 30_000;

/** Longest server-requested wait (`Retry-After`) that is honoured, in milliseconds; a longer one ends the retries. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 120_000;

/** After an abort, how long an attempt may take to wind down before the pipeline moves on, in milliseconds. */
export const DEFAULT_TIMEOUT_GRACE_MS = 1_000;

/**
 * Extra time an SDK client's own timeout allows beyond the pipeline's per-attempt timeout, in
 * milliseconds, so that the pipeline's (retryable, redacted) timeout fires first.
 */
export const SDK_TIMEOUT_MARGIN_MS = 5_000;

/** The judge's answer format: parse a bare score from the text. */
export const DEFAULT_JUDGE_OUTPUT = "text";

/** Output token limit of a judge in `text` mode (a bare score). */
export const DEFAULT_TEXT_JUDGE_MAX_TOKENS = 16;

/** Output token limit of a judge in `json` mode (reasoning, then the score). */
export const DEFAULT_JSON_JUDGE_MAX_TOKENS = 512;

/** The most top log-probs per token a judge may request (OpenAI's limit). */
export const MAX_TOP_LOGPROBS = 20;

/**
 * Most requests in flight at once. Past a thousand, a single machine gains nothing (sockets, memory and the
 * providers' own rate limits bind first) and a typo (`100000`) would open that many connections.
 */
export const MAX_CONCURRENCY = 1024;

/**
 * Longest timer Node can set, in milliseconds (2^31 − 1, about 24.8 days). A longer `setTimeout` overflows and
 * fires after 1 ms, so every timeout, delay and backoff option is capped here.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
