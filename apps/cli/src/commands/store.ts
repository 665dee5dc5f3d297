/**
 * Opening a campaign's store from the command line: a SQLite file with `@cjeval/runner`, or a PostgreSQL URL
 * with `@cjeval/postgres`, which is loaded only then (so no other command loads `pg` or `pg-boss`).
 */
import { isPostgresUrl, openCampaignStore, type CampaignStore, type OpenStoreOptions } from "@cjeval/runner";

/** `@cjeval/postgres`, loaded on first use. */
export function loadPostgres(): Promise<typeof import("@cjeval/postgres")> {
  return import("@cjeval/postgres");
}

/** Opens the store at `location` (see the module comment). */
export async function openStore(location: string, options: OpenStoreOptions): Promise<CampaignStore> {
  if (!isPostgresUrl(location)) return openCampaignStore(location, options);
  return (await loadPostgres()).openCampaignStore(location, options);
}
