/** One entry point for every importer, with the optional oracle-label join: what `cje import` calls. */
import { CjeInputError, type Scale } from "@cjeval/core";
import type { ImportResult } from "./imported-rows.js";
import { importInspect } from "./inspect/import.js";
import { joinOracleLabels } from "./join-labels.js";
import { importLangSmith } from "./langsmith/import.js";
import { readOracleLabels } from "./oracle-labels.js";
import { importPlainCsv } from "./plain-csv.js";
import { importPromptfoo, type PromptfooImportOptions } from "./promptfoo/import.js";

/** Formats `importRuns` reads. */
export const IMPORT_FORMATS = ["promptfoo", "langsmith", "inspect", "csv"] as const;

/** A format `importRuns` reads. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What to import. */
export interface ImportRequest {
  readonly format: ImportFormat;
  /** promptfoo results files, LangSmith runs exports or experiment CSVs, Inspect logs, or CSV files. */
  readonly files: readonly string[];
  /** LangSmith feedback files. */
  readonly feedback?: readonly string[];
  /** LangSmith feedback key of the judge score. */
  readonly scoreKey?: string;
  /** LangSmith feedback key of the oracle label. */
  readonly labelKey?: string;
  /** promptfoo: assertion type, named metric or `row-score`; Inspect: scorer. Which number is the judge score. */
  readonly scoreFrom?: string;
  /** promptfoo: named metric, assertion type or `vars.`/`metadata.` field; Inspect: scorer. Which number is the oracle label. */
  readonly labelFrom?: string;
  /** LangSmith, Inspect: one policy name for every row. */
  readonly policy?: string;
  /** promptfoo: `id` or `label` (default); LangSmith: a run field path or CSV column naming the policy. */
  readonly policyFrom?: string;
  /** promptfoo red-team strategies: draws of one prompt (default) or policies. */
  readonly strategyAs?: "draw" | "policy";
  /** Oracle labels CSV (`provider_id,prompt_id,oracle_label`) to join onto the rows. */
  readonly labels?: string;
  /** Scale the labels must lie on. */
  readonly labelScale?: Scale;
}

function notFor(request: ImportRequest, options: readonly (keyof ImportRequest)[]): void {
  for (const option of options) {
    if (request[option] !== undefined)
      throw new CjeInputError(`${option} does not apply to ${request.format} imports`, { field: option, value: request[option] as never });
  }
}

function merge(parts: readonly ImportResult[]): ImportResult {
  return { rows: parts.flatMap((p) => p.rows), skipped: parts.flatMap((p) => p.skipped), notes: [...new Set(parts.flatMap((p) => p.notes ?? []))] };
}

/** Reads the files of `request` and joins its labels; an import that yields no row is an error saying why. */
export async function importRuns(request: ImportRequest): Promise<ImportResult> {
  if (request.files.length === 0) throw new CjeInputError("no files to import");
  let result: ImportResult;
  switch (request.format) {
    case "promptfoo": {
      notFor(request, ["feedback", "scoreKey", "labelKey", "policy"]);
      const policyFrom = request.policyFrom;
      if (policyFrom !== undefined && policyFrom !== "id" && policyFrom !== "label") {
        throw new CjeInputError("promptfoo policies are named by provider 'label' (default) or 'id'", { field: "policyFrom", value: policyFrom });
      }
      const options: PromptfooImportOptions = {
        ...(policyFrom === undefined ? {} : { policyFrom: policyFrom as "id" | "label" }),
        ...(request.scoreFrom === undefined ? {} : { scoreFrom: request.scoreFrom }),
        ...(request.labelFrom === undefined ? {} : { labelFrom: request.labelFrom }),
        ...(request.strategyAs === undefined ? {} : { strategyAs: request.strategyAs }),
      };
      result = merge(await Promise.all(request.files.map((file) => importPromptfoo(file, options))));
      break;
    }
    case "langsmith": {
      notFor(request, ["scoreFrom", "labelFrom", "strategyAs"]);
      if (request.scoreKey === undefined)
        throw new CjeInputError("LangSmith imports need the feedback key of the judge score (--score-key)", { field: "scoreKey" });
      result = await importLangSmith(request.files, request.feedback ?? [], {
        scoreKey: request.scoreKey,
        ...(request.labelKey === undefined ? {} : { labelKey: request.labelKey }),
        ...(request.policy === undefined ? {} : { policy: request.policy }),
        ...(request.policyFrom === undefined ? {} : { policyFrom: request.policyFrom }),
      });
      break;
    }
    case "inspect": {
      notFor(request, ["feedback", "scoreKey", "labelKey", "policyFrom", "strategyAs"]);
      result = await importInspect(request.files, {
        ...(request.scoreFrom === undefined ? {} : { scoreFrom: request.scoreFrom }),
        ...(request.labelFrom === undefined ? {} : { labelFrom: request.labelFrom }),
        ...(request.policy === undefined ? {} : { policy: request.policy }),
      });
      break;
    }
    case "csv": {
      notFor(request, ["feedback", "scoreKey", "labelKey", "scoreFrom", "labelFrom", "policy", "policyFrom", "strategyAs"]);
      result = merge(await Promise.all(request.files.map(importPlainCsv)));
      break;
    }
    default:
      throw new CjeInputError(`unknown import format (use ${IMPORT_FORMATS.join(", ")})`, { field: "format", value: request.format });
  }
  if (result.rows.length === 0) {
    const reasons = new Map<string, number>();
    for (const s of result.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
    const why = reasons.size === 0 ? "the files hold no records" : [...reasons].map(([r, n]) => `${n} × ${r}`).join("; ");
    throw new CjeInputError(`nothing imported: ${why}`, { ...(request.files.length === 1 ? { file: request.files[0] } : {}) });
  }
  if (request.labels === undefined) return result;
  return { ...result, rows: joinOracleLabels(result.rows, await readOracleLabels(request.labels, request.labelScale), request.labels) };
}
