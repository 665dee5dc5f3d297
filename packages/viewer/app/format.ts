/** Numbers as the page shows them: on the result's scales, with as many decimals as the scale warrants. */
import type { Scale } from "@cjeval/core";
import { fromInternal, scaleSpan } from "@cjeval/core/advanced";

/** Decimals for values on `scale`: 3 on a 0–1 scale, 2 up to a span of 10, 1 beyond. */
export function decimalsFor(scale: Scale | null): number {
  const span = scale === null ? 1 : scaleSpan(scale);
  return span <= 1 ? 3 : span <= 10 ? 2 : 1;
}

/** `x` with `digits` decimals and a true minus sign; "–" for null or non-finite values. */
export function num(x: number | null | undefined, digits: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  const text = x.toFixed(digits);
  return text.startsWith("-") ? `−${text.slice(1)}` : text;
}

/** Like {@link num} with an explicit sign for positive values (differences). */
export function signed(x: number | null | undefined, digits: number): string {
  const text = num(x, digits);
  return x !== null && x !== undefined && x > 0 ? `+${text}` : text;
}

/** An interval as `[lo, hi]`. */
export function interval(ci: readonly [number | null, number | null], digits: number): string {
  return `[${num(ci[0], digits)}, ${num(ci[1], digits)}]`;
}

/** A p-value: three significant decimals, `< 0.001` below. */
export function pValue(p: number): string {
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}

/** A count with thousands separators. */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** `part / whole` as a percentage with no decimals ("–" when whole is 0). */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((100 * part) / whole)}%` : "–";
}

/** A scale as `min–max`. */
export function scaleText(scale: Scale): string {
  return `${scale.min}–${scale.max}`;
}

/** An internal [0, 1] value on `scale` (unchanged without one). */
export function onScale(u: number, scale: Scale | null): number {
  return scale === null ? u : fromInternal(scale, u);
}

/** An internal difference (a residual) in `scale`'s units. */
export function spanOf(d: number, scale: Scale | null): number {
  return scale === null ? d : d * scaleSpan(scale);
}
