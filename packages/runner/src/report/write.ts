/** Writing a campaign's report files from its store. */
import { writeFileAtomic, writeJsonAtomic } from "@cjeval/core";
import type { CampaignStore } from "../store/store.js";
import { renderReportHtml } from "./html.js";
import { reportData, type ReportData } from "./model.js";

/** Options of {@link writeReport}. */
export interface WriteReportOptions {
  /** HTML report path. */
  readonly html?: string;
  /** Analysis JSON path (the `AnalysisResult` contract of `cje analyze`). */
  readonly json?: string;
  /** Title instead of the campaign name. */
  readonly title?: string;
  /** Known true values instead of the campaign's. */
  readonly truth?: Record<string, number>;
}

/** Writes the report of the store's current analysis; resolves to its data, or `null` when none is stored. */
export async function writeReport(store: CampaignStore, options: WriteReportOptions): Promise<ReportData | null> {
  const data = await reportData(store, {
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.truth === undefined ? {} : { truth: options.truth }),
  });
  if (data === null) return null;
  if (options.html !== undefined) await writeFileAtomic(options.html, renderReportHtml(data));
  if (options.json !== undefined) await writeJsonAtomic(options.json, data.analysis);
  return data;
}
