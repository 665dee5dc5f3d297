/**
 * A fetch that counts the requests its client has outstanding. A loopback server's own count runs
 * until it sees a request's socket close, which for a request the client aborted (a timeout) can come
 * after the client's next request has arrived; counted here, an aborted request ends when the client
 * aborts it.
 */

/** A counting fetch and the most requests it had outstanding at once. */
export interface CountingFetch {
  readonly fetch: typeof fetch;
  readonly maxInFlight: number;
}

/** Wraps `inner` (default: the global fetch); a request counts from the call until its response headers arrive or it fails. */
export function countingFetch(inner: typeof fetch = fetch): CountingFetch {
  let inFlight = 0;
  let maxInFlight = 0;
  const counted: typeof fetch = async (input, init) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      return await inner(input, init);
    } finally {
      inFlight -= 1;
    }
  };
  return {
    fetch: counted,
    get maxInFlight() {
      return maxInFlight;
    },
  };
}
