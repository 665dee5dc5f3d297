/**
 * The loop that works on a campaign's queue, in `cje worker` processes and in the process running the
 * campaign: per provider, it keeps up to the provider's concurrency of units in flight, taking jobs as
 * slots free up. For each job it finds the unit's call, records the attempt before sending it, and stores
 * the result (or failure) in one transaction with the job's completion: a unit is stored once, and a job
 * is done exactly when its unit's outcome is. A unit that already has a result (its job was handed out
 * twice) is not called again. Every few seconds it hands out again the jobs of workers that died.
 */
import { CjeInputError, isProviderError } from "@cjeval/core";
import { failureOf, FATAL_CODES, type UnitJob, type UnitOutcome } from "@cjeval/runner/store";
import type { PostgresCampaignStore } from "../postgres-store.js";
import type { ClaimedUnit, UnitQueue } from "./unit-queue.js";

/**
 * What to do with a job: run the unit's call, or complete the job without a call (`skip`, with the reason:
 * a job the process running the campaign no longer needs). Throw a `CjeInputError` when this process cannot
 * run the unit at all (another campaign definition): the job goes back to the queue and the loop stops.
 */
export type UnitResolution = { readonly job: UnitJob } | { readonly skip: string };

/** Finds the call of a job's unit. */
export type UnitResolver = (unit: ClaimedUnit) => Promise<UnitResolution>;

/** A taken unit whose attempt has begun. */
interface Prepared {
  readonly unit: ClaimedUnit;
  readonly job: UnitJob;
}

/** Options of {@link UnitWorker}. */
export interface UnitWorkerOptions {
  /** Wait before looking at an empty queue again, in ms (default 100). */
  readonly pollMs?: number;
  /** How often the jobs of dead workers are handed out again, in ms (default 2000). */
  readonly reapMs?: number;
  /** Called with problems the loop survives (a write that failed, a provider it stopped calling, …). */
  readonly onProblem?: (message: string) => void;
}

/** What a worker did. */
export interface WorkerCounts {
  /** Units whose result it stored. */
  completed: number;
  /** Units whose failure it stored. */
  failed: number;
  /** Jobs it completed without a call (the unit had a result, or was not needed any more). */
  skipped: number;
}

/** A loop over the queue; see the module comment. */
export class UnitWorker {
  /** What the loop did so far. */
  readonly counts: WorkerCounts = { completed: 0, failed: 0, skipped: 0 };
  private readonly queue: UnitQueue;
  private readonly store: PostgresCampaignStore;
  private readonly slots: ReadonlyMap<string, number>;
  private readonly resolve: UnitResolver;
  private readonly options: UnitWorkerOptions;
  /** Providers this loop stopped calling (every further call would fail the same way). */
  private readonly paused = new Set<string>();
  private loops: Promise<void> | null = null;
  private stopping = false;
  private halted: Error | null = null;
  /** Ends of the pauses in progress. */
  private readonly sleepers = new Set<() => void>();
  /** Outcome writes not committed yet. */
  private readonly settling = new Set<Promise<void>>();
  private readonly stopped: Promise<void>;
  private signalStopped: () => void = () => undefined;

  /** `slots`: the concurrency of each provider whose queue the loop takes jobs from. */
  constructor(queue: UnitQueue, store: PostgresCampaignStore, slots: ReadonlyMap<string, number>, resolve: UnitResolver, options: UnitWorkerOptions = {}) {
    this.queue = queue;
    this.store = store;
    this.slots = slots;
    this.resolve = resolve;
    this.options = options;
    this.stopped = new Promise((resolve) => (this.signalStopped = resolve));
  }

  /** The error that stopped the loop on its own (a unit it cannot run), if any. */
  get error(): Error | null {
    return this.halted;
  }

  /** Starts taking jobs. */
  start(): void {
    if (this.loops !== null) return;
    this.loops = Promise.all([...[...this.slots].map(([provider, concurrency]) => this.providerLoop(provider, concurrency)), this.reapLoop()]).then(
      () => undefined,
    );
  }

  /** Resolves when the loop stops taking jobs: {@link stop} was called, or it halted on an error. */
  whenStopped(): Promise<void> {
    return this.stopped;
  }

  /** Stops taking jobs; resolves once the calls in flight are finished and stored. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.signalStopped();
    this.wakeAll();
    await this.loops;
    while (this.settling.size > 0) await Promise.all(this.settling);
  }

  /**
   * Keeps `concurrency` calls of `provider` in flight. Jobs are taken half a concurrency ahead, and their
   * attempts begun, while calls run: a freed slot starts the next call at once, and the queue and the store
   * are asked once per batch. A call's slot is freed when the call returns; its outcome is stored in the
   * background. Units taken and begun when the loop stops are called too (they are in flight).
   */
  private async providerLoop(provider: string, concurrency: number): Promise<void> {
    const calls = new Set<Promise<void>>();
    const ready: Array<Promise<Prepared | null>> = [];
    const batch = Math.max(1, Math.ceil(concurrency / 2));
    let claiming: Promise<void> | null = null;
    let idleMs = 0;
    const startCalls = (): void => {
      while (calls.size < concurrency && ready.length > 0) {
        const call: Promise<void> = (ready.shift() as Promise<Prepared | null>)
          .then((unit) => (unit === null ? undefined : this.call(unit)))
          .finally(() => calls.delete(call));
        calls.add(call);
      }
    };
    while (!this.stopping && !this.paused.has(provider)) {
      startCalls();
      const missing = concurrency + batch - calls.size - ready.length;
      if (claiming === null && idleMs === 0 && missing >= batch) {
        claiming = this.queue
          .claim(provider, missing)
          .then(
            (claimed) => {
              if (claimed.length === 0) idleMs = this.options.pollMs ?? 100;
              ready.push(...claimed.map((unit) => this.prepare(unit)));
            },
            (error: Error) => {
              this.problem(`cannot take units of ${provider} from the queue: ${error.message}`);
              idleMs = 1000;
            },
          )
          .finally(() => (claiming = null));
      }
      const waits: Array<Promise<unknown>> = [...calls];
      if (claiming !== null) waits.push(claiming);
      else if (idleMs > 0) waits.push(this.pause(idleMs).then(() => (idleMs = 0)));
      if (waits.length > 0) await Promise.race(waits);
    }
    await claiming;
    while (ready.length > 0 || calls.size > 0) {
      if (this.paused.has(provider)) {
        for (const prepared of ready.splice(0)) {
          const taken = await prepared;
          if (taken !== null) await this.queue.release(taken.unit, "its worker stopped calling the provider").catch(() => undefined);
        }
      }
      startCalls();
      if (calls.size > 0) await Promise.race(calls);
    }
  }

  private async reapLoop(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.queue.reap();
      } catch (error) {
        this.problem(`cannot hand out the jobs of dead workers: ${(error as Error).message}`);
      }
      await this.pause(this.options.reapMs ?? 2000);
    }
  }

  /** Finds a taken unit's call and begins its attempt; `null` when there is nothing to call. */
  private async prepare(unit: ClaimedUnit): Promise<Prepared | null> {
    try {
      let resolution: UnitResolution;
      try {
        resolution = await this.resolve(unit);
      } catch (error) {
        await this.queue.release(unit, (error as Error).message);
        if (!(error instanceof CjeInputError)) throw error;
        this.halt(error);
        return null;
      }
      if ("skip" in resolution || !(await this.store.tryBeginAttempt(unit.key))) {
        await this.store.transaction(this.queue.settle(unit));
        this.counts.skipped++;
        return null;
      }
      return { unit, job: resolution.job };
    } catch (error) {
      this.problem(`unit ${unit.key}: ${(error as Error).message}`);
      await this.queue.release(unit, (error as Error).message).catch(() => undefined);
      return null;
    }
  }

  /** Makes the call; its outcome is stored with the job's completion in the background. */
  private async call({ unit, job }: Prepared): Promise<void> {
    try {
      await job.provider?.rate?.take();
    } catch (error) {
      // No token (the shared bucket is out of reach): nothing was sent; another attempt makes the call.
      this.problem(`cannot take a rate-limit token for ${unit.provider}: ${(error as Error).message}`);
      await this.queue.release(unit, (error as Error).message).catch(() => undefined);
      return;
    }
    let outcome: UnitOutcome;
    try {
      outcome = await job.run();
    } catch (error) {
      this.track(unit, this.store.failAttempt(unit.key, failureOf(error), this.queue.settle(unit)), () => this.counts.failed++);
      if (!isProviderError(error) || FATAL_CODES.has(error.code)) {
        this.paused.add(unit.provider);
        this.problem(`stopped calling ${unit.provider}: ${(error as Error).message}`);
      }
      return;
    }
    this.track(unit, this.store.completeAttempt(unit.key, outcome, this.queue.settle(unit)), () => this.counts.completed++);
  }

  /** Follows an outcome's write; if it fails, the job goes back to the queue so that another attempt stores it. */
  private track(unit: ClaimedUnit, write: Promise<void>, stored: () => void): void {
    const tracked: Promise<void> = write
      .then(stored, async (error: Error) => {
        this.problem(`unit ${unit.key}: ${error.message}`);
        await this.queue.release(unit, error.message).catch(() => undefined);
      })
      .finally(() => this.settling.delete(tracked));
    this.settling.add(tracked);
  }

  private halt(error: Error): void {
    this.halted ??= error;
    this.stopping = true;
    this.signalStopped();
    this.wakeAll();
  }

  private problem(message: string): void {
    this.options.onProblem?.(message);
  }

  /** Waits `ms`, or less when the loop is stopped. */
  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  private wakeAll(): void {
    for (const done of [...this.sleepers]) done();
  }
}
