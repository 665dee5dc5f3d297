/**
 * The report's off-policy section: a forest plot with, for each target policy, the Direct estimate (from its
 * fresh draws) and one mark per off-policy estimator (from the logging policy's logged responses), then a
 * table per estimator with its weight and overlap diagnostics. Marks carry `mark direct` / `mark off-policy`,
 * `data-policy` and `data-estimator`; values off the plotted range are drawn at its edge (`clipped`).
 */
import type { AnalysisResult } from "@cjeval/core";
import type { OffPolicyResult } from "../stages/off-policy.js";
import { intervalLabel, intervalMark, type Interval } from "./forest-plot.js";
import { flagBadges, interval, table } from "./html-parts.js";
import { percent } from "./audit-text.js";
import { escapeHtml, fmt, linearScale, niceDomain, px, valueGrid } from "./svg.js";

const WIDTH = 760;
const LEFT = 150;
const RIGHT = 24;
const LEGEND_COLUMNS = 4;
const LEGEND_ROW = 18;
const MARK_STEP = 15;
const BOTTOM = 42;
/** The plotted range is at most this (oracle scale): IPS can land far outside [0, 1]. */
const AXIS_LIMITS: readonly [number, number] = [-0.5, 1.5];
const PALETTE = ["#d9822b", "#2e8b57", "#8e44ad", "#b03a2e", "#16a085", "#7f8c8d", "#b7950b"];

/** CSS of the section (one colour per estimator). */
export const OFF_POLICY_STYLE =
  `svg .direct line,svg .mark-key.direct line{stroke:#2457b8;stroke-width:2.5}svg .direct circle,svg .mark-key.direct circle{fill:#2457b8}` +
  PALETTE.map((c, i) => `svg .est-${i} line{stroke:${c};stroke-width:2.5}svg .est-${i} circle{fill:${c};stroke:${c}}`).join("") +
  `svg.off-policy .flagged line{stroke-dasharray:5 3}svg.off-policy .flagged circle{fill:#fff;stroke-width:2}`;

interface Series {
  readonly name: string;
  readonly classes: string;
  readonly analysis: AnalysisResult;
}

const clamp = (v: number | null, [lo, hi]: readonly [number, number]) => (v === null ? null : Math.min(hi, Math.max(lo, v)));

/** The forest plot of the off-policy estimates beside the Direct ones. */
export function offPolicyPlot(direct: AnalysisResult, results: readonly OffPolicyResult[]): string {
  const series: Series[] = [
    { name: "direct", classes: "mark direct", analysis: direct },
    ...results.map((r, i) => ({ name: r.estimator, classes: `mark off-policy est-${i % PALETTE.length}`, analysis: r.analysis })),
  ];
  const targets = [...new Set(results.flatMap((r) => r.analysis.policies.map((p) => p.policy)))];
  const find = (s: Series, policy: string) => s.analysis.policies.find((p) => p.policy === policy);
  const values = series.flatMap((s) => targets.flatMap((t) => [find(s, t)?.estimate, ...(find(s, t)?.ci ?? [])]));
  const finite = values.filter((v): v is number => typeof v === "number").map((v) => clamp(v, AXIS_LIMITS) as number);
  const domain = niceDomain(finite);
  const legendRows = Math.ceil(series.length / LEGEND_COLUMNS);
  const top = 12 + LEGEND_ROW * legendRows;
  const rowHeight = MARK_STEP * series.length + 14;
  const height = top + rowHeight * targets.length + BOTTOM;
  const x = linearScale(domain, [LEFT, WIDTH - RIGHT]);
  const grid = valueGrid(domain, x, top - 6, height - BOTTOM);
  const legend = series
    .map((s, i) => {
      const lx = LEFT + (i % LEGEND_COLUMNS) * 150;
      const ly = 12 + LEGEND_ROW * Math.floor(i / LEGEND_COLUMNS);
      const key = s.classes.replace(/^mark /, "mark-key ");
      return `<g class="${key}"><line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}"/><circle cx="${lx + 11}" cy="${ly}" r="4"/></g><text x="${lx + 30}" y="${ly + 4}">${escapeHtml(s.name)}</text>`;
    })
    .join("");
  const rows = targets
    .map((policy, r) => {
      const y0 = top + rowHeight * r + 7;
      const marks = series
        .map((s, k) => {
          const p = find(s, policy);
          if (p === undefined) return "";
          const clipped = [p.estimate, ...p.ci].some((v) => v !== null && clamp(v, domain) !== v);
          const drawn: Interval = { estimate: clamp(p.estimate, domain), ci: p.ci.map((v) => clamp(v, domain)) };
          const classes = `${s.classes}${p.flags.length > 0 ? " flagged" : ""}${clipped ? " clipped" : ""}`;
          const title = `${policy}: ${s.name} ${intervalLabel(p)}${p.flags.length > 0 ? ` (${p.flags.join(", ")})` : ""}${clipped ? " — beyond the axis" : ""}`;
          return intervalMark({
            classes,
            policy,
            title,
            value: drawn,
            y: y0 + MARK_STEP * k + MARK_STEP / 2,
            x,
            attributes: `data-estimator="${escapeHtml(s.name)}"`,
          });
        })
        .join("");
      return `<g class="row"><text class="policy" x="${LEFT - 12}" y="${px(y0 + rowHeight / 2)}">${escapeHtml(policy)}</text>${marks}</g>`;
    })
    .join("");
  return (
    `<svg class="off-policy" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="Off-policy estimates per target policy and estimator">` +
    `<g class="legend">${legend}</g>` +
    grid +
    rows +
    `<text class="axis-label" x="${px((LEFT + WIDTH - RIGHT) / 2)}" y="${height - 6}">policy value (oracle scale)</text></svg>`
  );
}

/** One estimator's table: estimates, flags and weight/overlap diagnostics per target. */
function estimatorTable(result: OffPolicyResult): string {
  const rows = result.analysis.policies.map((p) => {
    const d = result.analysis.diagnostics.policies[p.policy]?.off_policy;
    return [
      escapeHtml(p.policy),
      fmt(p.estimate),
      interval(p.ci),
      String(p.n),
      d === undefined ? "n/a" : percent(d.ess_raw),
      d?.ess_stabilised === null || d === undefined ? "—" : percent(d.ess_stabilised),
      d === undefined ? "n/a" : fmt(d.max_weight, 2),
      d === undefined ? "n/a" : `${fmt(d.ttc.value)} (${escapeHtml(d.ttc.normalizer)})`,
      d === undefined ? "n/a" : fmt(d.judge_overlap.affinity),
      flagBadges(p.flags),
    ];
  });
  return table(
    ["policy", "estimate", "95% CI", "logged rows", "ESS raw", "ESS SIMCal", "max weight", "TTC", "judge overlap A_B", "flags"],
    rows,
    [1, 2, 3, 4, 5, 6, 7, 8],
  );
}

/** Notes of an estimator: its warnings that the Direct analysis does not already give, and dropped rows. */
function estimatorNotes(result: OffPolicyResult, direct: AnalysisResult): string {
  const known = new Set(direct.diagnostics.warnings);
  const notes = result.analysis.diagnostics.warnings.filter((w) => !known.has(w));
  const dropped = result.analysis.diagnostics.dropped.total;
  if (dropped > 0) notes.push(`${dropped} logged row(s) or row × target pair(s) left out for a missing or invalid log-prob (see diagnostics.dropped).`);
  return notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join("");
}

/** The section, or an empty string without off-policy results. */
export function offPolicySection(direct: AnalysisResult, results: readonly OffPolicyResult[]): string {
  if (results.length === 0) return "";
  const tables = results.map((r) => `<h3>${escapeHtml(r.estimator)}</h3>${estimatorTable(r)}${estimatorNotes(r, direct)}`).join("");
  return (
    `<h2>Off-policy estimates</h2>` +
    `<p class="note">Each target policy valued from the logging policy's logged responses, re-weighted by teacher-forced log-probs; ` +
    `the doubly-robust estimators also use the target's fresh draws. Blue: the Direct estimate from the fresh draws, for comparison. ` +
    `Hollow, dashed marks are flagged.</p>` +
    offPolicyPlot(direct, results) +
    tables
  );
}
