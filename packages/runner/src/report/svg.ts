/** Small helpers for hand-written SVG and HTML: escaping, linear scales, axis ticks, number formatting. */

/** Escapes text for HTML/SVG content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

/** A linear map from `domain` to `range`. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 === 0 ? 1 : d1 - d0;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** A domain covering `values` with a little padding, snapped outwards to `step`. */
export function niceDomain(values: readonly number[], step = 0.1): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.floor((Math.min(...finite) - step / 4) / step) * step;
  let hi = Math.ceil((Math.max(...finite) + step / 4) / step) * step;
  if (hi - lo < step) hi = lo + step;
  lo = Number(lo.toFixed(10));
  hi = Number(hi.toFixed(10));
  return [lo, hi];
}

/** Tick values from `lo` to `hi` every `step`. */
export function ticks([lo, hi]: readonly [number, number], step: number): number[] {
  const out: number[] = [];
  for (let i = 0; lo + i * step <= hi + step / 1e6; i++) out.push(Number((lo + i * step).toFixed(10)));
  return out;
}

/**
 * Vertical grid lines of a horizontal value axis from `top` to `bottom`, labelled below: every 0.1 over a
 * wide domain, every 0.05 over a narrow one.
 */
export function valueGrid(domain: readonly [number, number], x: (value: number) => number, top: number, bottom: number): string {
  const step = domain[1] - domain[0] > 0.6 ? 0.1 : 0.05;
  return ticks(domain, step)
    .map(
      (t) =>
        `<line class="grid" x1="${px(x(t))}" x2="${px(x(t))}" y1="${top}" y2="${bottom}"/><text class="tick" x="${px(x(t))}" y="${bottom + 16}">${fmt(t, 2)}</text>`,
    )
    .join("");
}

/** A number with `digits` decimals, or `n/a`. */
export function fmt(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "n/a" : value.toFixed(digits);
}

/** A coordinate rounded for compact SVG. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}
