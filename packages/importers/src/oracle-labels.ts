/**
 * Oracle labels from a CSV with the columns `provider_id,prompt_id,oracle_label` (the promptfoo bridge's
 * template; an optional `draw_idx` column picks one draw of a repeated prompt; other columns such as
 * `prompt` and `response` are allowed and ignored). A row whose
 * `oracle_label` is empty is not labelled yet and is skipped.
 */
import { CjeInputError, type Scale } from "@cjeval/core";
import { parseCsvTable } from "@cjeval/oracle";
import { readTextFile } from "./input/structured-file.js";

/** Columns of an oracle-label CSV. */
export const ORACLE_LABEL_COLUMNS = ["provider_id", "prompt_id", "oracle_label"] as const;

/** One label with where it came from. */
export interface OracleLabelRow {
  /** Policy (promptfoo provider id). */
  readonly policy: string;
  readonly promptId: string;
  /** The label as written. */
  readonly value: number;
  /** The draw it labels (optional `draw_idx` column), when the prompt has several. */
  readonly drawIdx?: number;
  readonly line: number;
}

/**
 * Reads the labels of `file`. Labels outside `scale` (when given), non-numeric labels and duplicate
 * (provider_id, prompt_id) pairs are errors naming the line.
 */
export async function readOracleLabels(file: string, scale?: Scale): Promise<OracleLabelRow[]> {
  const table = parseCsvTable(await readTextFile(file), file, ORACLE_LABEL_COLUMNS);
  const seen = new Map<string, number>();
  const labels: OracleLabelRow[] = [];
  for (const { line, values } of table.rows) {
    const text = values.oracle_label.trim();
    if (text === "") continue;
    const value = Number(text);
    if (!Number.isFinite(value)) throw new CjeInputError("must be a number", { file, line, field: "oracle_label", value: text });
    if (scale !== undefined && (value < scale.min || value > scale.max)) {
      throw new CjeInputError(`outside the oracle scale ${scale.min}-${scale.max}`, { file, line, field: "oracle_label", value });
    }
    for (const field of ["provider_id", "prompt_id"] as const) {
      if (values[field].trim() === "") throw new CjeInputError("must not be empty", { file, line, field, value: values[field] });
    }
    const drawText = (values.draw_idx ?? "").trim();
    const drawIdx = drawText === "" ? undefined : Number(drawText);
    if (drawIdx !== undefined && (!Number.isSafeInteger(drawIdx) || drawIdx < 0))
      throw new CjeInputError("must be a non-negative integer", { file, line, field: "draw_idx", value: drawText });
    const pair = `${values.provider_id}\u0000${values.prompt_id}\u0000${drawIdx ?? ""}`;
    const first = seen.get(pair);
    if (first !== undefined)
      throw new CjeInputError(`duplicate label for this provider_id and prompt_id (first on line ${first})`, {
        file,
        line,
        field: "prompt_id",
        value: values.prompt_id,
      });
    seen.set(pair, line);
    labels.push({ policy: values.provider_id, promptId: values.prompt_id, value, line, ...(drawIdx === undefined ? {} : { drawIdx }) });
  }
  return labels;
}
