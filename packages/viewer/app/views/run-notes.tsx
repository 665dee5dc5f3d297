/** What the page should say about a run before its numbers: the run's notes and the analysis' warnings and dropped rows. */
import type { ViewRun } from "../../src/view-model.js";
import { count } from "../format.js";

/** The notes, warnings and drop count of `run` (nothing when there are none). */
export function RunNotes({ run }: { run: ViewRun }) {
  const warnings = run.result?.diagnostics.warnings ?? [];
  const dropped = run.result?.diagnostics.dropped.total ?? 0;
  if (run.notes.length === 0 && warnings.length === 0 && dropped === 0) return null;
  return (
    <aside class="notes" aria-label="Notes">
      <ul>
        {run.notes.map((n) => (
          <li key={n}>
            <strong>Note:</strong> {n}
          </li>
        ))}
        {warnings.map((w) => (
          <li key={w}>
            <strong>Warning:</strong> {w}
          </li>
        ))}
        {dropped > 0 && (
          <li>
            <strong>Dropped:</strong> {count(dropped)} invalid rows were left out of the analysis.
          </li>
        )}
      </ul>
    </aside>
  );
}
