/**
 * `runDistributedCampaign` / `cje run --store postgres://…`: `runCampaign` on a PostgreSQL store with the
 * calls of each stage queued for workers (`cje worker`). The running process works on the queue too, with
 * the campaign's concurrency per provider, unless `work` is false; more workers add throughput. Everything
 * else — stage order, stopping early, the estimate and the report — is `runCampaign`'s.
 */
import { runCampaign, type ResolvedCampaign, type RunOptions, type RunSummary } from "@cjeval/runner";
import { DEFAULT_CONCURRENCY } from "@cjeval/provider-utils";
import { campaignFingerprint, type UnitJob } from "@cjeval/runner/store";
import type { PostgresCampaignStore } from "../postgres-store.js";
import { queueExecutor } from "./dispatch.js";
import { UnitQueue } from "./unit-queue.js";
import { UnitWorker } from "./unit-worker.js";

/** Options of {@link runDistributedCampaign}. */
export interface DistributedRunOptions extends Omit<RunOptions, "store" | "execute"> {
  /** The campaign's PostgreSQL store, opened for writing (it stays open). */
  readonly store: PostgresCampaignStore;
  /** Whether this process works on the queue too (default true); `false` (`cje run --no-work`): it only queues the units for `cje worker` processes. */
  readonly work?: boolean;
  /** Called with problems the run survives (a worker loop's failed write, pg-boss errors, …). */
  readonly onProblem?: (message: string) => void;
  /** Interval between looks at a stage's progress, in ms (default 250). */
  readonly pollMs?: number;
}

/** Runs (or resumes) a campaign whose calls are made by workers on its queue; see the module comment. */
export async function runDistributedCampaign(campaign: ResolvedCampaign, options: DistributedRunOptions): Promise<RunSummary> {
  const { store, work, onProblem, pollMs, ...run } = options;
  const problems = onProblem === undefined ? {} : { onProblem };
  const queue = await UnitQueue.open(store, { role: "run", takesJobs: work !== false, ...problems });
  const current = new Map<string, UnitJob>();
  const slots = new Map(Object.entries(campaign.config.providers).map(([name, provider]) => [name, provider.concurrency ?? DEFAULT_CONCURRENCY]));
  const worker =
    work === false
      ? null
      : new UnitWorker(
          queue,
          store,
          slots,
          async (unit) => {
            const job = current.get(unit.key);
            return job === undefined ? { skip: "not a unit of the stage being run" } : { job };
          },
          problems,
        );
  try {
    await queue.ensureQueues(slots.keys());
    worker?.start();
    const execute = queueExecutor({ queue, store, campaign: campaignFingerprint(campaign.config), current, ...(pollMs === undefined ? {} : { pollMs }) });
    return await runCampaign(campaign, { ...run, store, execute });
  } finally {
    await worker?.stop();
    await queue.close();
  }
}
