/**
 * `cje status`: where a campaign stands, from its store alone (and, for a distributed run, its queue) —
 * so any machine that can reach the store sees the same thing: per-stage progress, throughput, errors
 * and cost.
 */
import { spentCost } from "./cost.js";
import { CAMPAIGN_SNAPSHOT_META, type CampaignSnapshot } from "./report/snapshot.js";
import type { AttemptSummary, CampaignStore, ErrorGroup, QueueStatus, StageName } from "./store/store.js";

/** Length of the window the recent throughput is measured over. */
export const RECENT_THROUGHPUT_WINDOW_MS = 60_000;

/** One stage of a campaign. */
export interface StageStatus {
  readonly stage: StageName;
  readonly done: number;
  readonly failed: number;
  readonly pending: number;
  /** Calls begun and not finished (a dead process's calls count until the unit is resumed). */
  readonly inFlight: number;
  readonly attempts: number;
  readonly failedAttempts: number;
  /** Attempts cut short by a dead process. */
  readonly interrupted: number;
  /** Results stored per second over the last {@link RECENT_THROUGHPUT_WINDOW_MS}. */
  readonly recentPerSecond: number;
  /** Results stored per second between the stage's first and last result (`null` with fewer than two). */
  readonly averagePerSecond: number | null;
  /** ISO time of the stage's last stored result. */
  readonly lastCompletedAt: string | null;
  /** USD of the stage's stored calls: `null` when some model has no price. */
  readonly costUsd: number | null;
  /** Failed units by error code, most frequent first. */
  readonly errors: readonly Omit<ErrorGroup, "stage">[];
}

/** Where a campaign stands. */
export interface CampaignStatus {
  readonly schemaVersion: number;
  /** The time the status was read (the recent throughput ends here). */
  readonly at: string;
  readonly stages: readonly StageStatus[];
  readonly attempts: AttemptSummary;
  /** USD of every stored call (models without a price count 0; see `unpriced`). */
  readonly costUsd: number;
  /** `provider/model` of billable calls without a known price. */
  readonly unpriced: readonly string[];
  /** The process running the campaign, when one is. */
  readonly runner: string | null;
  /** The queue, for a store that coordinates several processes (PostgreSQL). */
  readonly queue: QueueStatus | null;
}

/** Results per second between the first and the last (`null` when that span is empty). */
function averageRate(done: number, first: string | null, last: string | null): number | null {
  if (first === null || last === null || done < 2) return null;
  const seconds = (Date.parse(last) - Date.parse(first)) / 1000;
  return seconds > 0 ? (done - 1) / seconds : null;
}

/** The status of the campaign in `store`, read at `now` (default: the current time). */
export async function campaignStatus(store: CampaignStore, now: Date = new Date()): Promise<CampaignStatus> {
  const queue = (await store.coordination?.queueStatus()) ?? null;
  const snapshotText = await store.getMeta(CAMPAIGN_SNAPSHOT_META);
  const snapshot = snapshotText === undefined ? null : (JSON.parse(snapshotText) as CampaignSnapshot);
  const spent = await spentCost(await store.usage(), snapshot);
  const activity = new Map((await store.stageActivity(new Date(now.getTime() - RECENT_THROUGHPUT_WINDOW_MS))).map((a) => [a.stage, a]));
  const errors = await store.errorSummary();
  const stages = (await store.stageCounts()).map((counts): StageStatus => {
    const a = activity.get(counts.stage);
    const stageSpent = spent.filter((u) => u.stage === counts.stage);
    return {
      ...counts,
      inFlight: a?.inFlight ?? 0,
      attempts: a?.attempts ?? 0,
      failedAttempts: a?.failedAttempts ?? 0,
      interrupted: a?.interrupted ?? 0,
      recentPerSecond: (a?.completedSince ?? 0) / (RECENT_THROUGHPUT_WINDOW_MS / 1000),
      averagePerSecond: averageRate(counts.done, a?.firstCompletedAt ?? null, a?.lastCompletedAt ?? null),
      lastCompletedAt: a?.lastCompletedAt ?? null,
      costUsd: stageSpent.some((u) => u.costUsd === null) ? null : stageSpent.reduce((sum, u) => sum + (u.costUsd ?? 0), 0),
      errors: errors
        .filter((e) => e.stage === counts.stage)
        .map(({ stage: _stage, ...group }) => group)
        .sort((x, y) => y.units - x.units),
    };
  });
  return {
    schemaVersion: store.schemaVersion,
    at: now.toISOString(),
    stages,
    attempts: await store.attempts(),
    costUsd: spent.reduce((sum, u) => sum + (u.costUsd ?? 0), 0),
    unpriced: [...new Set(spent.filter((u) => u.costUsd === null).map((u) => `${u.provider}/${u.model}`))],
    runner: await store.runner(),
    queue,
  };
}
