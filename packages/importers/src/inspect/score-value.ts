/**
 * Inspect AI score values as numbers, with Inspect's own mapping (`value_to_float` in
 * `inspect_ai/scorer/_metric.py`): numbers and booleans as they are; `C` (correct) 1, `P` (partial)
 * 0.5, `I` (incorrect) and `N` (no answer) 0; "yes"/"true" 1 and "no"/"false" 0 (any case); strings
 * holding a finite number that number. Where Inspect would log a warning and use 0 we return `undefined`,
 * so the importer can count the sample instead of scoring it 0.
 */

/** Inspect's letter grades. */
export const INSPECT_GRADES: Readonly<Record<string, number>> = { C: 1, P: 0.5, I: 0, N: 0 };

/** The number Inspect's metrics would use for `value`, or `undefined` when it has none (lists, dicts, other text). */
export function inspectValueToFloat(value: unknown): number | undefined {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  if (typeof value !== "string") return undefined;
  if (value in INSPECT_GRADES) return INSPECT_GRADES[value];
  const lower = value.toLowerCase();
  if (lower === "yes" || lower === "true") return 1;
  if (lower === "no" || lower === "false") return 0;
  const number = value.trim() === "" ? Number.NaN : Number(value);
  return Number.isFinite(number) ? number : undefined;
}
