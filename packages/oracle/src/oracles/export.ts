/**
 * Export for human labellers: a blind CSV or JSONL with `item_id`, `prompt`, `response` and
 * `oracle_label` (blank until labelled). Policies, judge scores and design weights stay in the
 * to-label file, so labellers judge the response alone; `item_id` joins the labels back.
 */
import { CjeInputError } from "@cjeval/core";
import { writeFileAtomic } from "@cjeval/provider-utils";
import type { ToLabelRow } from "../to-label.js";
import { formatCsv } from "./csv.js";

/** Formats of label files. */
export type LabelFileFormat = "csv" | "jsonl";

/** Columns of an exported label file. */
export const LABEL_FILE_COLUMNS = ["item_id", "prompt", "response", "oracle_label"] as const;

/** The format of a label file, from its extension (`.csv`, or `.jsonl`/`.json`). */
export function labelFileFormat(file: string): LabelFileFormat {
  if (/\.csv$/i.test(file)) return "csv";
  if (/\.jsonl?$/i.test(file)) return "jsonl";
  throw new CjeInputError("unknown label-file format: use a .csv or .jsonl file name", { file });
}

/** The blind export of `rows` as text. */
export function formatForLabelling(rows: readonly ToLabelRow[], format: LabelFileFormat): string {
  if (format === "csv")
    return formatCsv(
      LABEL_FILE_COLUMNS,
      rows.map((r) => [r.item_id, r.prompt, r.response, r.oracle_label]),
    );
  return rows.map((r) => `${JSON.stringify({ item_id: r.item_id, prompt: r.prompt, response: r.response, oracle_label: r.oracle_label })}\n`).join("");
}

/** Writes the blind export of `rows` to `file` (format from the extension), atomically. */
export async function exportForLabelling(rows: readonly ToLabelRow[], file: string): Promise<void> {
  await writeFileAtomic(file, formatForLabelling(rows, labelFileFormat(file)));
}
