/** Every flag of a result explained: what it means (core's FLAG_REASONS), what to do next (FLAG_NEXT_STEPS) and which policies carry it, with the numbers behind it. */
import { type AnalysisResult, FLAG_NEXT_STEPS, FLAG_REASONS, type PolicyFlag } from "@cjeval/core";
import { num, percent } from "../format.js";

/** Why `policy` carries `flag`, in numbers, when the diagnostics hold them. */
function evidence(result: AnalysisResult, policy: string, flag: PolicyFlag): string | null {
  const d = result.diagnostics.policies[policy];
  if (d === undefined) return null;
  if (flag === "LOW-LABEL-SUPPORT" && d.label_support !== null) {
    const s = d.label_support;
    return `${percent(s.sparse_mass, 1)} of its judge scores have fewer than ${s.min_local_labels} labels within ±${percent(s.window, 1)} of the score range (threshold ${percent(s.threshold, 1)})`;
  }
  if (flag === "REFUSE-LEVEL" && d.range_support !== null) {
    const r = d.range_support;
    return `${percent(r.out_of_range, 1)} of its judge scores lie outside the labelled range [${num(r.labelled_range[0], 3)}, ${num(r.labelled_range[1], 3)}]`;
  }
  if (flag === "TRANSPORT-FAIL" && d.transport !== undefined && d.transport.performed) {
    return `mean residual on held-out probes ${num(d.transport.delta_hat, 3)} (margin ±${num(d.transport.delta_max, 3)})`;
  }
  return null;
}

/** One section per flag present in `result`, each with an id (`flag-<FLAG>`) the flag badges link to. */
export function FlagsExplained({ result }: { result: AnalysisResult }) {
  const flags = [...new Set(result.policies.flatMap((p) => p.flags))];
  if (flags.length === 0) return <p class="ok">No policy carries a reliability flag.</p>;
  return (
    <div class="flag-list">
      {flags.map((flag) => (
        <section key={flag} id={`flag-${flag}`} class="flag-explained" tabIndex={-1} aria-labelledby={`flag-title-${flag}`}>
          <h4 id={`flag-title-${flag}`}>
            <span aria-hidden="true">⚠ </span>
            {flag}
          </h4>
          <p class="reason">
            <strong>What it means:</strong> {FLAG_REASONS[flag]}.
          </p>
          <p class="next-step">
            <strong>What to do next:</strong> {FLAG_NEXT_STEPS[flag]}.
          </p>
          <ul class="carriers">
            {result.policies
              .filter((p) => p.flags.includes(flag))
              .map((p) => {
                const why = evidence(result, p.policy, flag);
                return (
                  <li key={p.policy}>
                    <strong>{p.policy}</strong>
                    {why !== null && `: ${why}`}
                  </li>
                );
              })}
          </ul>
        </section>
      ))}
    </div>
  );
}
