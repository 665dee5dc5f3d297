/** Joining oracle labels (`provider_id,prompt_id,oracle_label`) onto imported rows. */
import { CjeInputError } from "@cjeval/core";
import type { ImportedRow } from "./imported-rows.js";
import type { OracleLabelRow } from "./oracle-labels.js";

/**
 * Sets `oracle_label` on the row of each label's policy and prompt. A label that matches no row, or a
 * row that already carries a different label, is an error naming the label's line in `file`.
 */
export function joinOracleLabels(rows: readonly ImportedRow[], labels: readonly OracleLabelRow[], file: string): ImportedRow[] {
  const index = new Map(rows.map((row, i) => [`${row.policy}\u0000${row.prompt_id}`, i]));
  const out = [...rows];
  for (const label of labels) {
    const i = index.get(`${label.policy}\u0000${label.promptId}`);
    if (i === undefined) {
      throw new CjeInputError(`no imported row for provider_id '${label.policy}' and this prompt_id`, { file, line: label.line, field: "prompt_id", value: label.promptId });
    }
    const existing = out[i].oracle_label;
    if (existing !== undefined && existing !== label.value) {
      throw new CjeInputError(`the row already carries oracle label ${existing}`, { file, line: label.line, field: "oracle_label", value: label.value });
    }
    out[i] = { ...out[i], oracle_label: label.value };
  }
  return out;
}
