/** A campaign store by location, PostgreSQL URLs included: the store opener to hand `@cjeval/runner`. */
import { openCampaignStore as openSqliteOrRefuse, type StoreOpener } from "@cjeval/runner";
import { isPostgresUrl } from "@cjeval/runner/store";
import { openPostgresStore } from "./postgres-store.js";

/**
 * Opens the campaign's store at `location`: its schema in the PostgreSQL database at a URL (in `read` or
 * `write` mode), or, for anything else, the SQLite file `@cjeval/runner` opens.
 */
export const openCampaignStore: StoreOpener = async (location, options) =>
  isPostgresUrl(location) ? openPostgresStore(location, { campaign: options.campaign, mode: options.mode ?? "write" }) : openSqliteOrRefuse(location, options);
