import { FLAG_REASONS, type AnalysisResult, type PolicyFlag } from "@cjeval/core";
import { transportFailReason } from "@cjeval/core/advanced";
import { formatFlagLegend } from "./flag-legend.js";
import { fmt, fmtInterval, renderTable } from "./table.js";

/** Human-readable summary of an analysis: per-policy table, best policy, what each flag means and what to do about it, comparisons. */
export function formatAnalysis(result: AnalysisResult): string {
  const audited = result.policies.some((p) => result.diagnostics.policies[p.policy]?.transport !== undefined);
  const rows = result.policies.map((p) => [
    p.policy,
    fmt(p.estimate),
    fmtInterval(p.ci),
    String(p.n),
    String(p.n_oracle),
    ...(audited ? [transportCell(result, p.policy)] : []),
    p.flags.join(",") || "-",
  ]);
  let out = renderTable(["policy", "estimate", "95% CI", "n", "labels", ...(audited ? ["transport"] : []), "flags"], rows);
  const inference = result.diagnostics.inference;
  const cal = result.diagnostics.calibration;
  out += `\ninference: ${inference.method}${inference.replicates !== undefined ? ` (B=${inference.replicates}, seed ${inference.seed})` : ""}`;
  out += cal === null ? "; no calibrator (raw judge means)\n" : `; calibrator: ${cal.selected_mode}, ${cal.n_oracle} labels, ${cal.n_folds} folds\n`;
  const verdict = result.best_policy;
  if (verdict !== null) {
    if (verdict.best === null) {
      out += `No best policy: ${verdict.reason ?? "every policy is flagged."} (raw argmax: ${verdict.raw_best})\n`;
    } else if (verdict.demoted) {
      const reasons = verdict.raw_best_flags.map((f) => flagReason(result, verdict.raw_best, f)).join("; ");
      out += `Best reliable policy: ${verdict.best} (raw argmax ${verdict.raw_best} was flagged: ${reasons})\n`;
    } else if (verdict.all_flagged) {
      out += `Best policy: ${verdict.best} (every policy is flagged: treat the ranking with care)\n`;
    } else {
      out += `Best policy: ${verdict.best}\n`;
    }
  }
  out += formatFlagLegend(result);
  if (result.comparisons.length > 0) {
    out += "\nPaired comparisons (a − b on shared prompts):\n";
    out += renderTable(
      ["a", "b", "difference", "95% CI", "p"],
      result.comparisons.map((c) => [c.policy_a, c.policy_b, fmt(c.difference), fmtInterval(c.ci), fmt(c.p_value, 4)]),
    );
  }
  return out;
}

/** A policy's transport-audit state: `PASS δ=+0.004`, `NOT_CHECKED`, or `-` without a record. */
function transportCell(result: AnalysisResult, policy: string): string {
  const record = result.diagnostics.policies[policy]?.transport;
  if (record === undefined) return "-";
  return record.performed ? `${record.status} δ=${record.delta_hat >= 0 ? "+" : ""}${fmt(record.delta_hat)}` : record.status;
}

/** Why a flag was raised; a transport FAIL quotes its interval and margin. */
function flagReason(result: AnalysisResult, policy: string, flag: PolicyFlag): string {
  const record = result.diagnostics.policies[policy]?.transport;
  if (flag === "TRANSPORT-FAIL" && record?.performed && record.delta_max !== null && record.delta_ci[0] !== null && record.delta_ci[1] !== null) {
    return transportFailReason([record.delta_ci[0], record.delta_ci[1]], record.delta_max);
  }
  return `${flag}: ${FLAG_REASONS[flag]}`;
}
