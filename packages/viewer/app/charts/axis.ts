/** Axis helpers for the hand-written SVG charts: a padded domain and round tick values. */

/** `[lo, hi]` covering every finite value, padded by `pad` of its width (a unit-wide domain around a single value). */
export function domainOf(values: readonly (number | null)[], pad = 0.05): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [0, 1];
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  const margin = (hi - lo) * pad;
  return [lo - margin, hi + margin];
}

/** About `target` round tick values (1, 2 or 5 × 10ᵏ apart) inside `[lo, hi]`. */
export function ticks(lo: number, hi: number, target = 5): number[] {
  const raw = (hi - lo) / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

/** Position of `x` in `[lo, hi]` as a percentage (clamped to the plot). */
export function percentOf(x: number, [lo, hi]: readonly [number, number]): number {
  const p = ((x - lo) / (hi - lo)) * 100;
  return p < 0 ? 0 : p > 100 ? 100 : p;
}

/** Decimals that tell ticks `step` apart. */
export function tickDecimals(values: readonly number[]): number {
  if (values.length < 2) return 2;
  const step = Math.abs(values[1] - values[0]);
  return step >= 1 ? 0 : Math.min(4, Math.ceil(-Math.log10(step)));
}
