/**
 * Compare: two runs (before and after a prompt change), per policy the difference of their estimates with an
 * interval. The runs are independent, so the difference's se is √(se₁² + se₂²) on Welch–Satterthwaite df
 * (`compareRuns` of the package's main entry).
 */
import type { AnalysisResult, PolicyResult } from "@cjeval/core";
import type { ComponentChildren } from "preact";
import { compareRuns, type PolicyRunComparison } from "../../src/compare.js";
import type { ViewRun } from "../../src/view-model.js";
import { domainOf } from "../charts/axis.js";
import { AxisRow, IntervalPlot, LegendItem } from "../charts/interval-plot.js";
import { decimalsFor, interval, num, pValue, signed } from "../format.js";
import { navigate } from "../route.js";
import { ScrollTable } from "../table.js";
import { estimateScale } from "./forest-plot.js";

/** The Compare view: `a` and `b` are the chosen run ids (from the URL). */
export function CompareView({ runs, a, b }: { runs: readonly ViewRun[]; a: string | null; b: string | null }) {
  const analysed = runs.filter((r): r is ViewRun & { result: AnalysisResult } => r.result !== null);
  if (analysed.length < 2) {
    return <p>Compare needs two runs with results: open two folders or result files with cje view, or drop files for another run.</p>;
  }
  const before = analysed.find((r) => r.id === a) ?? analysed[0];
  const after = analysed.find((r) => r.id === b) ?? analysed.find((r) => r.id !== before.id)!;
  const pick = (which: "a" | "b", id: string): void => navigate("compare", { a: which === "a" ? id : before.id, b: which === "b" ? id : after.id });
  const alpha = before.result.diagnostics.inference.alpha;
  const rows = compareRuns(before.result, after.result, alpha);
  const domain = domainOf(rows.flatMap((r) => (r.comparable ? [...r.difference.ci, 0] : [])));
  const level = Math.round((1 - alpha) * 100);
  return (
    <>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Runs to compare">
        <RunSelect label="Before" runs={analysed} value={before.id} onPick={(id) => pick("a", id)} />
        <RunSelect label="After" runs={analysed} value={after.id} onPick={(id) => pick("b", id)} />
      </form>
      {before.id === after.id && <p role="status">Both sides are the same run: every difference is zero.</p>}
      <p>
        After minus before, per policy, with a {level}% interval. The runs are independent samples, so se = √(se₁² + se₂²) with Welch–Satterthwaite degrees of
        freedom from the runs' own (a normal interval when neither has any). <LegendItem kind="difference">difference</LegendItem>
      </p>
      <ScrollTable
        className="compare-table stacked"
        label="Differences between the runs"
        head={[
          "Policy",
          { class: "plot-col", content: <AxisRow domain={domain} label="Axis: difference" /> },
          "Before",
          "After",
          `Difference [${level}% CI]`,
          "df",
          "p",
          "Verdict",
        ]}
      >
        {rows.map((r) => {
          const digits = r.before !== null ? decimalsFor(estimateScale(before.result, r.before)) : 3;
          if (!r.comparable) {
            return (
              <CompareRow key={r.policy} row={r} digits={digits}>
                <td colSpan={4}>not comparable: {r.reason}</td>
              </CompareRow>
            );
          }
          const d = r.difference;
          const significant = d.p_value < alpha;
          const flags = [...new Set([...r.before.flags, ...r.after.flags])];
          const plot = (
            <IntervalPlot
              marks={[{ kind: "difference", point: d.difference, ci: d.ci }]}
              domain={domain}
              reference={0}
              label={`${r.policy}: difference ${signed(d.difference, digits)}`}
            />
          );
          return (
            <CompareRow key={r.policy} row={r} digits={digits} plot={plot}>
              <td class="num difference" data-label="difference">
                {signed(d.difference, digits)} {interval(d.ci, digits)}
              </td>
              <td class="num" data-label="df">
                {d.df === null ? "∞ (normal)" : num(d.df, 1)}
              </td>
              <td class="num" data-label="p">
                {pValue(d.p_value)}
              </td>
              <td data-label="verdict">
                <span aria-hidden="true">{!significant ? "○ " : d.difference > 0 ? "▲ " : "▼ "}</span>
                {!significant ? "no significant change" : d.difference > 0 ? "significantly higher" : "significantly lower"}
                {flags.length > 0 && <span class="flagged"> ⚠ {flags.join(", ")}</span>}
              </td>
            </CompareRow>
          );
        })}
      </ScrollTable>
    </>
  );
}

/** A row of the compare table up to the runs' estimates: the policy, its plot cell and both estimates; then `children`. */
function CompareRow({ row, digits, plot, children }: { row: PolicyRunComparison; digits: number; plot?: ComponentChildren; children: ComponentChildren }) {
  const estimate = (p: PolicyResult | null): string => (p === null ? "–" : `${num(p.estimate, digits)} ${interval(p.ci, digits)}`);
  return (
    <tr data-policy={row.policy}>
      <th scope="row">{row.policy}</th>
      <td class="plot-col">{plot}</td>
      <td class="num" data-label="before">
        {estimate(row.before)}
      </td>
      <td class="num" data-label="after">
        {estimate(row.after)}
      </td>
      {children}
    </tr>
  );
}

/** A labelled picker of one of `runs`. */
function RunSelect({ label, runs, value, onPick }: { label: string; runs: readonly ViewRun[]; value: string; onPick: (id: string) => void }) {
  return (
    <label>
      {label}{" "}
      <select value={value} onChange={(e) => onPick(e.currentTarget.value)}>
        {runs.map((r) => (
          <option key={r.id} value={r.id}>
            {r.label}
          </option>
        ))}
      </select>
    </label>
  );
}
