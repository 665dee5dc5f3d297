/** `cje status`: where a campaign stands, from its store alone (and, for a distributed run, its queue). */
import { PostgresCampaignStore } from "./store/postgres-store.js";
import type { SqliteCampaignStore } from "./store/sqlite-store.js";
import type { AttemptSummary, StageCounts, UsageSummary } from "./store/store.js";
import { presentWorkers, queueCounts, type QueueCounts } from "./queue/unit-queue.js";

/** A distributed campaign's queue: waiting and taken units, and the workers present. */
export interface QueueStatus extends QueueCounts {
  /** Application names of the processes working on the queue (`cje worker host:pid`, `cje run host:pid`). */
  readonly workers: readonly string[];
}

/** Where a campaign stands. */
export interface CampaignStatus {
  readonly schemaVersion: number;
  readonly stages: readonly StageCounts[];
  readonly attempts: AttemptSummary;
  readonly usage: readonly UsageSummary[];
  /** The process running the campaign, when one is. */
  readonly runner: string | null;
  /** The queue, for a PostgreSQL store. */
  readonly queue: QueueStatus | null;
}

/** The status of the campaign in `store`. */
export async function campaignStatus(store: SqliteCampaignStore | PostgresCampaignStore): Promise<CampaignStatus> {
  const queue =
    store instanceof PostgresCampaignStore ? { ...(await queueCounts(store.db, store.schema)), workers: await presentWorkers(store.db, store.schema) } : null;
  return {
    schemaVersion: store.schemaVersion,
    stages: await store.stageCounts(),
    attempts: await store.attempts(),
    usage: await store.usage(),
    runner: await store.runner(),
    queue,
  };
}
