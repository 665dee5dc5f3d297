/** The transport audits of a result (`diagnostics.policies[p].transport`): does the calibration carry over to each policy's held-out probes? */
import type { AnalysisResult } from "@cjeval/core";
import { interval, num } from "../format.js";
import { ScrollTable } from "../table.js";

const STATUS_SIGN: Readonly<Record<string, string>> = { PASS: "✓", FAIL: "✗", INCONCLUSIVE: "?", NOT_GRADED: "–", NOT_CHECKED: "–" };

/** One row per policy with an audit record; a sentence when there is none. */
export function TransportTable({ result }: { result: AnalysisResult }) {
  const audits = result.policies.flatMap((p) => {
    const t = result.diagnostics.policies[p.policy]?.transport;
    return t === undefined ? [] : [{ policy: p.policy, t }];
  });
  if (audits.length === 0) {
    return (
      <p>
        No transport audits in this run: give held-out probes of a policy (`cje analyze --probe policy=file --delta-max 0.05`) to check that the calibration
        carries over to it.
      </p>
    );
  }
  return (
    <ScrollTable className="transport" label="Transport audits" head={["Policy", "Status", "Mean residual δ̂ [CI]", "Margin", "Probes", "Next step"]}>
      {audits.map(({ policy, t }) => (
        <tr key={policy} data-policy={policy}>
          <th scope="row">{policy}</th>
          <td class={`status status-${t.status}`}>
            <span aria-hidden="true">{STATUS_SIGN[t.status]} </span>
            {t.status}
            {t.reason_code !== null && <span class="reason-code"> ({t.reason_code.replaceAll("_", " ")})</span>}
          </td>
          <td class="num">{t.performed ? `${num(t.delta_hat, 3)} ${interval(t.delta_ci, 3)}` : "–"}</td>
          <td class="num">{t.delta_max === null ? "none" : `±${num(t.delta_max, 3)}`}</td>
          <td class="num">{t.n_probe}</td>
          <td>{t.recommended_action}</td>
        </tr>
      ))}
    </ScrollTable>
  );
}
