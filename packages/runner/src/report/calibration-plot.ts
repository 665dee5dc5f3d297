/**
 * The calibration plot: oracle label against judge score for every labelled row (rows with the same pair
 * share one mark, sized by their count, `data-count` holding it), the fitted calibration function, the
 * identity line a perfectly calibrated judge would follow, and the held-out transport probes as hollow
 * marks (`probe-point`, `data-policy`): a policy whose probes sit off the curve does not share its calibration.
 */
import type { LabelledPoint } from "../stages/estimate.js";
import type { CurvePoint } from "./model.js";
import { escapeHtml, fmt, linearScale, px, ticks } from "./svg.js";

const WIDTH = 460;
const HEIGHT = 380;
const LEFT = 52;
const RIGHT = 16;
const TOP = 14;
const BOTTOM = 46;

/** Labelled rows grouped by identical (judge score, oracle label). */
function groupLabelledPoints(points: readonly LabelledPoint[]): Array<{ x: number; y: number; count: number }> {
  const groups = new Map<string, { x: number; y: number; count: number }>();
  for (const p of points) {
    const id = `${p.judge_score}|${p.oracle_label}`;
    const group = groups.get(id) ?? { x: p.judge_score, y: p.oracle_label, count: 0 };
    group.count++;
    groups.set(id, group);
  }
  return [...groups.values()];
}

/** Probe marks, one per (policy, judge score, oracle label) group. */
function probeMarks(probes: readonly LabelledPoint[], x: (v: number) => number, y: (v: number) => number): string {
  const groups = new Map<string, { policy: string; points: LabelledPoint[] }>();
  for (const p of probes) {
    const id = `${p.policy}\u0000${p.judge_score}|${p.oracle_label}`;
    const group = groups.get(id) ?? { policy: p.policy, points: [] };
    group.points.push(p);
    groups.set(id, group);
  }
  return [...groups.values()]
    .map(({ policy, points: [first, ...rest] }) => {
      const count = rest.length + 1;
      return `<circle class="mark probe-point" data-policy="${escapeHtml(policy)}" data-count="${count}" cx="${px(x(first.judge_score))}" cy="${px(y(first.oracle_label))}" r="${px(3 + Math.sqrt(count))}"><title>${escapeHtml(`${policy} probe: judge ${fmt(first.judge_score)} → oracle ${fmt(first.oracle_label)}: ${count} probe${count === 1 ? "" : "s"}`)}</title></circle>`;
    })
    .join("");
}

/** The calibration plot as an SVG element; `probes` are the held-out transport probes (not part of the fit). */
export function calibrationPlot(points: readonly LabelledPoint[], curve: readonly CurvePoint[] | null, probes: readonly LabelledPoint[] = []): string {
  const x = linearScale([0, 1], [LEFT, WIDTH - RIGHT]);
  const y = linearScale([0, 1], [HEIGHT - BOTTOM, TOP]);
  const grid = ticks([0, 1], 0.2)
    .map(
      (t) =>
        `<line class="grid" x1="${px(x(t))}" x2="${px(x(t))}" y1="${TOP}" y2="${HEIGHT - BOTTOM}"/><line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${px(y(t))}" y2="${px(y(t))}"/>` +
        `<text class="tick" x="${px(x(t))}" y="${HEIGHT - BOTTOM + 16}">${fmt(t, 1)}</text><text class="tick y" x="${LEFT - 8}" y="${px(y(t) + 4)}">${fmt(t, 1)}</text>`,
    )
    .join("");
  const groups = groupLabelledPoints(points);
  const largest = Math.max(1, ...groups.map((g) => g.count));
  const marks = groups
    .map(
      (g) =>
        `<circle class="mark label-point" data-count="${g.count}" cx="${px(x(g.x))}" cy="${px(y(g.y))}" r="${px(2.5 + 6 * Math.sqrt(g.count / largest))}"><title>judge ${fmt(g.x)} → oracle ${fmt(g.y)}: ${g.count} label${g.count === 1 ? "" : "s"}</title></circle>`,
    )
    .join("");
  const line =
    curve === null || curve.length === 0
      ? ""
      : `<path class="calibration-curve" d="${curve.map((c, i) => `${i === 0 ? "M" : "L"}${px(x(c.x))},${px(y(c.y))}`).join(" ")}"><title>fitted calibration f(judge score)</title></path>`;
  return (
    `<svg class="calibration" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="Calibration: oracle label against judge score">` +
    grid +
    `<line class="identity" x1="${px(x(0))}" y1="${px(y(0))}" x2="${px(x(1))}" y2="${px(y(1))}"/>` +
    marks +
    probeMarks(probes, x, y) +
    line +
    `<text class="axis-label" x="${px((LEFT + WIDTH - RIGHT) / 2)}" y="${HEIGHT - 8}">judge score</text>` +
    `<text class="axis-label" transform="translate(14 ${px((TOP + HEIGHT - BOTTOM) / 2)}) rotate(-90)">oracle label</text>` +
    `<desc>${escapeHtml(`${points.length} labelled rows in ${groups.length} distinct (judge, oracle) pairs${probes.length === 0 ? "" : `; ${probes.length} held-out transport probes`}`)}</desc></svg>`
  );
}
