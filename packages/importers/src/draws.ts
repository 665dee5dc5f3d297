/** Repeated responses of one policy to one prompt become draws (`draw_idx`), in the order they were read. */
import type { ImportedRow } from "./imported-rows.js";

/**
 * Gives `draw_idx` 0, 1, … to the rows that share a policy and prompt id (and carry none yet), in their
 * order; a lone row keeps no `draw_idx`.
 */
export function assignDrawIndices(rows: readonly ImportedRow[]): ImportedRow[] {
  const groups = new Map<string, number[]>();
  rows.forEach((row, i) => {
    if (row.draw_idx !== undefined) return;
    const key = `${row.policy}\u0000${row.prompt_id}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const out = [...rows];
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    members.forEach((i, k) => {
      out[i] = { ...out[i], draw_idx: k };
    });
  }
  return out;
}
