/** `cje report`: the report of a campaign named by its file or its store. */
import { existsSync } from "node:fs";
import path from "node:path";
import { CjeInputError } from "@cjeval/core";
import { DEFAULT_CAMPAIGN_FILES, loadCampaign } from "../config/load.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import type { ReportData } from "./model.js";
import { writeReport } from "./write.js";

/** The campaign file in `dir` (the first of {@link DEFAULT_CAMPAIGN_FILES} there). */
export function findCampaignFile(dir: string = process.cwd()): string {
  const found = DEFAULT_CAMPAIGN_FILES.map((name) => path.join(dir, name)).find((file) => existsSync(file));
  if (found === undefined) throw new CjeInputError(`no campaign file here (looked for ${DEFAULT_CAMPAIGN_FILES.join(", ")}); run \`cje init\` or name one`, { file: dir });
  return found;
}

/** Where a report was written. */
export interface CampaignReport {
  readonly data: ReportData;
  readonly html: string;
  readonly json: string;
}

/**
 * Writes the report of a campaign: `target` is a campaign file (its outputs are the defaults) or a
 * `.sqlite` store (defaults: `report.html` and `results.json` next to it); default: the campaign file in
 * the working directory.
 */
export async function reportCampaign(target: string | undefined, options: { html?: string; json?: string } = {}): Promise<CampaignReport> {
  let storeFile: string;
  let defaults: { html: string; json: string };
  if (target !== undefined && /\.(sqlite|db)$/i.test(target)) {
    storeFile = target;
    defaults = { html: path.join(path.dirname(target), "report.html"), json: path.join(path.dirname(target), "results.json") };
  } else {
    const campaign = await loadCampaign(target ?? findCampaignFile());
    storeFile = campaign.paths.store;
    defaults = campaign.paths;
  }
  if (!existsSync(storeFile)) throw new CjeInputError("no campaign store yet: run the campaign first (cje run)", { file: storeFile });
  const html = options.html ?? defaults.html;
  const json = options.json ?? defaults.json;
  const store = openSqliteStore(storeFile, { mode: "read" });
  try {
    const data = await writeReport(store, { html, json });
    if (data === null) throw new CjeInputError("the campaign has no estimate yet: run it to the end first (cje run)", { file: storeFile });
    return { data, html, json };
  } finally {
    await store.close();
  }
}
