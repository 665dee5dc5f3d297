/**
 * The forest plot of a result: per policy, the naive judge mean and the calibrated estimate with their 95%
 * intervals, as a table (policy, plot, numbers, flags) so the numbers are text too. Naive means are in judge
 * units and estimates in their own units: values on the same scale share one plot column; when the scales
 * differ, each scale gets its own column and axis.
 */
import type { AnalysisResult, PolicyResult, Scale } from "@cjeval/core";
import { domainOf } from "../charts/axis.js";
import { AxisRow, type IntervalMark, IntervalPlot, LegendItem } from "../charts/interval-plot.js";
import { decimalsFor, interval, num, scaleText } from "../format.js";
import { ScrollTable } from "../table.js";

interface Panel {
  readonly key: string;
  readonly scale: Scale;
  readonly title: string;
  readonly domain: [number, number];
}

/** The scale a policy's estimate is on. */
export function estimateScale(result: AnalysisResult, policy: PolicyResult): Scale {
  const { judge, oracle } = result.diagnostics.scales;
  return policy.units === "oracle" && oracle !== null ? oracle : judge;
}

const keyOf = (scale: Scale): string => `${scale.min}:${scale.max}`;

function panels(result: AnalysisResult): Panel[] {
  const judge = result.diagnostics.scales.judge;
  const byKey = new Map<string, { scale: Scale; names: string[]; values: (number | null)[] }>();
  const add = (scale: Scale, name: string, values: (number | null)[]): void => {
    const entry = byKey.get(keyOf(scale)) ?? { scale, names: [], values: [] };
    if (!entry.names.includes(name)) entry.names.push(name);
    entry.values.push(...values);
    byKey.set(keyOf(scale), entry);
  };
  for (const p of result.policies) {
    add(estimateScale(result, p), p.units === "oracle" ? "calibrated" : "uncalibrated", [p.estimate, ...p.ci]);
    const naive = result.diagnostics.policies[p.policy]?.naive;
    if (naive !== undefined) add(judge, "naive", [naive.estimate, ...naive.ci]);
  }
  return [...byKey.entries()].map(([key, { scale, names, values }]) => ({
    key,
    scale,
    title: `${names.join(" and ")}, scale ${scaleText(scale)}`,
    domain: domainOf(values),
  }));
}

/** The forest plot table of `result`. */
export function ForestPlot({ result }: { result: AnalysisResult }) {
  const columns = panels(result);
  const judge = result.diagnostics.scales.judge;
  const level = Math.round((1 - result.diagnostics.inference.alpha) * 100);
  return (
    <figure class="forest">
      <figcaption>
        <span>
          Per policy, {level}% intervals: <LegendItem kind="naive">naive judge mean</LegendItem> <LegendItem kind="estimate">calibrated estimate</LegendItem>
        </span>
      </figcaption>
      <ScrollTable
        className="forest-table stacked"
        label="Forest plot"
        head={[
          "Policy",
          ...columns.map((c) => ({
            class: "plot-col",
            content: (
              <>
                <span class="plot-title">{c.title}</span>
                <AxisRow domain={c.domain} label={`Axis: ${c.title}`} />
              </>
            ),
          })),
          `Estimate [${level}% CI]`,
          "Naive judge mean [CI]",
          "n (labelled)",
          "Flags",
        ]}
      >
        {result.policies.map((p) => {
          const naive = result.diagnostics.policies[p.policy]?.naive;
          const scale = estimateScale(result, p);
          const digits = decimalsFor(scale);
          const nd = decimalsFor(judge);
          return (
            <tr key={p.policy} data-policy={p.policy}>
              <th scope="row">{p.policy}</th>
              {columns.map((c) => {
                const marks: IntervalMark[] = [];
                if (naive !== undefined && keyOf(judge) === c.key) marks.push({ kind: "naive", point: naive.estimate, ci: naive.ci });
                if (keyOf(scale) === c.key) marks.push({ kind: "estimate", point: p.estimate, ci: p.ci });
                return (
                  <td key={c.key} class="plot-col">
                    <IntervalPlot marks={marks} domain={c.domain} label={`${p.policy}: ${marks.map((m) => `${m.kind} ${num(m.point, digits)}`).join(", ")}`} />
                  </td>
                );
              })}
              <td class="num estimate" data-label="estimate">
                {num(p.estimate, digits)} {interval(p.ci, digits)}
                {p.units === "judge" && <span class="units"> (judge units)</span>}
              </td>
              <td class="num naive" data-label="naive">
                {naive === undefined ? "–" : `${num(naive.estimate, nd)} ${interval(naive.ci, nd)}`}
              </td>
              <td class="num" data-label="n (labelled)">
                {p.n} ({p.n_oracle})
              </td>
              <td class="flags" data-label="flags">
                {p.flags.length === 0 ? <span class="ok">none</span> : p.flags.map((f) => <FlagBadge key={f} flag={f} />)}
              </td>
            </tr>
          );
        })}
      </ScrollTable>
    </figure>
  );
}

/** A flag as a badge: a warning sign and its name (a link to its explanation). */
function FlagBadge({ flag }: { flag: string }) {
  return (
    <a class="flag" href={`#flag-${flag}`} onClick={(e) => jumpTo(e, `flag-${flag}`)}>
      <span aria-hidden="true">⚠ </span>
      {flag}
    </a>
  );
}

/** In-page anchors would replace the route hash: scroll to the element instead. */
function jumpTo(event: MouseEvent, id: string): void {
  const target = document.getElementById(id);
  if (target === null) return;
  event.preventDefault();
  target.scrollIntoView({ block: "start" });
  target.focus();
}
