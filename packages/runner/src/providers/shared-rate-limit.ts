/**
 * Request-rate caps shared by every process working on a PostgreSQL store — `cje run` and any number of
 * `cje worker` processes, on any machine — so that together they stay within a provider's limit. Each
 * provider with `requestsPerMinute` takes its tokens from a bucket in the database (`takeTokens`), one
 * bucket per provider key: the hash of the provider type, endpoint and API key (the key itself is never
 * stored or shown), or, for a provider written in code, of the campaign and provider name. Campaigns and
 * processes using one key share its bucket. Takes issued in the same turn of the event loop take their
 * tokens with one statement.
 */
import { createHash } from "node:crypto";
import type { ProviderConfig } from "../config/schema.js";
import { GroupCommit } from "../store/group-commit.js";
import { ensureRateBuckets, takeTokens } from "../store/postgres-rate-buckets.js";
import { PostgresCampaignStore } from "../store/postgres-store.js";
import type { CampaignStore } from "../store/store.js";
import { delay, localRateLimits, type RateLimiter, type RateLimits } from "./rate-limit.js";
import { apiKeyOf } from "./factory.js";

/** A provider key's bucket: its identity (a hash) and a label for people (the provider and its host; never the key). */
export interface RateBucketIdentity {
  readonly bucket: string;
  readonly label: string;
}

/** Options of {@link sharedRateLimits}. */
export interface SharedRateLimitOptions {
  /** Calls that may start at once after a pause (the bucket's capacity; default 1: calls evenly spaced). */
  readonly burst?: number;
}

/**
 * The bucket of provider `name`: HTTP providers by type, endpoint and API key (read from the environment as
 * the adapter reads it), providers written in code by `scope` (the campaign's schema) and name.
 */
export function rateBucketOf(name: string, config: ProviderConfig, scope: string): RateBucketIdentity {
  if (config.type === "custom") return { bucket: digest(["custom", scope, name]), label: `${name}: custom provider of ${scope}` };
  const endpoint = config.baseURL?.replace(/\/+$/, "") ?? "";
  return {
    bucket: digest([config.type, endpoint, apiKeyOf(name, config) ?? ""]),
    label: `${name}: ${config.type} ${endpoint === "" ? "default endpoint" : hostOf(endpoint)}`,
  };
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

/** The rate caps of a run on `store`: shared through the database for a PostgreSQL store, per process otherwise. */
export function rateLimitsFor(store: CampaignStore): RateLimits {
  return store instanceof PostgresCampaignStore ? sharedRateLimits(store) : localRateLimits;
}

function digest(parts: readonly string[]): string {
  return createHash("sha256").update(JSON.stringify(["cje rate bucket", ...parts])).digest("hex").slice(0, 32);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "custom endpoint";
  }
}
