/** The runs of files: a result JSON (the analysis alone) and fresh draws (analysed here, as `cje analyze` would). */
import { readFile } from "node:fs/promises";
import { AnalysisResultSchema, type AnalyzeOptions, CjeInputError } from "@cjeval/core";
import { decodeTextFile } from "@cjeval/core/advanced";
import { loadEvaluationData } from "@cjeval/core/node";
import { buildRun, type RunIdentity } from "./build-run.js";
import type { ViewRun } from "./view-model.js";

/** Why a result file's run has no rows or calibration. */
export const RESULT_ONLY_NOTE =
  "a result file holds the analysis alone: rows and the calibration curve need the fresh draws it was computed from (cje view <fresh-draws folder>)";

/**
 * The run of a result JSON file (`cje analyze --out`, `cje report --json`), checked against core's
 * `AnalysisResultSchema`; `source` names the file in errors.
 */
export async function resultRun(identity: RunIdentity, file: string): Promise<ViewRun> {
  const where = { file: identity.source };
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new CjeInputError(`cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`, where);
  }
  let json: unknown;
  try {
    json = JSON.parse(decodeTextFile(bytes, identity.source));
  } catch (error) {
    if (error instanceof CjeInputError) throw error;
    throw new CjeInputError(`not valid JSON (${(error as Error).message})`, where);
  }
  const parsed = AnalysisResultSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.map(String).join(".");
    throw new CjeInputError(`not a CJE analysis result (cje analyze --out writes one): ${issue.message}`, {
      ...where,
      ...(field === "" ? {} : { field, value: valueAt(json, issue.path) }),
    });
  }
  return { ...identity, result: parsed.data, calibration: null, rows: null, campaign: null, notes: [RESULT_ONLY_NOTE] };
}

/** The run of fresh draws (a folder or a JSONL file), analysed with `options`. */
export async function freshDrawsRun(identity: RunIdentity, input: string, options: AnalyzeOptions): Promise<ViewRun> {
  const data = await loadEvaluationData([input]);
  const run = buildRun(identity, data, options);
  return { ...run, notes: [...data.warnings, ...run.notes] };
}

function valueAt(json: unknown, at: readonly PropertyKey[]): unknown {
  let value = json;
  for (const key of at) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
