/**
 * One row of a forest plot: point estimates with their intervals on a shared horizontal domain, drawn in SVG
 * with percentage coordinates so it stretches to any width. Kinds differ by shape and line style, never by
 * colour alone: naive — hollow square, dashed line; estimate — filled circle, solid line; difference — filled
 * diamond, solid line.
 */
import type { ComponentChildren } from "preact";
import { percentOf, tickDecimals, ticks } from "./axis.js";
import { num } from "../format.js";

/** What a mark shows. */
export type MarkKind = "naive" | "estimate" | "difference";

/** One interval. */
export interface IntervalMark {
  readonly kind: MarkKind;
  readonly point: number | null;
  readonly ci: readonly [number | null, number | null];
}

const LANE = 14;

/** The marks of one row, one lane each, with an optional reference line (zero for differences). */
export function IntervalPlot({
  marks,
  domain,
  reference,
  label,
}: {
  marks: readonly IntervalMark[];
  domain: readonly [number, number];
  reference?: number;
  label: string;
}) {
  const height = LANE * marks.length + 6;
  return (
    <svg class="interval-plot" width="100%" height={height} role="img" aria-label={label}>
      {reference !== undefined && reference >= domain[0] && reference <= domain[1] && (
        <line class="reference" x1={`${percentOf(reference, domain)}%`} x2={`${percentOf(reference, domain)}%`} y1={0} y2={height} />
      )}
      {marks.map((mark, i) => {
        const y = 3 + LANE * i + LANE / 2;
        const [lo, hi] = mark.ci;
        return (
          <g key={mark.kind} class={`mark mark-${mark.kind}`}>
            {lo !== null && hi !== null && <line class="whisker" x1={`${percentOf(lo, domain)}%`} x2={`${percentOf(hi, domain)}%`} y1={y} y2={y} />}
            {mark.point !== null && (
              <svg x={`${percentOf(mark.point, domain)}%`} y={y} overflow="visible" aria-hidden="true">
                <Marker kind={mark.kind} />
              </svg>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** The shape of a kind, centred on (0, 0) (also used in legends). */
function Marker({ kind }: { kind: MarkKind }) {
  if (kind === "naive") return <rect class="marker" x={-4} y={-4} width={8} height={8} />;
  if (kind === "difference") return <path class="marker" d="M0 -5 L5 0 L0 5 L-5 0 Z" />;
  return <circle class="marker" r={4.5} />;
}

/** A legend entry: the kind's marker and line, then its name. */
export function LegendItem({ kind, children }: { kind: MarkKind; children: ComponentChildren }) {
  return (
    <span class={`legend-item mark-${kind}`}>
      <svg width={34} height={12} aria-hidden="true">
        <line class="whisker" x1={2} x2={32} y1={6} y2={6} />
        <svg x={17} y={6} overflow="visible" aria-hidden="true">
          <Marker kind={kind} />
        </svg>
      </svg>
      {children}
    </span>
  );
}

/** Tick labels of a domain, aligned with the plots below them. */
export function AxisRow({ domain, label }: { domain: readonly [number, number]; label: string }) {
  const values = ticks(domain[0], domain[1], 4);
  const digits = tickDecimals(values);
  return (
    <svg class="axis" width="100%" height={30} role="img" aria-label={`${label}, from ${num(domain[0], digits + 1)} to ${num(domain[1], digits + 1)}`}>
      <line class="axis-line" x1="0%" x2="100%" y1={26} y2={26} />
      {values.map((v) => {
        const at = percentOf(v, domain);
        // Labels at the edges are anchored inside the plot, so they are not cut off.
        const anchor = at < 8 ? "start" : at > 92 ? "end" : "middle";
        return (
          <g key={v}>
            <line class="tick" x1={`${at}%`} x2={`${at}%`} y1={21} y2={26} />
            <text x={`${at}%`} y={16} text-anchor={anchor}>
              {num(v, digits)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
