/** Request-rate caps of the campaign's providers (`requestsPerMinute`). */
import type { ProviderConfig } from "../config/schema.js";

/** A request-rate cap: calls are spaced evenly at the configured rate. */
export interface RateLimiter {
  /** Resolves when the next call may start. */
  take(): Promise<void>;
}

/**
 * Builds the rate cap of the provider `name` (`null`: it has none): {@link localRateLimits} in this process,
 * or buckets shared through a PostgreSQL store (`sharedRateLimits`).
 */
export type RateLimits = (name: string, config: ProviderConfig) => RateLimiter | null;

/** Spaces calls `60000 / requestsPerMinute` ms apart (the first one starts at once). */
export function createRateLimiter(requestsPerMinute: number, now: () => number = () => performance.now()): RateLimiter {
  const interval = 60_000 / requestsPerMinute;
  let next = -Infinity;
  return {
    take() {
      const t = now();
      const slot = Math.max(t, next);
      next = slot + interval;
      return delay(slot - t);
    },
  };
}

/** Rate caps that hold in this process only: one {@link createRateLimiter} per provider with `requestsPerMinute`. */
export const localRateLimits: RateLimits = (_name, config) => (config.requestsPerMinute === undefined ? null : createRateLimiter(config.requestsPerMinute));

/** Resolves after `ms` (at once when `ms` is not positive). */
export function delay(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
