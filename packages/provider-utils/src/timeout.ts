import { ProviderError } from "@cjeval/core";
import { DEFAULT_TIMEOUT_GRACE_MS, MAX_TIMER_MS } from "./defaults.js";

/** Options of {@link withTimeout}. */
export interface TimeoutOptions {
  /** Per-attempt time limit in milliseconds. */
  readonly timeoutMs: number;
  /** The caller's cancellation signal. */
  readonly signal?: AbortSignal;
  /** Provider id for the error. */
  readonly provider?: string;
  /**
   * After an abort, how long to wait for the attempt to wind down (default {@link DEFAULT_TIMEOUT_GRACE_MS}), so that an abandoned
   * request still closing does not overlap the next one and break the concurrency limit.
   */
  readonly graceMs?: number;
}

/**
 * Runs `run` with an `AbortSignal` that fires after `timeoutMs` or when the caller's `signal` aborts,
 * and settles soon after either happens (once the attempt has wound down, or after `graceMs` if it
 * ignores the signal). A timeout rejects with a
 * retryable `timeout` {@link ProviderError}; a caller abort with a final `aborted` one.
 */
export async function withTimeout<T>(run: (signal: AbortSignal) => Promise<T>, options: TimeoutOptions): Promise<T> {
  if (!(options.timeoutMs > 0 && options.timeoutMs <= MAX_TIMER_MS)) {
    throw new RangeError(`timeoutMs must be from 1 to ${MAX_TIMER_MS} ms (Node's longest timer), got ${options.timeoutMs}`);
  }
  const controller = new AbortController();
  const provider = options.provider;
  const abortWith = (error: ProviderError): void => {
    if (!controller.signal.aborted) controller.abort(error);
  };
  const onCallerAbort = (): void => abortWith(new ProviderError("request cancelled by the caller", { code: "aborted", provider }));
  if (options.signal?.aborted) onCallerAbort();
  options.signal?.addEventListener("abort", onCallerAbort, { once: true });
  const timer = setTimeout(
    () => abortWith(new ProviderError(`request timed out after ${options.timeoutMs} ms`, { code: "timeout", provider })),
    options.timeoutMs,
  );
  let removeAbortListener = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = (): void => reject(controller.signal.reason);
    if (controller.signal.aborted) onAbort();
    controller.signal.addEventListener("abort", onAbort, { once: true });
    removeAbortListener = () => controller.signal.removeEventListener("abort", onAbort);
  });
  const attempt = run(controller.signal);
  try {
    return await Promise.race([attempt, aborted]);
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    let graceTimer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      graceTimer = setTimeout(resolve, options.graceMs ?? DEFAULT_TIMEOUT_GRACE_MS);
    });
    await Promise.race([
      attempt.then(
        () => undefined,
        () => undefined,
      ),
      grace,
    ]);
    clearTimeout(graceTimer);
    throw controller.signal.reason;
  } finally {
    clearTimeout(timer);
    removeAbortListener();
    options.signal?.removeEventListener("abort", onCallerAbort);
  }
}
