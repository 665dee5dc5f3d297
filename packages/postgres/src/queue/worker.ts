/**
 * `runWorker` / `cje worker`: a process that works on a distributed campaign's queue next to the process
 * running it (`cje run --store postgres://…`). It loads the same campaign file (its providers, with API
 * keys from its own environment, its prompts and rubric files) and takes units until it is stopped; a job
 * queued from a different campaign definition stops it with an error instead of calling anything. Its
 * providers' `requestsPerMinute` caps are shared with every other process using the same key (`sharedRateLimits`).
 */
import { CjeInputError } from "@cjeval/core";
import type { ResolvedCampaign } from "@cjeval/runner";
import { campaignFingerprint, campaignUnits } from "@cjeval/runner/store";
import { openPostgresStore } from "../postgres-store.js";
import { UnitQueue } from "./unit-queue.js";
import { UnitWorker, type WorkerCounts } from "./unit-worker.js";

/** Options of {@link runWorker}. */
export interface WorkerOptions {
  /** The campaign's PostgreSQL store (`postgres://…`). */
  readonly store: string;
  /** Stops taking units; the calls in flight finish and are stored, then `runWorker` resolves. */
  readonly signal?: AbortSignal;
  /** Called with problems the worker survives. */
  readonly onProblem?: (message: string) => void;
  /** Wait before looking at an empty queue again, in ms (default 100). */
  readonly pollMs?: number;
  /** Calls in flight per provider in this worker (default: each provider's `concurrency` in the campaign). */
  readonly concurrency?: number;
}

/** Works on the campaign's queue until `signal` aborts; resolves to what it did. */
export async function runWorker(campaign: ResolvedCampaign, options: WorkerOptions): Promise<WorkerCounts> {
  const { config } = campaign;
  const store = await openPostgresStore(options.store, { campaign: config.name, mode: "worker" });
  try {
    // The campaign's units as the run builds them; providers share the store's rate-limit buckets.
    const units = await campaignUnits(campaign, store, options.concurrency === undefined ? {} : { concurrency: options.concurrency });
    const queue = await UnitQueue.open(store, { role: "worker", ...(options.onProblem === undefined ? {} : { onProblem: options.onProblem }) });
    try {
      const fingerprint = campaignFingerprint(config);
      const worker = new UnitWorker(
        queue,
        store,
        units.concurrency,
        async (unit) => {
          if (unit.campaign !== fingerprint) {
            throw new CjeInputError(
              "the run queued units of a different campaign definition than this worker's: start the worker with the campaign file the run uses",
              {
                file: campaign.source,
              },
            );
          }
          const job = await units.find(unit.stage, unit.key);
          if (job === undefined) {
            throw new CjeInputError(
              `the run queued a ${unit.stage} unit this worker does not know (its prompts or files differ): start it with the run's files`,
              {
                file: campaign.source,
              },
            );
          }
          return { job };
        },
        { ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }), ...(options.onProblem === undefined ? {} : { onProblem: options.onProblem }) },
      );
      await queue.ensureQueues(units.concurrency.keys());
      worker.start();
      await Promise.race([worker.whenStopped(), aborted(options.signal)]);
      await worker.stop();
      if (worker.error !== null) throw worker.error;
      return worker.counts;
    } finally {
      await queue.close();
    }
  } finally {
    await store.close();
  }
}

function aborted(signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return new Promise(() => undefined);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
