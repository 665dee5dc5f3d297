/**
 * The unit executor every calling stage shares: registers the stage's units, skips those with a stored
 * result, and runs the rest with one pool of workers per provider (its concurrency and rate cap). Each
 * call is recorded as an attempt before anything is sent and its result is stored in one transaction in
 * the event-loop turn it arrives in, so a killed run loses at most the calls in flight (whose results were
 * not committed yet); a resumed run sends those once more and the store counts them as interrupted.
 */
import { isProviderError } from "@cjeval/core";
import { redactSecrets, terminalText } from "@cjeval/provider-utils";
import type { CampaignProvider } from "../providers/registry.js";
import type { ProgressSink } from "../progress.js";
import type { CampaignStore, StageName, UnitFailure, UnitOutcome, UnitSpec } from "../store/store.js";

/** One call of a stage. */
export interface UnitJob {
  readonly spec: UnitSpec;
  /** Provider whose concurrency and rate cap apply (`null`: no API call). */
  readonly provider: CampaignProvider | null;
  /** Performs the call. */
  run(): Promise<UnitOutcome>;
}

/** How a stage run went. */
export interface StageOutcome {
  readonly stage: StageName;
  readonly total: number;
  /** Units with a stored result before this run. */
  readonly alreadyDone: number;
  /** Units completed now. */
  readonly completed: number;
  /** Units that failed now and may succeed on a later run. */
  readonly retryableFailures: number;
  /** Units whose last failure is final, now or in an earlier run and not retried (a judge that gave no score, a refused prompt, …). */
  readonly finalFailures: number;
}

/** Settings of {@link executeUnits}. */
export interface ExecuteOptions {
  readonly store: CampaignStore;
  readonly stage: StageName;
  readonly progress: ProgressSink;
  /** Also retry units whose last failure was final. */
  readonly retryFailed?: boolean;
  /** Stops dispatching new calls (calls in flight finish and are stored). */
  readonly signal?: AbortSignal;
}

/** Runs a stage's units: {@link executeUnits} in this process, or a queue that workers take them from. */
export type UnitExecutor = (jobs: readonly UnitJob[], options: ExecuteOptions) => Promise<StageOutcome>;

/** Provider error codes that stop the stage: every further call would fail the same way. */
export const FATAL_CODES: ReadonlySet<string> = new Set(["auth", "unsupported"]);

/** A stage's units split by what a run does with them. */
export interface UnitPlan {
  /** Units with a stored result. */
  readonly alreadyDone: number;
  /** Units whose last failure is final and that are not retried. */
  readonly skippedFinal: number;
  /** The units to run. */
  readonly runnable: UnitJob[];
}

/** Registers the jobs' units and picks those to run: no stored result, and no final failure unless `retryFailed`. */
export async function planUnits(jobs: readonly UnitJob[], options: ExecuteOptions): Promise<UnitPlan> {
  const { store, stage } = options;
  await store.registerUnits(jobs.map((job) => job.spec));
  const states = new Map((await store.unitStates(stage)).map((state) => [state.key, state]));
  let alreadyDone = 0;
  const runnable: UnitJob[] = [];
  for (const job of jobs) {
    const state = states.get(job.spec.key);
    if (state?.status === "done") alreadyDone++;
    else if (state?.status !== "failed" || state.failure?.retryable !== false || options.retryFailed === true) runnable.push(job);
  }
  return { alreadyDone, skippedFinal: jobs.length - alreadyDone - runnable.length, runnable };
}

/** Runs the jobs that have no stored result (see the module comment). */
export async function executeUnits(jobs: readonly UnitJob[], options: ExecuteOptions): Promise<StageOutcome> {
  const { store, stage } = options;
  const { alreadyDone, skippedFinal, runnable } = await planUnits(jobs, options);
  const groups = new Map<string, { provider: CampaignProvider | null; jobs: UnitJob[] }>();
  for (const job of runnable) {
    const name = job.provider?.name ?? "";
    const group = groups.get(name) ?? { provider: job.provider, jobs: [] };
    group.jobs.push(job);
    groups.set(name, group);
  }
  const progress = options.progress.stage(stage, jobs.length, alreadyDone + skippedFinal);
  const counts = { completed: 0, retryable: 0, final: skippedFinal };
  let fatal: unknown;
  const stopped = () => fatal !== undefined || options.signal?.aborted === true;

  // Result writes are not awaited before the next call: they commit with the other writes of their turn.
  const writes = new Set<Promise<void>>();
  const track = (write: Promise<void>, after: () => void) => {
    const tracked: Promise<void> = write.then(after, (error: unknown) => void (fatal ??= error)).finally(() => writes.delete(tracked));
    writes.add(tracked);
  };

  const runJob = async (job: UnitJob): Promise<void> => {
    await job.provider?.rate?.take();
    if (stopped()) return;
    await store.beginAttempt(job.spec.key);
    let outcome: UnitOutcome;
    try {
      outcome = await job.run();
    } catch (error) {
      const failure = failureOf(error);
      if (failure.retryable) counts.retryable++;
      else counts.final++;
      if (!isProviderError(error) || FATAL_CODES.has(error.code)) fatal ??= error;
      track(store.failAttempt(job.spec.key, failure), () => progress.advance(false));
      return;
    }
    track(store.completeAttempt(job.spec.key, outcome), () => {
      counts.completed++;
      progress.advance(true);
    });
  };

  await Promise.all(
    [...groups.values()].map(async ({ provider, jobs: queue }) => {
      let next = 0;
      const worker = async () => {
        while (next < queue.length && !stopped()) await runJob(queue[next++]);
      };
      await Promise.all(Array.from({ length: Math.min(provider?.concurrency ?? 1, queue.length) }, worker));
    }),
  );
  while (writes.size > 0) await Promise.all(writes);
  progress.finish();
  if (fatal !== undefined) throw fatal;
  return { stage, total: jobs.length, alreadyDone, completed: counts.completed, retryableFailures: counts.retryable, finalFailures: counts.final };
}

/** How a failed call is recorded: provider errors keep their code; anything else is a final `error`. */
export function failureOf(error: unknown): UnitFailure {
  // Adapters redact their errors; anything else may quote a URL with credentials, so the store never gets it raw,
  // nor with the control characters and escape sequences a server may put in its error text.
  const clean = (text: string) => terminalText(redactSecrets(text));
  if (isProviderError(error)) return { message: clean(error.message), code: error.code, retryable: error.retryable };
  return { message: clean(error instanceof Error ? error.message : String(error)), code: "error", retryable: false };
}
