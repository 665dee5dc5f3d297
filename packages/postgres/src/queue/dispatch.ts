/**
 * The unit executor of a distributed run: instead of calling, the process running the campaign queues one
 * job per unit still to call and waits until every job of the stage is finished — by workers, or by its own
 * loop over the queue. Units that call no API (sampling, human labels, the estimate) run here.
 *
 * Before queueing it hands out the jobs of dead workers, drops jobs left waiting by an earlier run (their
 * units are queued again if they still need a call) and skips units a live worker holds, so no unit is in
 * two jobs at once. A unit's job is finished exactly when its outcome is stored (one transaction), so
 * "no unfinished job" means "every outcome stored"; units still without a new outcome then lost their job
 * (pg-boss gave up on it) and count as transient failures. A unit failing with an error that every further
 * call would repeat (a bad API key) stops the stage, as in a local run; so does the run's signal.
 */
import { CjeInputError, ProviderError } from "@cjeval/core";
import { executeUnits, FATAL_CODES, planUnits, type StageName, type StageOutcome, type UnitExecutor, type UnitJob } from "@cjeval/runner/store";
import type { PostgresCampaignStore, UnitMark } from "../postgres-store.js";
import type { UnitQueue } from "./unit-queue.js";

/** Settings of {@link queueExecutor}. */
export interface DispatchOptions {
  readonly queue: UnitQueue;
  readonly store: PostgresCampaignStore;
  /** Fingerprint of the campaign definition, carried by every job. */
  readonly campaign: string;
  /** The units of the stage being dispatched, by key (the running process's own loop calls them from here). */
  readonly current: Map<string, UnitJob>;
  /** Interval between looks at the stage's progress, in ms (default 250). */
  readonly pollMs?: number;
}

/** Time between two readings of the stage's units and between two hand-outs of dead workers' jobs, in ms. */
const READ_EVERY_MS = 1000;
const REAP_EVERY_MS = 2000;

/** The executor of a distributed run; see the module comment. */
export function queueExecutor(options: DispatchOptions): UnitExecutor {
  const { queue, store, current } = options;
  return async (jobs, execute) => {
    if (jobs.every((job) => job.provider === null)) return executeUnits(jobs, execute);
    if (jobs.some((job) => job.provider === null)) throw new Error(`stage ${execute.stage} mixes API calls with local units`);
    const { stage, signal } = execute;
    const { alreadyDone, skippedFinal, runnable } = await planUnits(jobs, execute);
    const progress = execute.progress.stage(stage, jobs.length, alreadyDone + skippedFinal);
    const before = new Map((await store.unitMarks(stage)).map((mark) => [mark.key, mark]));
    const settled = (mark: UnitMark | undefined): boolean =>
      mark !== undefined && (mark.status === "done" || mark.failedAttempts > (before.get(mark.key)?.failedAttempts ?? 0));
    const providers = new Set(runnable.map((job) => (job.provider as NonNullable<UnitJob["provider"]>).name));
    const queuedKeys = new Set(runnable.map((job) => job.spec.key));
    for (const job of runnable) current.set(job.spec.key, job);
    try {
      await queue.reap();
      await queue.purge(providers);
      const held = await queue.leasedKeys();
      for (const provider of providers) {
        const units = runnable.filter((job) => job.provider?.name === provider && !held.has(job.spec.key)).map((job) => ({ stage, key: job.spec.key }));
        await queue.enqueue(provider, units, options.campaign);
      }
      let fatal: UnitMark | undefined;
      let warned = false;
      let read = performance.now();
      let reaped = performance.now();
      // Progress: results stored since the stage was queued (a count), and failures newly stored (a short list).
      let done = [...before.values()].filter((mark) => mark.status === "done").length;
      const failed = new Set<string>();
      while (queuedKeys.size > 0) {
        await sleep(options.pollMs ?? 250, signal);
        if (signal?.aborted === true) break;
        if (performance.now() - reaped >= REAP_EVERY_MS) {
          await queue.reap();
          reaped = performance.now();
        }
        // The job count is cheap; the units (progress, failures that stop the stage) are read once a second.
        const unfinished = await queue.unfinished(providers);
        if (unfinished > 0 && performance.now() - read < READ_EVERY_MS) continue;
        read = performance.now();
        const now = await store.stageProgress(stage);
        for (; done < now.done; done++) progress.advance(true);
        for (const mark of now.failed) {
          if (!queuedKeys.has(mark.key) || failed.has(mark.key) || !settled(mark)) continue;
          failed.add(mark.key);
          progress.advance(false);
          if (mark.failure !== undefined && isFatal(mark.failure.code)) fatal ??= mark;
        }
        if (fatal !== undefined || unfinished === 0) break;
        if (!warned && (await queue.workers()).length === 0) {
          warned = true;
          execute.progress.note(`${stage}: ${unfinished} units queued and no worker is taking them: start \`cje worker\` processes on this store`);
        }
      }
      if (fatal !== undefined || signal?.aborted === true) await queue.purge(providers);
      progress.finish();
      if (fatal !== undefined) throw fatalError(fatal, stage, current.get(fatal.key)?.provider?.name);
      return outcomeOf(stage, jobs.length, alreadyDone, skippedFinal, runnable, new Map((await store.unitMarks(stage)).map((m) => [m.key, m])), settled);
    } finally {
      for (const job of runnable) current.delete(job.spec.key);
    }
  };
}

/** Failure codes that stop the stage (as in `executeUnits`: fatal provider errors and anything not from a provider). */
function isFatal(code: string): boolean {
  return FATAL_CODES.has(code) || code === "error";
}

/** The error a local run would have thrown for the unit's failure. */
function fatalError(mark: UnitMark, stage: StageName, provider: string | undefined): Error {
  const failure = mark.failure as NonNullable<UnitMark["failure"]>;
  if (FATAL_CODES.has(failure.code)) return new ProviderError(failure.message, { code: failure.code as "auth" | "unsupported", retryable: false, provider });
  return new CjeInputError(`a ${stage} unit failed in a worker: ${failure.message}`);
}

function outcomeOf(
  stage: StageName,
  total: number,
  alreadyDone: number,
  skippedFinal: number,
  runnable: readonly UnitJob[],
  marks: ReadonlyMap<string, UnitMark>,
  settled: (mark: UnitMark | undefined) => boolean,
): StageOutcome {
  let completed = 0;
  let retryable = 0;
  let final = skippedFinal;
  for (const job of runnable) {
    const mark = marks.get(job.spec.key);
    if (!settled(mark)) retryable++;
    else if (mark?.status === "done") completed++;
    else if (mark?.failure?.retryable === true) retryable++;
    else final++;
  }
  return { stage, total, alreadyDone, completed, retryableFailures: retryable, finalFailures: final };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
