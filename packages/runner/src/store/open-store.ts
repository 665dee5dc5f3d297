/** A campaign store by location: a PostgreSQL URL or a SQLite file. */
import { openPostgresStore, type PostgresCampaignStore } from "./postgres-store.js";
import { openSqliteStore, type SqliteCampaignStore } from "./sqlite-store.js";

/** True when `location` is a PostgreSQL URL (`postgres://` or `postgresql://`). */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Options of {@link openCampaignStore}. */
export interface OpenStoreOptions {
  /** The campaign's name (it names the campaign's schema in a PostgreSQL database). */
  readonly campaign: string;
  /** `write` (default): a run, holding the campaign lock; `read`: reports and status. */
  readonly mode?: "write" | "read";
}

/** Opens the campaign's store at `location`: its schema in the PostgreSQL database at a URL, or a SQLite file. */
export async function openCampaignStore(location: string, options: OpenStoreOptions): Promise<SqliteCampaignStore | PostgresCampaignStore> {
  const mode = options.mode ?? "write";
  return isPostgresUrl(location) ? openPostgresStore(location, { campaign: options.campaign, mode }) : openSqliteStore(location, { mode });
}
