/**
 * The calibration behind a run: the labelled points (judge score, oracle label) as hollow circles and the fitted
 * curve as a solid line, on the result's judge and oracle scales. SVG in a fixed view box that scales with its width.
 */
import type { Scale } from "@cjeval/core";
import type { ViewCalibration } from "../../src/view-model.js";
import { tickDecimals, ticks } from "./axis.js";
import { LegendItem } from "./interval-plot.js";
import { num, onScale } from "../format.js";
import { Table } from "../table.js";

const W = 640;
const H = 380;
const M = { left: 52, right: 16, top: 14, bottom: 46 };
/** Labelled points drawn at most (every k-th beyond it; the count is said). */
const MAX_POINTS = 5000;

/** The calibration chart of `calibration` on `judge` × `oracle` scales. */
export function CalibrationChart({ calibration, judge, oracle }: { calibration: ViewCalibration; judge: Scale; oracle: Scale | null }) {
  const x = (u: number): number => M.left + u * (W - M.left - M.right);
  const y = (u: number): number => H - M.bottom - u * (H - M.top - M.bottom);
  const n = calibration.labelled.score.length;
  const stride = Math.max(1, Math.ceil(n / MAX_POINTS));
  const points: string[] = [];
  for (let i = 0; i < n; i += stride) points.push(`M${x(calibration.labelled.score[i]).toFixed(1)} ${y(calibration.labelled.oracle[i]).toFixed(1)}h0`);
  const curve = calibration.curve.map((p) => `${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(" ");
  const xTicks = ticks(judge.min, judge.max, 5);
  const yTicks = oracle === null ? [] : ticks(oracle.min, oracle.max, 5);
  const xInternal = (v: number): number => (v - judge.min) / (judge.max - judge.min);
  const yInternal = (v: number): number => (oracle === null ? v : (v - oracle.min) / (oracle.max - oracle.min));
  const first = calibration.curve[0];
  const last = calibration.curve[calibration.curve.length - 1];
  const summary =
    first === undefined
      ? "No calibration curve."
      : `Calibration curve (${calibration.mode}) from judge score ${num(onScale(first.x, judge), 2)} → ${num(onScale(first.y, oracle), 2)} to ${num(onScale(last.x, judge), 2)} → ${num(onScale(last.y, oracle), 2)}, over ${n} labelled points.`;
  return (
    <figure class="chart calibration-chart">
      <figcaption>
        <LegendItem kind="estimate">fitted curve ({calibration.mode})</LegendItem>{" "}
        <span class="legend-item">
          <svg width={14} height={12} aria-hidden="true">
            <circle class="point" cx={7} cy={6} r={4} />
          </svg>
          labelled point{stride > 1 ? ` (every ${stride}th of ${n})` : ` (${n})`}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={summary}>
        <rect class="plot-area" x={M.left} y={M.top} width={W - M.left - M.right} height={H - M.top - M.bottom} />
        {xTicks.map((v) => (
          <g key={`x${v}`} class="tick">
            <line x1={x(xInternal(v))} x2={x(xInternal(v))} y1={H - M.bottom} y2={H - M.bottom + 5} />
            <text x={x(xInternal(v))} y={H - M.bottom + 18} text-anchor="middle">
              {num(v, tickDecimals(xTicks))}
            </text>
          </g>
        ))}
        {yTicks.map((v) => (
          <g key={`y${v}`} class="tick">
            <line x1={M.left - 5} x2={M.left} y1={y(yInternal(v))} y2={y(yInternal(v))} />
            <text x={M.left - 8} y={y(yInternal(v)) + 4} text-anchor="end">
              {num(v, tickDecimals(yTicks))}
            </text>
          </g>
        ))}
        <text class="axis-title" x={(M.left + W - M.right) / 2} y={H - 6} text-anchor="middle">
          judge score
        </text>
        <text class="axis-title" transform={`translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)`} text-anchor="middle">
          oracle label
        </text>
        <path class="points" d={points.join("")} />
        <polyline class="curve" points={curve} />
      </svg>
      <details>
        <summary>The curve as a table</summary>
        <Table className="compact" head={["judge score", "calibrated value"]}>
          {calibration.curve
            .filter((_, i) => i % 10 === 0 || i === calibration.curve.length - 1)
            .map((p) => (
              <tr key={p.x}>
                <td class="num">{num(onScale(p.x, judge), 3)}</td>
                <td class="num">{num(onScale(p.y, oracle), 3)}</td>
              </tr>
            ))}
        </Table>
      </details>
    </figure>
  );
}
