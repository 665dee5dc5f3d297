/**
 * Plain CSV score files: `policy,prompt_id,judge_score` and optionally `oracle_label`, `prompt`,
 * `response` (other columns are ignored). An empty `oracle_label` means unlabelled.
 */
import { CjeInputError } from "@cjeval/core";
import { parseCsvTable } from "@cjeval/oracle";
import { readTextFile } from "./input/structured-file.js";
import type { ImportedRow, ImportResult } from "./imported-rows.js";

/** Columns a plain CSV must have. */
export const PLAIN_CSV_COLUMNS = ["policy", "prompt_id", "judge_score"] as const;

/** Imports a plain CSV score file. */
export async function importPlainCsv(file: string): Promise<ImportResult> {
  const table = parseCsvTable(await readTextFile(file), file, PLAIN_CSV_COLUMNS);
  const rows: ImportedRow[] = table.rows.map(({ line, values }) => {
    const number = (field: string, optional: boolean): number | undefined => {
      const text = (values[field] ?? "").trim();
      if (text === "" && optional) return undefined;
      const value = Number(text);
      if (text === "" || !Number.isFinite(value)) throw new CjeInputError("must be a number", { file, line, field, value: values[field] ?? null });
      return value;
    };
    for (const field of ["policy", "prompt_id"] as const) {
      if (values[field].trim() === "") throw new CjeInputError("must not be empty", { file, line, field, value: values[field] });
    }
    const label = number("oracle_label", true);
    return {
      policy: values.policy,
      prompt_id: values.prompt_id,
      judge_score: number("judge_score", false) as number,
      ...(label === undefined ? {} : { oracle_label: label }),
      ...(values.prompt === undefined ? {} : { prompt: values.prompt }),
      ...(values.response === undefined ? {} : { response: values.response }),
      source: { file, line },
    };
  });
  return { rows, skipped: [] };
}
