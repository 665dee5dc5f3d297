/**
 * Request-rate caps shared by every process working on a PostgreSQL store — `cje run` and any number of
 * `cje worker` processes, on any machine — so that together they stay within a provider's limit. Each
 * provider with `requestsPerMinute` takes its tokens from a bucket in the database (`takeTokens`), one
 * bucket per provider key (`rateBucketOf` of `@cjeval/runner/store`). Takes issued in the same turn of the
 * event loop take their tokens with one statement.
 */
import { delay, GroupCommit, rateBucketOf, type RateBucketIdentity, type RateLimiter, type RateLimits } from "@cjeval/runner/store";
import type { PostgresCampaignStore } from "./postgres-store.js";
import { ensureRateBuckets, takeTokens } from "./rate-buckets.js";

/** Options of {@link sharedRateLimits}. */
export interface SharedRateLimitOptions {
  /** Calls that may start at once after a pause (the bucket's capacity; default 1: calls evenly spaced). */
  readonly burst?: number;
}

/** Rate caps from buckets in `store`'s database; see the module comment. */
export function sharedRateLimits(store: PostgresCampaignStore, options: SharedRateLimitOptions = {}): RateLimits {
  let ready: Promise<void> | undefined;
  const prepare = (): Promise<void> => {
    if (ready === undefined) {
      const ensuring = ensureRateBuckets(store);
      ready = ensuring;
      ensuring.catch(() => {
        if (ready === ensuring) ready = undefined;
      });
    }
    return ready;
  };
  return (name, config) => {
    const requestsPerMinute = config.requestsPerMinute;
    if (requestsPerMinute === undefined) return null;
    const burst = options.burst ?? 1;
    let identity: RateBucketIdentity | undefined;
    const takes = new GroupCommit<null>(async (batch) => {
      await prepare();
      // Found on first use: a dry run needs no API key.
      identity ??= rateBucketOf(name, config, store.schema);
      const { waitsMs } = await takeTokens(store.db, { ...identity, requestsPerMinute, burst, count: batch.length });
      return waitsMs.map((value) => ({ ok: true, value }));
    });
    const limiter: RateLimiter = { take: async () => delay(await takes.enqueue<number>(null)) };
    return limiter;
  };
}
