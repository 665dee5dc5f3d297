/** Calibration: the fitted curve over the labelled points, label density along the score axis (all rows or one policy's) and the transport audits. */
import { MIN_LOCAL_LABELS } from "@cjeval/core/advanced";
import { useMemo, useState } from "preact/hooks";
import type { ViewCalibration, ViewRows, ViewRun } from "../../src/view-model.js";
import { CalibrationChart } from "../charts/calibration-chart.js";
import { type DensityBins, DensityChart } from "../charts/density-chart.js";
import { count, num } from "../format.js";
import { RunNotes } from "./run-notes.js";
import { TransportTable } from "./transport-table.js";

/** The bins of `calibration`, with the row counts of one policy (its index in `rows.policies`) when `policy` is set. */
function densityOf(calibration: ViewCalibration, rows: ViewRows | null, policy: number | null): DensityBins {
  const { edges, all, labelled } = calibration.density;
  if (policy === null || rows === null) return { edges, rows: all, labelled };
  const bins = all.length;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < rows.judge.length; i++) {
    if (rows.policy[i] !== policy) continue;
    const b = Math.floor(rows.judge[i] * bins);
    counts[b < 0 ? 0 : b >= bins ? bins - 1 : b]++;
  }
  return { edges, rows: counts, labelled };
}

/** The Calibration view of `run`. */
export function CalibrationView({ run }: { run: ViewRun }) {
  const [policy, setPolicy] = useState<number | null>(null);
  const calibration = run.calibration;
  const bins = useMemo(() => (calibration === null ? null : densityOf(calibration, run.rows, policy)), [calibration, run.rows, policy]);
  const result = run.result;
  const stats = result?.diagnostics.calibration ?? null;
  const minLabels =
    result === null
      ? MIN_LOCAL_LABELS
      : (Object.values(result.diagnostics.policies).find((d) => d.label_support !== null)?.label_support?.min_local_labels ?? MIN_LOCAL_LABELS);
  return (
    <>
      <RunNotes run={run} />
      {stats !== null && (
        <dl class="stats">
          <div>
            <dt>mode</dt>
            <dd>{stats.selected_mode}</dd>
          </div>
          <div>
            <dt>labels</dt>
            <dd>
              {count(stats.n_oracle)} in {count(stats.n_labelled_clusters)} prompts
            </dd>
          </div>
          <div>
            <dt>RMSE (out of fold)</dt>
            <dd>
              {num(stats.rmse, 3)} ({num(stats.oof_rmse, 3)})
            </dd>
          </div>
          <div>
            <dt>folds</dt>
            <dd>{stats.n_folds}</dd>
          </div>
        </dl>
      )}
      {calibration === null || result === null || bins === null ? (
        <p>This run has no calibration to show{run.notes.length > 0 ? " (see the notes above)" : ""}.</p>
      ) : (
        <>
          <section aria-labelledby="curve-title">
            <h3 id="curve-title">Calibration curve</h3>
            <CalibrationChart calibration={calibration} judge={result.diagnostics.scales.judge} oracle={result.diagnostics.scales.oracle} />
            {calibration.mode === "two_stage" && (
              <p class="note two-stage-note">
                Two-stage calibration is monotone in a learned index of the judge score (and any covariates), not in the judge score itself, so this curve may
                dip where the index bends. The automatic mode picks it only when it predicts held-out labels better than a monotone map of the score alone;
                covariates always use it.
              </p>
            )}
          </section>
          <section aria-labelledby="density-title">
            <h3 id="density-title">Label density</h3>
            {run.rows !== null && (
              <p class="controls">
                <label>
                  Rows of{" "}
                  <select
                    value={policy === null ? "" : String(policy)}
                    onChange={(e) => setPolicy(e.currentTarget.value === "" ? null : Number(e.currentTarget.value))}
                  >
                    <option value="">all policies</option>
                    {run.rows.policies.map((p, i) => (
                      <option key={p} value={String(i)}>
                        {p}
                      </option>
                    ))}
                  </select>
                </label>
              </p>
            )}
            <DensityChart
              bins={bins}
              judge={result.diagnostics.scales.judge}
              minLabels={minLabels}
              rowsLabel={policy === null || run.rows === null ? "all rows" : `${run.rows.policies[policy]} rows`}
            />
          </section>
        </>
      )}
      {result !== null && (
        <section aria-labelledby="transport-title">
          <h3 id="transport-title">Transport audits</h3>
          <TransportTable result={result} />
        </section>
      )}
    </>
  );
}
