/**
 * The HTML report: one self-contained page (inline CSS and SVG, no scripts, no external resources) that
 * can be attached to a CI run or mailed: forest plot, per-policy table with flags and transport-audit
 * states, range/label-support and transport audits in full, comparisons, calibration plot with the held-out
 * probes, label design, off-policy estimates, costs, failures.
 */
import { FLAG_REASONS, type PolicyFlag } from "@cjeval/core";
import { labelSupportText, rangeSupportText, transportDetail } from "./audit-text.js";
import { calibrationPlot } from "./calibration-plot.js";
import { forestPlot } from "./forest-plot.js";
import { auditBadge, flagBadges, interval, table } from "./html-parts.js";
import type { ReportData } from "./model.js";
import { OFF_POLICY_STYLE, offPolicySection } from "./off-policy-section.js";
import { escapeHtml, fmt } from "./svg.js";

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;margin:0;background:#f6f7f9}
main{max-width:980px;margin:0 auto;padding:24px 28px 48px;background:#fff}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #e3e6eb;padding-bottom:4px}
.meta{color:#5b6476;margin:0 0 16px}.verdict{background:#eef4ff;border-left:4px solid #3366cc;padding:8px 12px;margin:12px 0}
.warn{background:#fff6e5;border-left:4px solid #d98e04;padding:8px 12px;margin:8px 0}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eceef2;vertical-align:top}
th{font-weight:600;color:#3c4456;background:#fafbfc}td.num{font-variant-numeric:tabular-nums;white-space:nowrap}
.flag{display:inline-block;background:#fde8e8;color:#a61b1b;border-radius:3px;padding:0 5px;margin:1px 2px;font-size:12px;font-weight:600}
.ok{color:#1f7a3d;font-weight:600}.no{color:#a61b1b;font-weight:600}
svg{display:block;margin:8px 0;max-width:100%;height:auto}
svg text{font:12px system-ui,sans-serif;fill:#3c4456}svg .tick{text-anchor:middle;fill:#6b7385}svg .tick.y{text-anchor:end}
svg .policy{text-anchor:end;font-weight:600}svg .axis-label{text-anchor:middle;fill:#5b6476}
svg .grid{stroke:#eceef2}svg .identity{stroke:#9aa3b2;stroke-dasharray:4 4}
svg .naive line,svg .mark-key.naive line{stroke:#8a93a3;stroke-width:2.5}svg .naive circle,svg .mark-key.naive circle{fill:#8a93a3}
svg .calibrated line,svg .mark-key.calibrated line{stroke:#2457b8;stroke-width:2.5}svg .calibrated circle,svg .mark-key.calibrated circle{fill:#2457b8}
svg .calibrated.flagged line{stroke:#c0392b;stroke-dasharray:5 3}svg .calibrated.flagged circle{fill:#c0392b}
svg .truth,svg .mark-key.truth{fill:#f2b01e;stroke:#6b4b00;stroke-width:1}
svg .label-point{fill:#2457b8;fill-opacity:.35;stroke:#2457b8;stroke-width:.8}svg .calibration-curve{fill:none;stroke:#c0392b;stroke-width:2.5}
.plots{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.note{color:#5b6476;font-size:13px}
h3{font-size:15px;margin:20px 0 4px}.audit{font-size:13px}.audit.pass{color:#1f7a3d}.audit.fail{color:#a61b1b;font-weight:600}
.audit.inconclusive{color:#8a5a00}.audit.not-graded,.audit.not-checked{color:#6b7385}
svg .probe-point{fill:none;stroke:#d9822b;stroke-width:1.4}
${OFF_POLICY_STYLE}
`;

function covers(ci: readonly (number | null)[], truth: number | undefined): string {
  if (truth === undefined || ci[0] === null || ci[1] === null) return "";
  return ci[0] <= truth && truth <= ci[1] ? '<span class="ok">yes</span>' : '<span class="no">no</span>';
}

function policySection(data: ReportData): string {
  const { analysis, truth } = data;
  const withTruth = truth !== null;
  const header = [
    "policy",
    "CJE estimate",
    "95% CI",
    ...(withTruth ? ["truth", "covers"] : []),
    "naive",
    "naive 95% CI",
    ...(withTruth ? ["covers"] : []),
    "n",
    "labels",
    "transport audit",
    "flags",
  ];
  const rows = analysis.policies.map((p) => {
    const naive = analysis.diagnostics.policies[p.policy]?.naive;
    const t = truth?.[p.policy];
    return [
      escapeHtml(p.policy),
      fmt(p.estimate),
      interval(p.ci),
      ...(withTruth ? [fmt(t), covers(p.ci, t)] : []),
      fmt(naive?.estimate),
      naive === undefined ? "n/a" : interval(naive.ci),
      ...(withTruth ? [naive === undefined ? "" : covers(naive.ci, t)] : []),
      String(p.n),
      String(p.n_oracle),
      auditBadge(analysis.diagnostics.policies[p.policy]?.transport),
      flagBadges(p.flags),
    ];
  });
  const numeric = withTruth ? [1, 2, 3, 5, 6, 8, 9] : [1, 2, 3, 4, 5, 6];
  return table(header, rows, numeric);
}

function auditSection(data: ReportData): string {
  const rows = data.analysis.policies.map((p) => {
    const d = data.analysis.diagnostics.policies[p.policy];
    const range = d?.range_support;
    const label = d?.label_support;
    return [
      escapeHtml(p.policy),
      range === null || range === undefined ? "not checked" : escapeHtml(rangeSupportText(range)),
      label === null || label === undefined ? "not checked" : escapeHtml(labelSupportText(label)),
      escapeHtml(transportDetail(d?.transport)),
      escapeHtml(p.route),
      p.flags.map((f) => escapeHtml(`${f}: ${FLAG_REASONS[f as PolicyFlag] ?? ""}`)).join("<br>") || "—",
    ];
  });
  return table(["policy", "range support", "label support", "transport audit", "route", "flags"], rows);
}

function comparisonSection(data: ReportData): string {
  const comparisons = data.analysis.comparisons;
  if (comparisons.length === 0) return '<p class="note">No paired comparisons.</p>';
  return table(
    ["a", "b", "a − b", "95% CI", "p", "caveats"],
    comparisons.map((c) => [escapeHtml(c.policy_a), escapeHtml(c.policy_b), fmt(c.difference), interval(c.ci), fmt(c.p_value, 4), flagBadges(c.flagged)]),
    [2, 3, 4],
  );
}

function designSection(data: ReportData): string {
  const cal = data.analysis.diagnostics.calibration;
  const design = data.design;
  const rows: string[][] = [];
  if (design !== null) {
    rows.push(
      ["design", escapeHtml(design.name)],
      ["rows eligible", String(design.eligible)],
      ["rows selected", String(design.selected)],
      ["labels in the analysis", String(design.labelled)],
    );
  } else {
    rows.push(["design", "labels given with the data"], ["labels in the analysis", String(data.labelled.length)]);
  }
  for (const probe of data.audit?.probes ?? []) {
    rows.push([
      `transport probes: ${escapeHtml(probe.policy)}`,
      `${probe.labelled} labelled of ${probe.drawn} drawn from ${probe.eligible} rows (simple random sample, π = ${fmt(probe.inclusion)}); held out of the calibration`,
    ]);
  }
  if (cal !== null) {
    rows.push(
      [
        "calibrator",
        `${escapeHtml(cal.selected_mode)} (requested ${escapeHtml(cal.requested_mode)}), ${cal.n_folds} folds, ${cal.n_labelled_clusters} labelled prompts`,
      ],
      ["calibration RMSE", `${fmt(cal.rmse)} in-sample, ${fmt(cal.oof_rmse)} out-of-fold`],
    );
  }
  const inference = data.analysis.diagnostics.inference;
  rows.push([
    "inference",
    `${escapeHtml(inference.method)}${inference.replicates === undefined ? "" : ` (B = ${inference.replicates}, seed ${inference.seed})`}`,
  ]);
  return table(["", ""], rows);
}

function costSection(data: ReportData): string {
  if (data.costs.length === 0) return '<p class="note">No provider calls recorded.</p>';
  const total = data.costs.reduce((sum, c) => sum + (c.costUsd ?? 0), 0);
  const unpriced = data.costs.some((c) => c.costUsd === null);
  const rows = data.costs.map((c) => [
    escapeHtml(c.stage),
    escapeHtml(c.provider),
    escapeHtml(c.model),
    String(c.calls),
    String(c.cachedCalls),
    String(c.inputTokens),
    String(c.outputTokens),
    !c.billable ? "free" : c.costUsd === null ? "no price" : `$${c.costUsd.toFixed(4)}`,
  ]);
  return (
    table(["stage", "provider", "model", "calls", "from cache", "input tokens", "output tokens", "cost"], rows, [3, 4, 5, 6, 7]) +
    `<p>Total: <b>$${total.toFixed(4)}</b>${unpriced ? " plus models without a known price" : ""}.</p>`
  );
}

function runSection(data: ReportData): string {
  const stages = table(
    ["stage", "stored", "failed", "pending"],
    data.stages.map((s) => [escapeHtml(s.stage), String(s.done), String(s.failed), String(s.pending)]),
    [1, 2, 3],
  );
  const a = data.attempts;
  const attempts = `<p>${a.attempts} calls attempted, ${a.failedAttempts} failed, ${a.interrupted} interrupted by a stopped process (their units were called again on resume).</p>`;
  const failures = data.failures
    .map(
      (f) =>
        `<div class="warn"><b>${f.count} failed ${escapeHtml(f.stage)} unit${f.count === 1 ? "" : "s"}</b> (left out of the analysis)<br>${f.examples.map(escapeHtml).join("<br>")}</div>`,
    )
    .join("");
  return stages + attempts + failures;
}

function verdict(data: ReportData): string {
  const best = data.analysis.best_policy;
  if (best === null) return "";
  const text =
    best.best === null
      ? `No best policy: ${escapeHtml(best.reason ?? "every policy is flagged.")}`
      : best.demoted
        ? `Best reliable policy: <b>${escapeHtml(best.best)}</b> (the raw argmax ${escapeHtml(best.raw_best)} is flagged ${escapeHtml(best.raw_best_flags.join(", "))}).`
        : best.all_flagged
          ? `Best policy: <b>${escapeHtml(best.best)}</b>, but every policy is flagged: treat the ranking with care.`
          : `Best policy: <b>${escapeHtml(best.best)}</b>.`;
  return `<div class="verdict">${text}</div>`;
}

/** Renders the report page. */
export function renderReportHtml(data: ReportData): string {
  const warnings = data.analysis.diagnostics.warnings.map((w) => `<div class="warn">${escapeHtml(w)}</div>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)} — CJE report</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(data.title)}</h1>
<p class="meta">Causal Judge Evaluation report · ${escapeHtml(data.analysis.estimator)} estimator · generated ${escapeHtml(data.generatedAt)}</p>
${verdict(data)}${warnings}
<h2>Estimates</h2>
<p class="note">Grey: the naive mean of the judge's scores. Blue: the value on the oracle scale after calibrating the judge to the labelled rows (red and dashed when flagged)${data.truth === null ? "" : "; gold diamonds: the true values"}.</p>
${forestPlot(data.analysis, data.truth)}
${policySection(data)}
<h2>Flags and audits</h2>
${auditSection(data)}
<h2>Comparisons</h2>
${comparisonSection(data)}
<h2>Calibration</h2>
<div class="plots">${calibrationPlot(data.labelled, data.curve, data.audit?.points ?? [])}<div>${designSection(data)}<p class="note">Each dot is a labelled row (larger dots: several rows with the same judge score and label). The red line is the calibration the estimates use; the dashed diagonal is a judge whose scores already mean what the oracle means.${data.audit === null ? "" : " Hollow orange circles are the held-out transport probes of the audited policies: probes far from the red line mean the calibration does not transport to their policy."}</p></div></div>
${offPolicySection(data.analysis, data.offPolicy)}
<h2>Costs</h2>
${costSection(data)}
<h2>Run</h2>
${runSection(data)}
</main></body></html>
`;
}
