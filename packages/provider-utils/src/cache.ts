/**
 * A store of provider responses keyed by {@link requestKey}, so that a re-run of the same requests costs
 * nothing. Values are JSON-serialisable. Only successful responses are stored. Implement it to plug in
 * another store (the runner's SQLite store does).
 */
export interface ResponseCache {
  /** The stored value, or `undefined` on a miss. */
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

/** A {@link ResponseCache} in a `Map`, for one process. Values are deep-copied through JSON both ways. */
export class MemoryCache implements ResponseCache {
  private readonly entries = new Map<string, string>();

  async get(key: string): Promise<unknown> {
    const text = this.entries.get(key);
    return text === undefined ? undefined : JSON.parse(text);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.entries.set(key, JSON.stringify(value));
  }

  /** Number of stored entries. */
  get size(): number {
    return this.entries.size;
  }
}
