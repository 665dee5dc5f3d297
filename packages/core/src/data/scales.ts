import type { Scale } from "./types.js";

/** Tolerance used when checking that a value lies on a scale (absolute, in the scale's units). */
export const SCALE_TOLERANCE = 1e-9;

/**
 * Standard scales tried, in this order, when a scale is inferred: the first one containing every
 * observed value of a source wins (so values in [1, 5] infer 1–5, never 0–10).
 */
export const STANDARD_SCALES: readonly Scale[] = Object.freeze([
  { min: 0, max: 1 },
  { min: 1, max: 5 },
  { min: 0, max: 5 },
  { min: 1, max: 7 },
  { min: 1, max: 10 },
  { min: 0, max: 10 },
  { min: 0, max: 100 },
]);

/** Maps `x` from `scale` units into internal units: `(x − min) / (max − min)`. */
export function toInternal(scale: Scale, x: number): number {
  return (x - scale.min) / (scale.max - scale.min);
}

/**
 * Maps an internal-unit value `u` back to `scale` units: `min + u · (max − min)`. Use it for point
 * estimates and interval bounds; a standard error (or any difference) maps by `u · scaleSpan(scale)`.
 */
export function fromInternal(scale: Scale, u: number): number {
  return scale.min + u * (scale.max - scale.min);
}

/** Width `max − min` of a scale: the factor that maps standard errors and differences to its units. */
export function scaleSpan(scale: Scale): number {
  return scale.max - scale.min;
}

/** Whether `x` lies on `scale` within {@link SCALE_TOLERANCE}. */
export function isOnScale(scale: Scale, x: number): boolean {
  return x >= scale.min - SCALE_TOLERANCE && x <= scale.max + SCALE_TOLERANCE;
}

/** Human-readable form of a scale, e.g. `0–100`. */
export function formatScale(scale: Scale): string {
  return `${scale.min}–${scale.max}`;
}

/** Whether two scales have the same bounds. */
export function sameScale(a: Scale, b: Scale): boolean {
  return a.min === b.min && a.max === b.max;
}

/**
 * The first of {@link STANDARD_SCALES} that contains the observed range `[min, max]`, or `null`
 * when the values fit none of them (the caller must then ask for a declared scale).
 */
export function inferStandardScale(min: number, max: number): Scale | null {
  for (const scale of STANDARD_SCALES) {
    if (isOnScale(scale, min) && isOnScale(scale, max)) return scale;
  }
  return null;
}
