/**
 * `cje audit` in one call: fit the analysis' calibrator on the labelled data (analytic inference —
 * the audit needs the calibrator, not bootstrap intervals), audit every probed policy, and report
 * the per-policy records with the family settings and the worst state.
 */
import { analyze, type AnalyzeOptions } from "./analyze.js";
import type { AuditReport, TransportRecord } from "../diagnostics/trust-schemas.js";
import type { EvaluationData } from "../data/evaluation-data.js";
import { planTransportAudits, worstTransportStatus, type TransportConfig } from "../diagnostics/policy-transport.js";
import { dict } from "../data/dictionary.js";

/** Runs the transport audits of `config` against the calibrator fitted on `data`. */
export function auditTransport(
  data: EvaluationData,
  config: TransportConfig,
  options: Pick<AnalyzeOptions, "covariates" | "calibrationMode"> = {},
): AuditReport {
  const { settings } = planTransportAudits(data.policies, config, data, options.covariates);
  const result = analyze(data, { ...options, inference: "analytic", transport: config });
  const policies: Record<string, TransportRecord> = dict();
  for (const [policy, diagnostics] of Object.entries(result.diagnostics.policies)) {
    if (diagnostics.transport !== undefined) policies[policy] = diagnostics.transport;
  }
  const calibration = result.diagnostics.calibration;
  return {
    schema_version: "cje-ts.audit/v1",
    overall_status: worstTransportStatus(Object.values(policies)),
    alpha: settings.alpha,
    family_size: settings.familySize,
    min_effective_clusters: settings.minEffectiveClusters,
    scales: result.diagnostics.scales,
    calibration:
      calibration === null
        ? null
        : { selected_mode: calibration.selected_mode, n_oracle: calibration.n_oracle, n_labelled_clusters: calibration.n_labelled_clusters },
    policies,
    warnings: result.diagnostics.warnings,
  };
}
