import pLimit from "p-limit";
import { MAX_CONCURRENCY } from "./defaults.js";

/** Runs async functions with at most `concurrency` of them in flight. */
export interface Limiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly concurrency: number;
  /** Functions running now. */
  readonly activeCount: number;
  /** Functions waiting for a slot. */
  readonly pendingCount: number;
}

/** Creates a {@link Limiter} (on `p-limit`); `concurrency` must be an integer from 1 to {@link MAX_CONCURRENCY}. */
export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new RangeError(`concurrency must be an integer from 1 to ${MAX_CONCURRENCY}, got ${concurrency}`);
  }
  const limit = pLimit(concurrency);
  return {
    run: (fn) => limit(fn),
    concurrency,
    get activeCount() {
      return limit.activeCount;
    },
    get pendingCount() {
      return limit.pendingCount;
    },
  };
}

/** Outcome of one item of {@link mapSettled}. */
export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * Applies `fn` to every item with at most `concurrency` calls in flight and returns one outcome per item,
 * in input order: a failure never hides or reorders the other items.
 */
export async function mapSettled<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>, concurrency: number): Promise<Settled<R>[]> {
  const limiter = createLimiter(concurrency);
  return Promise.all(
    items.map((item, index) =>
      limiter.run(async (): Promise<Settled<R>> => {
        try {
          return { ok: true, value: await fn(item, index) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    ),
  );
}
