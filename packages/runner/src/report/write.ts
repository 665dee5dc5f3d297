/** Writing a campaign's report files from its store. */
import type { CampaignStore } from "../store/store.js";
import { renderReportHtml } from "./html.js";
import { reportData, type ReportData } from "./model.js";
import { writeOutputFile, writeResultFiles } from "./output-files.js";

/** Options of {@link writeReport}. */
export interface WriteReportOptions {
  /** HTML report path. */
  readonly html?: string;
  /**
   * Analysis JSON path (the Direct `AnalysisResult`, the contract of `cje analyze`); each off-policy
   * estimator's analysis goes next to it as `<name>.<estimator>.json`.
   */
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
  if (options.json !== undefined) await writeResultFiles(options.json, data.analysis, data.offPolicy);
  if (options.html !== undefined) await writeOutputFile(options.html, renderReportHtml(data));
  return data;
}
