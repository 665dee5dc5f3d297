/** Results: the best policy, the forest plot, the comparisons matrix and every flag explained. */
import type { ViewRun } from "../../src/view-model.js";
import { scaleText } from "../format.js";
import { BestPolicy } from "./best-policy.js";
import { ComparisonsMatrix } from "./comparisons-matrix.js";
import { DownloadJson } from "./download-json.js";
import { FlagsExplained } from "./flags-explained.js";
import { ForestPlot } from "./forest-plot.js";
import { RunNotes } from "./run-notes.js";

/** The Results view of `run`. */
export function ResultsView({ run }: { run: ViewRun }) {
  const result = run.result;
  if (result === null) {
    return (
      <>
        <RunNotes run={run} />
        <p>This run has no analysis yet{run.campaign !== null ? " (the campaign has not reached its estimate stage)" : ""}.</p>
      </>
    );
  }
  const { judge, oracle } = result.diagnostics.scales;
  const inference = result.diagnostics.inference;
  return (
    <>
      <p class="run-meta">
        {result.estimator} estimator · {inference.method} inference{inference.replicates !== undefined && ` (B = ${inference.replicates})`} · judge scale{" "}
        {scaleText(judge)} · oracle scale {oracle === null ? "none (uncalibrated)" : scaleText(oracle)}{" "}
        <DownloadJson value={result} fileName={`${run.id}.result.json`}>
          Save result JSON
        </DownloadJson>
      </p>
      <RunNotes run={run} />
      <BestPolicy result={result} />
      <section aria-labelledby="forest-title">
        <h3 id="forest-title">Estimates</h3>
        <ForestPlot result={result} />
      </section>
      <section aria-labelledby="comparisons-title">
        <h3 id="comparisons-title">Comparisons</h3>
        <ComparisonsMatrix result={result} />
      </section>
      <section aria-labelledby="flags-title">
        <h3 id="flags-title">Flags</h3>
        <FlagsExplained result={result} />
      </section>
    </>
  );
}
