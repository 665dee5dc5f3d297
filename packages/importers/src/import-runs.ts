/** One entry point for every importer, with the optional oracle-label join: what `cje import` calls. */
import { CjeInputError, type Scale } from "@cjeval/core";
import type { ImportResult } from "./imported-rows.js";
import { joinOracleLabels } from "./join-labels.js";
import { importLangSmith } from "./langsmith.js";
import { readOracleLabels } from "./oracle-labels.js";
import { importPlainCsv } from "./plain-csv.js";
import { importPromptfoo } from "./promptfoo.js";

/** Formats `importRuns` reads. */
export const IMPORT_FORMATS = ["promptfoo", "langsmith", "csv"] as const;

/** A format `importRuns` reads. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What to import. */
export interface ImportRequest {
  readonly format: ImportFormat;
  /** promptfoo results files, LangSmith runs files, or CSV files. */
  readonly files: readonly string[];
  /** LangSmith feedback files. */
  readonly feedback?: readonly string[];
  /** LangSmith feedback key of the judge score. */
  readonly scoreKey?: string;
  /** LangSmith feedback key of the oracle label. */
  readonly labelKey?: string;
  /** LangSmith: one policy name for all runs. */
  readonly policy?: string;
  /** promptfoo: name policies by provider `id` (default) or `label`. */
  readonly policyFrom?: "id" | "label";
  /** Oracle labels CSV (`provider_id,prompt_id,oracle_label`) to join onto the rows. */
  readonly labels?: string;
  /** Scale the labels must lie on. */
  readonly labelScale?: Scale;
}

/** Reads the files of `request` and joins its labels. */
export async function importRuns(request: ImportRequest): Promise<ImportResult> {
  if (request.files.length === 0) throw new CjeInputError("no files to import");
  let result: ImportResult;
  switch (request.format) {
    case "promptfoo": {
      const parts = await Promise.all(request.files.map((file) => importPromptfoo(file, request.policyFrom === undefined ? {} : { policyFrom: request.policyFrom })));
      result = { rows: parts.flatMap((p) => p.rows), skipped: parts.flatMap((p) => p.skipped) };
      break;
    }
    case "langsmith": {
      if (request.scoreKey === undefined) throw new CjeInputError("LangSmith imports need the feedback key of the judge score", { field: "scoreKey" });
      if (request.feedback === undefined || request.feedback.length === 0) throw new CjeInputError("LangSmith imports need the feedback export", { field: "feedback" });
      result = await importLangSmith(request.files, request.feedback, {
        scoreKey: request.scoreKey,
        ...(request.labelKey === undefined ? {} : { labelKey: request.labelKey }),
        ...(request.policy === undefined ? {} : { policy: request.policy }),
      });
      break;
    }
    case "csv": {
      const parts = await Promise.all(request.files.map(importPlainCsv));
      result = { rows: parts.flatMap((p) => p.rows), skipped: [] };
      break;
    }
    default:
      throw new CjeInputError(`unknown import format (use ${IMPORT_FORMATS.join(", ")})`, { field: "format", value: request.format });
  }
  if (request.labels === undefined) return result;
  return { rows: joinOracleLabels(result.rows, await readOracleLabels(request.labels, request.labelScale), request.labels), skipped: result.skipped };
}
