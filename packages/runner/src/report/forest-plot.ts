/**
 * The forest plot: for each policy, the naive judge mean and the calibrated (CJE) estimate, each with its
 * 95% interval, and the true value as a diamond when it is known. Marks carry classes (`mark naive`,
 * `mark calibrated`, `mark truth`) and `data-policy` so tests and readers can find them.
 */
import type { AnalysisResult } from "@cjeval/core";
import { escapeHtml, fmt, linearScale, niceDomain, px, valueGrid } from "./svg.js";

const WIDTH = 760;
const LEFT = 150;
const RIGHT = 24;
const TOP = 34;
const ROW = 46;
const BOTTOM = 42;

/** An estimate with its 95% interval (`null` where it cannot be computed). */
export interface Interval {
  readonly estimate: number | null;
  readonly ci: readonly (number | null)[];
}

/** What {@link intervalMark} draws. */
export interface IntervalMarkOptions {
  /** Classes of the mark's group (`mark naive`, `mark calibrated flagged`, …). */
  readonly classes: string;
  readonly policy: string;
  /** Tooltip text. */
  readonly title: string;
  readonly value: Interval;
  readonly y: number;
  readonly x: (value: number) => number;
  /** More attributes of the group, already escaped (`data-estimator="ips"`). */
  readonly attributes?: string;
}

/** One estimate as a mark: a line over its interval and a dot, grouped with `data-policy` and a tooltip. */
export function intervalMark(options: IntervalMarkOptions): string {
  const { value, x, y } = options;
  if (value.estimate === null) return "";
  const [lo, hi] = value.ci;
  const line = lo === null || hi === null ? "" : `<line x1="${px(x(lo))}" x2="${px(x(hi))}" y1="${px(y)}" y2="${px(y)}"/>`;
  const attributes = options.attributes === undefined ? "" : ` ${options.attributes}`;
  return `<g class="${options.classes}" data-policy="${escapeHtml(options.policy)}"${attributes}><title>${escapeHtml(options.title)}</title>${line}<circle cx="${px(x(value.estimate))}" cy="${px(y)}" r="4.5"/></g>`;
}

/** `estimate [lo, hi]` for tooltips. */
export function intervalLabel(value: Interval): string {
  return `${fmt(value.estimate)} [${fmt(value.ci[0])}, ${fmt(value.ci[1])}]`;
}

function forestMark(kind: "naive" | "calibrated", policy: string, value: Interval, y: number, x: (v: number) => number, flagged: boolean): string {
  const label = `${kind === "naive" ? "naive judge mean" : "CJE estimate"} ${intervalLabel(value)}`;
  return intervalMark({ classes: `mark ${kind}${flagged ? " flagged" : ""}`, policy, title: `${policy}: ${label}`, value, y, x });
}

/** The forest plot of `analysis` as an SVG element. */
export function forestPlot(analysis: AnalysisResult, truth: Readonly<Record<string, number>> | null): string {
  const policies = analysis.policies;
  const naive = (p: string) => analysis.diagnostics.policies[p]?.naive;
  const values = policies.flatMap((p) => [p.estimate, ...p.ci, naive(p.policy)?.estimate, ...(naive(p.policy)?.ci ?? []), truth?.[p.policy]]);
  const domain = niceDomain(values.filter((v): v is number => typeof v === "number"));
  const height = TOP + ROW * policies.length + BOTTOM;
  const x = linearScale(domain, [LEFT, WIDTH - RIGHT]);
  const grid = valueGrid(domain, x, TOP - 6, height - BOTTOM);
  const rows = policies
    .map((p, i) => {
      const y = TOP + ROW * i + ROW / 2;
      const flagged = p.flags.length > 0;
      const n = naive(p.policy);
      const t = truth?.[p.policy];
      const truthMark =
        t === undefined
          ? ""
          : `<path class="mark truth" data-policy="${escapeHtml(p.policy)}" d="M${px(x(t))},${px(y - 11)} l6,11 l-6,11 l-6,-11 z"><title>${escapeHtml(`${p.policy}: true value ${fmt(t)}`)}</title></path>`;
      return (
        `<g class="row"><text class="policy" x="${LEFT - 12}" y="${px(y + 4)}">${escapeHtml(p.policy)}${flagged ? " ⚑" : ""}</text>` +
        (n === undefined ? "" : forestMark("naive", p.policy, n, y - 8, x, false)) +
        forestMark("calibrated", p.policy, p, y + 8, x, flagged) +
        truthMark +
        "</g>"
      );
    })
    .join("");
  const legend =
    `<g class="legend"><g class="mark-key naive"><line x1="${LEFT}" x2="${LEFT + 22}" y1="12" y2="12"/><circle cx="${LEFT + 11}" cy="12" r="4"/></g><text x="${LEFT + 30}" y="16">naive judge mean (95% CI)</text>` +
    `<g class="mark-key calibrated"><line x1="${LEFT + 220}" x2="${LEFT + 242}" y1="12" y2="12"/><circle cx="${LEFT + 231}" cy="12" r="4"/></g><text x="${LEFT + 250}" y="16">CJE calibrated (95% CI)</text>` +
    (truth === null ? "" : `<path class="mark-key truth" d="M${LEFT + 436},4 l6,8 l-6,8 l-6,-8 z"/><text x="${LEFT + 448}" y="16">true value</text>`) +
    "</g>";
  return (
    `<svg class="forest" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="Forest plot: naive and calibrated estimates per policy">` +
    legend +
    grid +
    rows +
    `<text class="axis-label" x="${px((LEFT + WIDTH - RIGHT) / 2)}" y="${height - 6}">policy value (oracle scale; naive on the judge scale)</text></svg>`
  );
}
