/** Joining oracle labels (`provider_id,prompt_id,oracle_label`) onto imported rows. */
import { CjeInputError } from "@cjeval/core";
import type { ImportedRow } from "./imported-rows.js";
import type { OracleLabelRow } from "./oracle-labels.js";

/**
 * Sets `oracle_label` on the row of each label's policy, prompt (and draw, for a prompt with several). A
 * label that matches no row or several, or a row that already carries a different label, is an error
 * naming the label's line in `file`.
 */
export function joinOracleLabels(rows: readonly ImportedRow[], labels: readonly OracleLabelRow[], file: string): ImportedRow[] {
  const index = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = `${row.policy}\u0000${row.prompt_id}`;
    index.set(key, [...(index.get(key) ?? []), i]);
  });
  const out = [...rows];
  for (const label of labels) {
    const candidates = index.get(`${label.policy}\u0000${label.promptId}`) ?? [];
    const matching = label.drawIdx === undefined ? candidates : candidates.filter((i) => (rows[i].draw_idx ?? 0) === label.drawIdx);
    if (matching.length === 0) {
      throw new CjeInputError(
        `no imported row for provider_id '${label.policy}' and this prompt_id${label.drawIdx === undefined ? "" : ` (draw ${label.drawIdx})`}`,
        {
          file,
          line: label.line,
          field: "prompt_id",
          value: label.promptId,
        },
      );
    }
    if (matching.length > 1) {
      throw new CjeInputError(
        `this prompt has ${matching.length} draws for provider_id '${label.policy}': add a draw_idx column to say which one the label is for`,
        {
          file,
          line: label.line,
          field: "draw_idx",
        },
      );
    }
    const i = matching[0];
    const existing = out[i].oracle_label;
    if (existing !== undefined && existing !== label.value) {
      throw new CjeInputError(`the row already carries oracle label ${existing}`, { file, line: label.line, field: "oracle_label", value: label.value });
    }
    out[i] = { ...out[i], oracle_label: label.value };
  }
  return out;
}
