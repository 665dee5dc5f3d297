/** `cje report`: the report of a campaign named by its file or its store. */
import { existsSync } from "node:fs";
import path from "node:path";
import { CjeInputError } from "@cjeval/core";
import { DEFAULT_CAMPAIGN_FILES, loadCampaign } from "../config/load.js";
import { isPostgresUrl, openCampaignStore, type StoreOpener } from "../store/open-store.js";
import type { ReportData } from "./model.js";
import { estimatorResultPath } from "./output-files.js";
import { writeReport } from "./write.js";

/** The campaign file in `dir` (the first of {@link DEFAULT_CAMPAIGN_FILES} there). */
export function findCampaignFile(dir: string = process.cwd()): string {
  const found = DEFAULT_CAMPAIGN_FILES.map((name) => path.join(dir, name)).find((file) => existsSync(file));
  if (found === undefined)
    throw new CjeInputError(`no campaign file here (looked for ${DEFAULT_CAMPAIGN_FILES.join(", ")}); run \`cje init\` or name one`, { file: dir });
  return found;
}

/** Where a report was written. */
export interface CampaignReport {
  readonly data: ReportData;
  readonly html: string;
  /** The Direct analysis. */
  readonly json: string;
  /** The off-policy analyses, by estimator (`results.<estimator>.json`). */
  readonly offPolicy: Readonly<Record<string, string>>;
}

/** Where a campaign's store is, as `cje report` and `cje status` find it. */
export interface CampaignStoreTarget {
  /** A SQLite file or a PostgreSQL URL. */
  readonly location: string;
  /** The campaign's name (empty for a bare `.sqlite` store). */
  readonly campaign: string;
  /** Default report and analysis files. */
  readonly outputs: { readonly html: string; readonly json: string };
}

/**
 * Finds a campaign's store: `target` is a campaign file (its store, or `store` — a PostgreSQL URL or another
 * file) or a `.sqlite` store; default: the campaign file in the working directory.
 */
export async function findCampaignStore(target: string | undefined, store?: string): Promise<CampaignStoreTarget> {
  let found: CampaignStoreTarget;
  if (target !== undefined && /\.(sqlite|db)$/i.test(target)) {
    found = {
      location: target,
      campaign: "",
      outputs: { html: path.join(path.dirname(target), "report.html"), json: path.join(path.dirname(target), "results.json") },
    };
  } else {
    const campaign = await loadCampaign(target ?? findCampaignFile());
    found = { location: store ?? campaign.paths.store, campaign: campaign.config.name, outputs: campaign.paths };
  }
  if (!isPostgresUrl(found.location) && !existsSync(found.location))
    throw new CjeInputError("no campaign store yet: run the campaign first (cje run)", { file: found.location });
  return found;
}

/** Options of {@link reportCampaign}. */
export interface ReportCampaignOptions {
  /** HTML report (default: the campaign's). */
  readonly html?: string;
  /** Direct analysis JSON (default: the campaign's). */
  readonly json?: string;
  /** The store instead of the campaign's: a `.sqlite` file or a PostgreSQL URL. */
  readonly store?: string;
  /** Opens the store (default {@link openCampaignStore}: SQLite only; pass `@cjeval/postgres`'s for a URL). */
  readonly openStore?: StoreOpener;
}

/**
 * Writes the report of a campaign whose store {@link findCampaignStore} finds from `target` and
 * `options.store`; the outputs default to the campaign's (`report.html` and `results.json` next to a bare
 * `.sqlite` store).
 */
export async function reportCampaign(target: string | undefined, options: ReportCampaignOptions = {}): Promise<CampaignReport> {
  const found = await findCampaignStore(target, options.store);
  const html = options.html ?? found.outputs.html;
  const json = options.json ?? found.outputs.json;
  const store = await (options.openStore ?? openCampaignStore)(found.location, { campaign: found.campaign, mode: "read" });
  try {
    const data = await writeReport(store, { html, json });
    if (data === null) throw new CjeInputError("the campaign has no estimate yet: run it to the end first (cje run)", { file: store.location });
    return { data, html, json, offPolicy: Object.fromEntries(data.offPolicy.map((r) => [r.estimator, estimatorResultPath(json, r.estimator)])) };
  } finally {
    await store.close();
  }
}
