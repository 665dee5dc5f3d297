/**
 * The coordination a PostgreSQL store offers the runner (`CampaignStore.coordination`): request-rate caps
 * shared by the run and every worker through the database, and the queue's status for `cje status`.
 */
import type { StoreCoordination } from "@cjeval/runner/store";
import type { PostgresCampaignStore } from "./postgres-store.js";
import { presentWorkers, queueCounts } from "./queue/unit-queue.js";
import { sharedRateLimits } from "./shared-rate-limit.js";

/** The coordination of `store`; see the module comment. */
export function postgresCoordination(store: PostgresCampaignStore): StoreCoordination {
  return {
    rateLimits: () => sharedRateLimits(store),
    queueStatus: async () => ({ ...(await queueCounts(store.db, store.schema)), workers: await presentWorkers(store.db, store.schema) }),
  };
}
