/**
 * A campaign store by location. This package opens SQLite files; a PostgreSQL URL names a store of
 * `@cjeval/postgres` (`openPostgresStore`), which a caller opens and passes on (`RunOptions.store`), or
 * whose opener it passes (`StoreOpener`, as the CLI does), so that this package never loads a PostgreSQL
 * driver.
 */
import { CjeInputError } from "@cjeval/core";
import { redactUrl } from "./redact-url.js";
import { openSqliteStore } from "./sqlite-store.js";
import type { CampaignStore } from "./store.js";

/** True when `location` is a PostgreSQL URL (`postgres://` or `postgresql://`). */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Options of a {@link StoreOpener}. */
export interface OpenStoreOptions {
  /** The campaign's name (it names the campaign's schema in a PostgreSQL database). */
  readonly campaign: string;
  /** `write` (default): a run, holding the campaign lock; `read`: reports and status. */
  readonly mode?: "write" | "read";
}

/** Opens the campaign store at a location (a SQLite file, or a PostgreSQL URL for an opener that knows them). */
export type StoreOpener = (location: string, options: OpenStoreOptions) => Promise<CampaignStore>;

/**
 * Opens the SQLite store at `location`. A PostgreSQL URL is refused: open it with `@cjeval/postgres`
 * (`openPostgresStore`) and pass the store on.
 */
export const openCampaignStore: StoreOpener = async (location, options) => {
  if (isPostgresUrl(location)) {
    throw new CjeInputError("a PostgreSQL store is opened by @cjeval/postgres: install it and pass its store (openPostgresStore), or use the cje command", {
      file: redactUrl(location),
    });
  }
  return openSqliteStore(location, { mode: options.mode ?? "write" });
};
