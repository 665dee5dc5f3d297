/**
 * Group commit, shared by both stores: writes issued in the same turn of the event loop are committed in
 * one transaction, and each write's promise settles only after that transaction commits (so a caller that
 * awaited a write knows it is durable). One write failing does not undo the others: the backend isolates
 * them (SQLite with a savepoint per write, PostgreSQL by committing them one by one after a failure).
 * Writes queued while batches commit go into the next one. A networked store may commit several batches
 * at once (on different connections): a caller issues a write that depends on an earlier one only after
 * the earlier one resolved, so concurrent batches never hold writes that must be ordered.
 */

/** How one write of a batch ended. */
export type WriteResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** Commits a batch of writes in one transaction and reports how each ended. */
export type BatchCommitter<W> = (batch: readonly W[]) => WriteResult[] | Promise<WriteResult[]>;

/** Write statistics: transactions committed, writes in them, and the time spent writing and committing. */
export interface WriteStats {
  commits: number;
  writes: number;
  commitMs: number;
}

interface Queued<W> {
  readonly write: W;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** The write queue of a store; see the module comment. */
export class GroupCommit<W> {
  /** Statistics since the queue was created (shared with other queues when given to the constructor). */
  readonly stats: WriteStats;
  private queue: Array<Queued<W>> = [];
  private scheduled = false;
  private readonly committing = new Set<Promise<void>>();

  /** `parallel`: batches that may commit at once (default 1); `stats`: counters to add to. */
  constructor(
    private readonly commitBatch: BatchCommitter<W>,
    private readonly parallel = 1,
    stats: WriteStats = { commits: 0, writes: 0, commitMs: 0 },
  ) {
    this.stats = stats;
  }

  /** Queues `write` for the next group commit; resolves with its value once committed. */
  enqueue<T>(write: W): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Commits everything queued so far (once a commit slot is free), and waits for the batches committing. */
  async flush(): Promise<void> {
    this.scheduled = false;
    while (this.committing.size >= this.parallel) await Promise.race(this.committing);
    const batch = this.queue;
    this.queue = [];
    if (batch.length > 0) {
      const committing: Promise<void> = this.commit(batch).finally(() => this.committing.delete(committing));
      this.committing.add(committing);
    }
    await Promise.all(this.committing);
  }

  /** Counts writes committed outside the queue (statements run on their own). */
  record(writes: number, startedMs: number): void {
    this.stats.commits++;
    this.stats.writes += writes;
    this.stats.commitMs += performance.now() - startedMs;
  }

  private async commit(batch: ReadonlyArray<Queued<W>>): Promise<void> {
    const started = performance.now();
    let results: WriteResult[];
    try {
      const committed = this.commitBatch(batch.map((item) => item.write));
      results = Array.isArray(committed) ? committed : await committed;
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    } finally {
      this.record(batch.length, started);
    }
    results.forEach((result, i) => (result.ok ? batch[i].resolve(result.value) : batch[i].reject(result.error)));
  }
}
