/** A request-rate cap: calls are spaced evenly at the configured rate. */
export interface RateLimiter {
  /** Resolves when the next call may start. */
  take(): Promise<void>;
}

/** Spaces calls `60000 / requestsPerMinute` ms apart (the first one starts at once). */
export function createRateLimiter(requestsPerMinute: number, now: () => number = () => performance.now()): RateLimiter {
  const interval = 60_000 / requestsPerMinute;
  let next = -Infinity;
  return {
    take() {
      const t = now();
      const slot = Math.max(t, next);
      next = slot + interval;
      const wait = slot - t;
      return wait <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, wait));
    },
  };
}
