/** The labels a labelling page offers: a grid on the oracle scale, and the keys that choose them. */
import { CjeInputError } from "@cjeval/core";

/** The grid min, min + step, …, max. */
export interface LabelScale {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

/** The grid values; the step must divide the range (within 1e-9). */
export function scaleValues(scale: LabelScale): number[] {
  const count = (scale.max - scale.min) / scale.step;
  if (!(scale.step > 0) || !(scale.max > scale.min) || Math.abs(count - Math.round(count)) > 1e-9 || Math.round(count) > 100) {
    throw new CjeInputError(
      `the label grid needs max > min and a step dividing the range into at most 100 steps (got ${scale.min}–${scale.max} by ${scale.step})`,
      {
        field: "scale",
      },
    );
  }
  return Array.from({ length: Math.round(count) + 1 }, (_, i) => Number((scale.min + i * scale.step).toPrecision(12)));
}

/**
 * Keyboard shortcut of each value: the digit itself when every value is an integer 0–9 (a 1–5 scale
 * uses keys 1–5); else, for up to ten values, 1, 2, …, 9, 0 in order; else the digit of each value
 * that is an integer 0–9 (a 0–10 scale: keys 0–9, and a button for 10).
 */
export function valueKeys(values: readonly number[]): (string | null)[] {
  const digit = (v: number) => Number.isInteger(v) && v >= 0 && v <= 9;
  if (values.every(digit)) return values.map(String);
  if (values.length <= 10) return values.map((_, i) => String((i + 1) % 10));
  return values.map((v) => (digit(v) ? String(v) : null));
}

/** Whether `label` is one of the grid values. */
export function onGrid(values: readonly number[], label: number): boolean {
  return values.some((v) => Math.abs(v - label) <= 1e-9 * Math.max(1, Math.abs(v)));
}
