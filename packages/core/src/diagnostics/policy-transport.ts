/**
 * Per-policy transport audits inside an analysis (method-direct §2.10, high-level path): every
 * policy gets a record — `NOT_CHECKED` without probes or without a calibrator, otherwise the audit
 * of the analysis' fitted calibrator on that policy's held-out probes. Audits run in internal
 * units; margins are declared, and records reported, in oracle units (scaled by the oracle span).
 */
import { fileKey } from "../data/file-key.js";
import type { Calibrator } from "../calibration/autocal.js";
import type { TransportRecord } from "./trust-schemas.js";
import { covariateColumns } from "../data/covariates.js";
import { CjeInputError } from "../errors/input-error.js";
import type { EvaluationData } from "../data/evaluation-data.js";
import { fromInternal, scaleSpan } from "../data/scales.js";
import type { FreshDraw, RowSource, Scale } from "../data/types.js";
import type { DirectRoute } from "../direct/direct-point.js";
import { transportFailReason } from "./gates.js";
import { resolveTransportSettings, TRANSPORT_ACTIONS, transportAudit, type TransportAudit, type TransportSettings, type TransportStatus } from "./transport.js";
import type { TransportProbes } from "./transport-probes.js";
import { dict, dictCopy, own } from "../data/dictionary.js";

/** Probe field holding an optional positive weight per probe row. */
export const PROBE_WEIGHT_FIELD = "sample_weight";

/** Transport-audit configuration of an analysis (`AnalyzeOptions.transport`). */
export interface TransportConfig {
  /** Held-out probes per policy (see `loadTransportProbes` / `transportProbesFromRecords`). */
  readonly probes: TransportProbes;
  /** Margin in oracle units for every policy without its own (absent ⇒ NOT_GRADED audits). */
  readonly deltaMax?: number;
  /** Per-policy margins in oracle units. */
  readonly deltaMaxByPolicy?: Readonly<Record<string, number>>;
  /** Audits in the Bonferroni family (default and minimum: the number of probed policies). */
  readonly familySize?: number;
  /** Simultaneous error rate (default 0.05). */
  readonly alpha?: number;
  /** Display bins (default 10). */
  readonly bins?: number;
  /** Kish effective clusters needed to PASS (default 20). */
  readonly minEffectiveClusters?: number;
}

/** Probe inputs of one audited policy, prepared before estimation. */
interface PreparedProbes {
  readonly scores: Float64Array;
  readonly labels: Float64Array;
  readonly clusterIds: string[];
  readonly weights: Float64Array | undefined;
  readonly covariates: Float64Array[] | undefined;
}

/**
 * A validated transport configuration (see {@link planTransportAudits}): margins resolved, probes
 * checked for hold-out, weights and covariates read — everything that can fail before the
 * (possibly long) estimation runs.
 */
export interface TransportPlan {
  readonly prepared: Readonly<Record<string, PreparedProbes>>;
  /** Margin of every policy, in oracle units (`null`: none declared). */
  readonly margins: Readonly<Record<string, number | null>>;
  readonly settings: TransportSettings;
  readonly covariates: readonly string[];
  /** Oracle-scale span (1 without an oracle scale): internal → oracle units. */
  readonly span: number;
  readonly judgeScale: Scale;
}

/** Result of {@link runTransportAudits}. */
export interface PolicyTransport {
  readonly records: Readonly<Record<string, TransportRecord>>;
  /** Gate reason for each policy whose audit FAILed and whose estimate uses the calibrator. */
  readonly failures: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
}

/** Severity order of the overall transport status (worst first). */
export const TRANSPORT_STATUS_ORDER: readonly TransportStatus[] = ["FAIL", "INCONCLUSIVE", "NOT_GRADED", "NOT_CHECKED", "PASS"];

/** The worst status among `records` in {@link TRANSPORT_STATUS_ORDER} (`NOT_CHECKED` for none). */
export function worstTransportStatus(records: readonly Pick<TransportRecord, "status">[]): TransportStatus {
  return TRANSPORT_STATUS_ORDER.find((s) => records.some((r) => r.status === s)) ?? "NOT_CHECKED";
}

/**
 * Validates a transport configuration against the analysis' policies and data: probe policies and
 * margin policies must exist, probe sets must be non-empty and held out from the calibration fit,
 * the family size must cover every probed policy, margins must be finite and > 0. `covariates` are
 * the calibrator's covariates, read from the probes. Errors are `CjeInputError`s.
 */
export function planTransportAudits(
  policies: readonly string[],
  config: TransportConfig | undefined,
  data: EvaluationData,
  covariates: readonly string[] = [],
): TransportPlan {
  const probes = dictCopy(config?.probes);
  const known = new Set(policies);
  const unknown = [...Object.keys(probes), ...Object.keys(config?.deltaMaxByPolicy ?? {})].filter((p) => !known.has(p));
  if (unknown.length > 0) {
    throw new CjeInputError(`transport configuration names unknown policies: ${[...new Set(unknown)].join(", ")} (policies: ${[...known].join(", ")})`);
  }
  const audited = Object.keys(probes);
  for (const policy of audited) {
    if (probes[policy].length === 0) {
      throw new CjeInputError(`transport probes for policy '${policy}' are empty; omit the policy to record NOT_CHECKED`);
    }
  }
  const familySize = config?.familySize ?? Math.max(audited.length, 1);
  if (!Number.isInteger(familySize) || familySize < Math.max(audited.length, 1)) {
    throw new CjeInputError(`transport family size must be an integer ≥ the number of probed policies (${audited.length})`, {
      field: "familySize",
      value: familySize,
    });
  }
  const settings = resolveTransportSettings({
    familySize,
    ...(config?.alpha !== undefined ? { alpha: config.alpha } : {}),
    ...(config?.bins !== undefined ? { bins: config.bins } : {}),
    ...(config?.minEffectiveClusters !== undefined ? { minEffectiveClusters: config.minEffectiveClusters } : {}),
  });
  const fitRows = audited.length > 0 ? fitRowIndex(data) : null;
  const prepared: Record<string, PreparedProbes> = dict();
  for (const policy of audited) {
    const rows = probes[policy];
    assertHeldOut(policy, rows, fitRows as FitRowIndex);
    const weights = Float64Array.from(rows, probeWeight);
    prepared[policy] = {
      scores: Float64Array.from(rows, (r) => r.judgeScore),
      labels: Float64Array.from(rows, (r) => r.oracleLabel as number),
      clusterIds: rows.map((r) => r.promptId),
      weights: weights.some((w) => w !== 1) ? weights : undefined,
      covariates: covariates.length > 0 ? covariateColumns(rows, covariates) : undefined,
    };
  }
  const oracleScale = data.oracleScale?.scale ?? null;
  return {
    prepared,
    margins: resolveMargins(policies, config),
    settings,
    covariates: [...covariates],
    span: oracleScale === null ? 1 : scaleSpan(oracleScale),
    judgeScale: data.judgeScale.scale,
  };
}

/**
 * Runs the planned audits with the analysis' fitted calibrator (`null` ⇒ probed policies are
 * NOT_CHECKED, `calibrator_unavailable`). A FAIL flags a policy only when its estimate uses the
 * calibrator (route other than `direct_oracle`).
 */
export function runTransportAudits(
  plan: TransportPlan,
  policies: readonly { readonly policy: string; readonly route: DirectRoute }[],
  calibrator: Pick<Calibrator, "predictScores"> | null,
): PolicyTransport {
  const records: Record<string, TransportRecord> = dict();
  const failures: Record<string, string> = dict();
  const warnings: string[] = [];
  const { span } = plan;
  for (const { policy, route } of policies) {
    const margin = own(plan.margins, policy) ?? null;
    const probes = own(plan.prepared, policy);
    if (probes === undefined || calibrator === null) {
      const reason = probes === undefined ? "probe_not_provided" : "calibrator_unavailable";
      records[policy] = {
        status: "NOT_CHECKED",
        performed: false,
        graded: false,
        reason_code: reason,
        recommended_action: TRANSPORT_ACTIONS[reason],
        group_label: `policy:${policy}`,
        delta_max: margin,
        n_probe: 0,
      };
      continue;
    }
    const audit = transportAudit(probes.scores, probes.labels, calibrator, {
      ...plan.settings,
      deltaMax: margin === null ? null : margin / span,
      clusterIds: probes.clusterIds,
      ...(probes.weights !== undefined ? { weights: probes.weights } : {}),
      ...(probes.covariates !== undefined ? { covariates: probes.covariates } : {}),
    });
    records[policy] = transportRecordJson(audit, policy, plan, route !== "direct_oracle");
    if (margin === null) {
      warnings.push(`Transport probe for policy '${policy}' has no delta_max margin: the audit is descriptive only (NOT_GRADED).`);
    }
    if (audit.status === "FAIL" && route !== "direct_oracle" && margin !== null) {
      const reason = transportFailReason([audit.ci[0] * span, audit.ci[1] * span], margin);
      failures[policy] = reason;
      warnings.push(`${reason} for policy '${policy}': ${audit.action}.`);
    }
  }
  return { records, failures, warnings };
}

function resolveMargins(policies: readonly string[], config: TransportConfig | undefined): Record<string, number | null> {
  const check = (value: number, field: string) => {
    if (!(typeof value === "number" && Number.isFinite(value) && value > 0)) {
      throw new CjeInputError("delta_max must be a finite number > 0 (a practical margin in oracle units)", { field, value });
    }
    return value;
  };
  const fallback = config?.deltaMax === undefined ? null : check(config.deltaMax, "deltaMax");
  const byPolicy = config?.deltaMaxByPolicy;
  return dict(
    policies.map((policy) => {
      const margin = own(byPolicy, policy);
      return [policy, margin === undefined ? fallback : check(margin, `deltaMaxByPolicy.${policy}`)] as const;
    }),
  );
}

function probeWeight(row: FreshDraw): number {
  const w = row.numericFields[PROBE_WEIGHT_FIELD];
  if (w === undefined) return 1;
  if (!(Number.isFinite(w) && w > 0)) {
    throw new CjeInputError("a probe weight must be finite and > 0", { file: row.source.file, line: row.source.line, field: PROBE_WEIGHT_FIELD, value: w });
  }
  return w;
}

/** Location and content keys of every row the calibrator may have been fitted on. */
interface FitRowIndex {
  readonly locations: ReadonlyMap<string, RowSource>;
  readonly contents: ReadonlyMap<string, RowSource>;
}

function fitRowIndex(data: EvaluationData): FitRowIndex {
  const locations = new Map<string, RowSource>();
  const contents = new Map<string, RowSource>();
  for (const draw of data.draws) {
    if (draw.oracleLabel === null) continue;
    locations.set(locationKey(draw.source), draw.source);
    contents.set(contentKey(draw.policy, draw), draw.source);
  }
  for (const row of data.calibration) {
    locations.set(locationKey(row.source), row.source);
    contents.set(contentKey(null, row), row.source);
  }
  return { locations, contents };
}

/**
 * Probes must be held out from the calibration fit. A probe is a fit row when it is read from the
 * same file and line as a labelled fresh draw or a calibration-file row, or when it is identical
 * to one: same prompt id, judge score, oracle label and response (and, for a labelled fresh draw,
 * the same policy). Equal values of a different response (another policy's answer, another draw)
 * are distinct observations.
 */
function assertHeldOut(policy: string, probes: readonly FreshDraw[], fit: FitRowIndex): void {
  for (const probe of probes) {
    const hit = fit.locations.get(locationKey(probe.source)) ?? fit.contents.get(contentKey(policy, probe)) ?? fit.contents.get(contentKey(null, probe));
    if (hit !== undefined) {
      throw new CjeInputError(
        `transport probe for policy '${policy}' was also used to fit the calibrator (same row as ${hit.file}:${hit.line}); probes must be held out`,
        { file: probe.source.file, line: probe.source.line },
      );
    }
  }
}

function locationKey(source: RowSource): string {
  return `${fileKey(source.file)}\u0000${source.line}`;
}

function contentKey(policy: string | null, row: { promptId: string; judgeScore: number; oracleLabel: number | null; response?: string | undefined }): string {
  return [policy ?? "", row.promptId, row.judgeScore, row.oracleLabel, row.response === undefined ? "\u0001" : row.response].join("\u0000");
}

/** The JSON record of a performed audit, residual quantities scaled to oracle units. */
function transportRecordJson(audit: TransportAudit, policy: string, plan: TransportPlan, applies: boolean): TransportRecord {
  const { span, judgeScale } = plan;
  const scaled = (x: number) => (Number.isFinite(x) ? x * span : null);
  return {
    status: audit.status,
    performed: true,
    graded: audit.status === "PASS" || audit.status === "FAIL" || audit.status === "INCONCLUSIVE",
    reason_code: audit.reason,
    recommended_action: audit.action,
    group_label: `policy:${policy}`,
    delta_max: audit.deltaMax === null ? null : audit.deltaMax * span,
    n_probe: audit.nProbe,
    applies_to_current_estimate: applies,
    delta_hat: audit.deltaHat * span,
    delta_se: scaled(audit.se),
    delta_ci: [scaled(audit.ci[0]), scaled(audit.ci[1])],
    ci_half_width: scaled(audit.ciHalfWidth),
    df: audit.df,
    n_clusters: audit.nClusters,
    effective_clusters: audit.effectiveClusters,
    min_effective_clusters: audit.minEffectiveClusters,
    weighted: audit.weighted,
    alpha: audit.alpha,
    family_size: audit.familySize,
    per_audit_confidence_level: audit.perAuditConfidence,
    simultaneous_confidence_level: audit.simultaneousConfidence,
    min_margin_for_pass: scaled(audit.minMarginForPass),
    detectable_bias_80: scaled(audit.detectableBias80),
    bins: audit.bins.map((b) => ({
      lower: fromInternal(judgeScale, b.lower),
      upper: fromInternal(judgeScale, b.upper),
      count: b.count,
      mean_residual: scaled(b.meanResidual),
    })),
    probe_bin_occupancy: audit.binOccupancy,
    covariates: [...plan.covariates],
  };
}
