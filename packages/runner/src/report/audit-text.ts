/**
 * The report's words for the per-policy audits: range support (saying which of its two rules set the
 * status), label support, and the residual transport audit (state, δ̂ with its interval, the margin).
 * Plain text; the caller escapes it.
 */
import type { AnalysisResult, TransportRecord } from "@cjeval/core";
import { OUT_OF_RANGE_REFUSE_THRESHOLD, SATURATION_BAND, SATURATION_CAUTION_THRESHOLD } from "@cjeval/core/advanced";
import { fmt } from "./svg.js";

type PolicyDiagnostics = AnalysisResult["diagnostics"]["policies"][string];
/** A policy's range-support card as the analysis JSON carries it. */
export type RangeSupportJson = NonNullable<PolicyDiagnostics["range_support"]>;
/** A policy's label-support result as the analysis JSON carries it. */
export type LabelSupportJson = NonNullable<PolicyDiagnostics["label_support"]>;

/** A share as a percentage with `digits` decimals. */
export function percent(share: number, digits = 1): string {
  return `${fmt(100 * share, digits)}%`;
}

/** A signed number (`+0.004`, `-0.331`). */
export function signed(value: number | null | undefined, digits = 3): string {
  return value !== null && value !== undefined && value > 0 ? `+${fmt(value, digits)}` : fmt(value, digits);
}

/**
 * Range support with the reason that set its status: REFUSE-LEVEL from the share of judge scores outside the
 * labelled range, CAUTION from saturation (calibrated values piling up at the reward bounds), OK with both.
 */
export function rangeSupportText(range: RangeSupportJson): string {
  const outside = `${percent(range.out_of_range)} of judge scores outside the labelled range`;
  const saturated = `${percent(range.saturation)} of calibrated values within ${percent(SATURATION_BAND, 0)} of the reward bounds`;
  switch (range.status) {
    case "REFUSE-LEVEL":
      return `REFUSE-LEVEL (${outside}; refused from ${percent(OUT_OF_RANGE_REFUSE_THRESHOLD, 0)})`;
    case "CAUTION":
      return `CAUTION (saturation: ${saturated}; caution from ${percent(SATURATION_CAUTION_THRESHOLD, 0)})`;
    default:
      return `OK (${percent(range.out_of_range)} outside the labelled range, ${percent(range.saturation)} saturated)`;
  }
}

/** Label-density support. */
export function labelSupportText(label: LabelSupportJson): string {
  return `${label.flagged ? "FLAGGED" : "OK"} (${percent(label.sparse_mass)} of scores where labels are sparse)`;
}

/** Why an audit was not performed. */
function notCheckedReason(record: Extract<TransportRecord, { performed: false }>): string {
  return record.reason_code === "probe_not_provided" ? "no probes" : "no calibrator";
}

/** The margin of an audit: `±0.050`, or `no margin`. */
function marginText(deltaMax: number | null): string {
  return deltaMax === null ? "no margin" : `margin ±${fmt(deltaMax)}`;
}

/** The short audit state next to a policy's flags: `FAIL: δ̂ -0.310 [-0.380, -0.240], margin ±0.050`. */
export function transportSummary(record: TransportRecord | undefined): string {
  if (record === undefined) return "not audited";
  if (!record.performed) return `${record.status} (${notCheckedReason(record)})`;
  const [lo, hi] = record.delta_ci;
  return `${record.status}: δ̂ ${signed(record.delta_hat)} [${signed(lo)}, ${signed(hi)}], ${marginText(record.delta_max)}`;
}

/** The audit in full: state, residual and interval, margin, probes and clusters, and what to do about it. */
export function transportDetail(record: TransportRecord | undefined): string {
  if (record === undefined) return "not audited";
  if (!record.performed) return `${record.status} (${notCheckedReason(record)}): ${record.recommended_action}`;
  const [lo, hi] = record.delta_ci;
  const confidence = percent(record.simultaneous_confidence_level, 0);
  const parts = [
    `${record.status}: mean residual δ̂ ${signed(record.delta_hat)}, ${confidence} simultaneous interval [${signed(lo)}, ${signed(hi)}] (family of ${record.family_size})`,
    marginText(record.delta_max),
    `${record.n_probe} probes in ${record.n_clusters} prompts (${fmt(record.effective_clusters, 1)} effective; ${fmt(record.min_effective_clusters, 0)} needed to pass)`,
  ];
  if (record.status !== "PASS") parts.push(record.recommended_action);
  return parts.join("; ");
}

/** CSS class of an audit state (`audit pass`, `audit fail`, …). */
export function transportClass(record: TransportRecord | undefined): string {
  return `audit ${(record?.status ?? "NOT_CHECKED").toLowerCase().replace("_", "-")}`;
}
