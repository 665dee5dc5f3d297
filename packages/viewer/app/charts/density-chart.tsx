/**
 * Label density along the judge-score axis: how many rows (all, or one policy's) and how many labelled rows fall
 * in each score bin, as two aligned bar charts with their own heights — labels are few, so a shared axis would
 * hide them. A bin holding rows but fewer labels than LOW-LABEL-SUPPORT asks for is marked "!" (and "sparse" in
 * the table): that is where the calibration rests on too few labels.
 */
import type { Scale } from "@cjeval/core";
import { num, onScale } from "../format.js";
import { Table } from "../table.js";

/** What the chart shows. */
export interface DensityBins {
  /** Bin edges in internal [0, 1] units (one more than the counts). */
  readonly edges: readonly number[];
  readonly rows: readonly number[];
  readonly labelled: readonly number[];
}

const W = 640;
const PANEL = 110;
const M = { left: 52, right: 16, top: 18, gap: 34, bottom: 40 };

/** The density chart; `minLabels` is the label count below which a bin with rows counts as sparse. */
export function DensityChart({ bins, judge, minLabels, rowsLabel }: { bins: DensityBins; judge: Scale; minLabels: number; rowsLabel: string }) {
  const n = bins.rows.length;
  const H = M.top + 2 * PANEL + M.gap + M.bottom;
  const width = (W - M.left - M.right) / n;
  const maxRows = Math.max(1, ...bins.rows);
  const maxLabelled = Math.max(1, ...bins.labelled);
  const sparse = bins.rows.map((r, i) => r > 0 && bins.labelled[i] < minLabels);
  const sparseRows = bins.rows.reduce((s, r, i) => s + (sparse[i] ? r : 0), 0);
  const totalRows = bins.rows.reduce((s, r) => s + r, 0);
  const panelTop = [M.top, M.top + PANEL + M.gap];
  const edgeText = (i: number): string => num(onScale(bins.edges[i], judge), 2);
  return (
    <figure class="chart density-chart">
      <figcaption>
        Judge-score bins: <strong>{rowsLabel}</strong> (top) and <strong>labelled rows</strong> (bottom, hatched). Bins marked <strong>!</strong> hold rows but
        fewer than {minLabels} labels: {Math.round((100 * sparseRows) / Math.max(1, totalRows))}% of these rows sit there.
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={`Label density: ${sparse.filter(Boolean).length} of ${n} score bins hold rows with fewer than ${minLabels} labels.`}
      >
        <defs>
          <pattern id="hatch" width={6} height={6} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect class="hatch-bg" width={6} height={6} />
            <line class="hatch-line" x1={0} y1={0} x2={0} y2={6} />
          </pattern>
        </defs>
        {[
          { counts: bins.rows, max: maxRows, top: panelTop[0], label: rowsLabel, cls: "bar-rows" },
          { counts: bins.labelled, max: maxLabelled, top: panelTop[1], label: "labelled", cls: "bar-labelled" },
        ].map((panel) => (
          <g key={panel.cls}>
            <text class="panel-title" x={M.left} y={panel.top - 5}>
              {panel.label} (max {panel.max})
            </text>
            <line class="axis-line" x1={M.left} x2={W - M.right} y1={panel.top + PANEL} y2={panel.top + PANEL} />
            {panel.counts.map((c, i) => {
              const h = (c / panel.max) * PANEL;
              return (
                <rect key={bins.edges[i]} class={`bar ${panel.cls}`} x={M.left + i * width + 1} y={panel.top + PANEL - h} width={width - 2} height={h}>
                  <title>
                    {edgeText(i)}–{edgeText(i + 1)}: {c}
                  </title>
                </rect>
              );
            })}
          </g>
        ))}
        {sparse.map((s, i) =>
          s ? (
            <text key={bins.edges[i]} class="sparse-mark" x={M.left + (i + 0.5) * width} y={panelTop[1] + PANEL - 4} text-anchor="middle">
              !
            </text>
          ) : null,
        )}
        {[0, Math.round(n / 2), n].map((i) => (
          <text key={i} class="tick" x={M.left + i * width} y={H - M.bottom + 16} text-anchor="middle">
            {edgeText(i)}
          </text>
        ))}
        <text class="axis-title" x={(M.left + W - M.right) / 2} y={H - 6} text-anchor="middle">
          judge score
        </text>
      </svg>
      <details>
        <summary>The bins as a table</summary>
        <Table className="compact density-table" head={["judge score", rowsLabel, "labelled", "support"]}>
          {bins.rows.map((r, i) => (
            <tr key={bins.edges[i]}>
              <td>
                {edgeText(i)}–{edgeText(i + 1)}
              </td>
              <td class="num">{r}</td>
              <td class="num">{bins.labelled[i]}</td>
              <td>{sparse[i] ? "! sparse" : r > 0 ? "ok" : "–"}</td>
            </tr>
          ))}
        </Table>
      </details>
    </figure>
  );
}
