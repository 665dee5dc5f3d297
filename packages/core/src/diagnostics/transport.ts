/**
 * The residual transport audit (method-direct §2.10): does the judge → oracle map learned on the
 * calibration slice hold for another policy? On held-out oracle probes of that policy it estimates
 * the mean residual δ = E[Y − f(S, X)] with a cluster-robust (sandwich) Student-t interval and
 * grades it against a declared practical margin `deltaMax` (margin-based contract; method-direct
 * wins over method-ope's older PASS/WARN/FAIL rule):
 *
 * 1. no margin ⇒ `NOT_GRADED`;
 * 2. interval wholly outside ±deltaMax ⇒ `FAIL` (graded even below the cluster floor);
 * 3. fewer than `minEffectiveClusters` Kish effective clusters ⇒ `INCONCLUSIVE`;
 * 4. interval inside [−deltaMax, +deltaMax] (touching counts as inside) ⇒ `PASS`;
 * 5. otherwise (the interval crosses the margin) ⇒ `INCONCLUSIVE`.
 *
 * Several audited policies form a family: the per-audit level is Bonferroni-adjusted, α / familySize,
 * so that all the intervals hold simultaneously at 1 − α.
 *
 * Everything here is in the units of the labels passed in; the caller converts (see
 * `diagnostics/policy-transport.ts`, which audits in internal units and reports in oracle units).
 */
import type { Calibrator } from "../calibration/autocal.js";
import { CjeInputError } from "../errors/input-error.js";
import { clusterRobustVariance } from "../numeric/cluster-robust.js";
import { normalQuantile, studentTQuantile } from "../numeric/distributions.js";
import { quantileSorted } from "../numeric/quantiles.js";
import { DEFAULT_TRANSPORT_ALPHA, MIN_EFFECTIVE_PROBE_CLUSTERS } from "./gates.js";

/** Quantile bins of the residual display table. */
export const DEFAULT_TRANSPORT_BINS = 10;
/** Probes a display bin needs to count as occupied. */
export const MIN_BIN_OCCUPANCY = 3;
/** Power at which {@link TransportAudit.detectableBias80} is quoted. */
export const TRANSPORT_DETECTABLE_POWER = 0.8;

/** Outcome of a transport audit. `NOT_CHECKED` is produced only by the per-policy layer (no probe, or no calibrator). */
export type TransportStatus = "PASS" | "FAIL" | "INCONCLUSIVE" | "NOT_GRADED" | "NOT_CHECKED";

/** Machine-readable reason behind a non-PASS status. */
export type TransportReason =
  | "margin_not_declared"
  | "unacceptable_mean_residual"
  | "insufficient_effective_clusters"
  | "interval_crosses_margin"
  | "probe_not_provided"
  | "calibrator_unavailable";

/** Options of {@link transportAudit}. */
export interface TransportAuditOptions {
  /** Practical margin in label units (finite, > 0); absent or null ⇒ `NOT_GRADED`. */
  readonly deltaMax?: number | null;
  /** Independent cluster of each probe (default: every probe its own cluster). */
  readonly clusterIds?: readonly string[];
  /** Positive finite weight of each probe (default 1). */
  readonly weights?: ArrayLike<number>;
  /** Covariate columns of the probes, required when the calibrator uses covariates. */
  readonly covariates?: readonly ArrayLike<number>[];
  /** Number of audits in the family (Bonferroni; default 1). */
  readonly familySize?: number;
  /** Simultaneous error rate over the family, in (0, 0.5) (default 0.05). */
  readonly alpha?: number;
  /** Quantile bins of the display table (default 10). */
  readonly bins?: number;
  /** Kish effective clusters needed to grade PASS (finite, ≥ 2; default 20). */
  readonly minEffectiveClusters?: number;
}

/** One display bin of the residual table (probe-score quantile bins). */
export interface ResidualBin {
  /** Lower and upper score edge of the bin (the last bin includes its upper edge). */
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Weighted mean residual of the bin's probes (NaN when empty). */
  readonly meanResidual: number;
}

/** Result of {@link transportAudit} (label units). */
export interface TransportAudit {
  readonly status: Exclude<TransportStatus, "NOT_CHECKED">;
  /** `null` for PASS. */
  readonly reason: TransportReason | null;
  readonly action: string;
  /** Weighted mean residual δ̂ = Σ w (Y − f) / Σ w. */
  readonly deltaHat: number;
  /** Cluster-robust standard error of δ̂ (∞ with fewer than two clusters). */
  readonly se: number;
  /** Simultaneous interval δ̂ ± t*·SE. */
  readonly ci: readonly [number, number];
  readonly ciHalfWidth: number;
  /** Student-t degrees of freedom, max(⌊effective clusters⌋ − 1, 1). */
  readonly df: number;
  readonly nProbe: number;
  readonly nClusters: number;
  /** Kish effective number of clusters W² / Σ_g W_g². */
  readonly effectiveClusters: number;
  /** True when weights were given and are not all 1. */
  readonly weighted: boolean;
  readonly deltaMax: number | null;
  readonly alpha: number;
  readonly familySize: number;
  /** 1 − α / familySize. */
  readonly perAuditConfidence: number;
  /** 1 − α. */
  readonly simultaneousConfidence: number;
  readonly minEffectiveClusters: number;
  /** Smallest margin this interval would PASS: max(|lo|, |hi|). */
  readonly minMarginForPass: number;
  /** Residual bias detectable with 80% power: (t* + z(0.80))·SE. */
  readonly detectableBias80: number;
  readonly bins: readonly ResidualBin[];
  /** Share of display bins holding at least {@link MIN_BIN_OCCUPANCY} probes. */
  readonly binOccupancy: number;
}

/** Recommended action for each status/reason (method-direct §2.10, §3). */
export const TRANSPORT_ACTIONS: Readonly<Record<TransportReason | "pass", string>> = {
  pass: "the mean residual is established within the declared margin",
  margin_not_declared: "declare a practical residual margin (delta_max) before using this audit as a gate",
  unacceptable_mean_residual: "do not reuse this calibration for this policy; collect its oracle labels and refit",
  insufficient_effective_clusters: "collect more independent oracle-probe clusters",
  interval_crosses_margin: "collect more independent oracle-probe clusters to resolve the margin",
  probe_not_provided: "supply independent oracle probes to grade residual transport",
  calibrator_unavailable: "no calibrator was fitted, so there is no calibration to audit",
};

/**
 * Grades an interval against a margin, in the order of the contract (see the module comment).
 * `deltaMax` null ⇒ NOT_GRADED; an interval wholly outside the margin FAILs whatever the cluster
 * count; a bound exactly on the margin counts as inside.
 */
export function classifyTransport(
  ci: readonly [number, number],
  deltaMax: number | null,
  effectiveClusters: number,
  minEffectiveClusters: number = MIN_EFFECTIVE_PROBE_CLUSTERS,
): { status: TransportAudit["status"]; reason: TransportReason | null } {
  const [lo, hi] = ci;
  if (deltaMax === null) return { status: "NOT_GRADED", reason: "margin_not_declared" };
  if (lo > deltaMax || hi < -deltaMax) return { status: "FAIL", reason: "unacceptable_mean_residual" };
  if (effectiveClusters < minEffectiveClusters) return { status: "INCONCLUSIVE", reason: "insufficient_effective_clusters" };
  if (lo >= -deltaMax && hi <= deltaMax) return { status: "PASS", reason: null };
  return { status: "INCONCLUSIVE", reason: "interval_crosses_margin" };
}

/**
 * Audits residual transport of `calibrator` on held-out probes: judge scores `scores` (the units
 * the calibrator was fitted in) and oracle labels `labels`. Probes must not have been used to fit
 * the calibrator. Bad options or inputs raise a `CjeInputError`.
 */
export function transportAudit(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  calibrator: Pick<Calibrator, "predictScores">,
  options: TransportAuditOptions = {},
): TransportAudit {
  const n = scores.length;
  const settings = resolveTransportSettings(options);
  const deltaMax = checkDeltaMax(options.deltaMax);
  if (n === 0) throw new CjeInputError("transport audit: no probes (an audit needs held-out oracle-labelled probes)");
  if (labels.length !== n) throw new CjeInputError(`transport audit: ${labels.length} labels for ${n} probe scores`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) throw new CjeInputError(`transport audit: probe ${i} has a non-finite judge score`, { value: scores[i] });
    if (!Number.isFinite(labels[i])) {
      throw new CjeInputError(`transport audit: probe ${i} has a non-finite oracle label; every probe needs one`, { value: labels[i] });
    }
  }
  const clusterIds = options.clusterIds ?? Array.from({ length: n }, (_, i) => `probe_${i}`);
  if (clusterIds.length !== n) throw new CjeInputError(`transport audit: ${clusterIds.length} cluster ids for ${n} probes`);
  const weights = probeWeights(options.weights, n);
  const predicted = calibrator.predictScores(scores, options.covariates);
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    residuals[i] = labels[i] - predicted[i];
    if (!Number.isFinite(residuals[i])) throw new Error(`transport audit: calibrator prediction for probe ${i} is not finite`);
  }

  let W = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    W += weights[i];
    sum += weights[i] * residuals[i];
  }
  const deltaHat = sum / W;
  const { codes, nClusters } = clusterCodes(clusterIds);
  const clusterWeight = new Float64Array(nClusters);
  for (let i = 0; i < n; i++) clusterWeight[codes[i]] += weights[i];
  let sumSq = 0;
  for (let g = 0; g < nClusters; g++) sumSq += clusterWeight[g] ** 2;
  const effectiveClusters = snapToInteger((W * W) / sumSq);

  // CRV1 of the weighted mean through the one cluster-robust implementation: with
  // u_i = n·w_i·(e_i − δ̂)/W the CRV1 variance of mean(u) is G/(G−1)·Σ_g(Σ_{i∈g} w_i(e_i − δ̂))²/W².
  const influence = new Float64Array(n);
  for (let i = 0; i < n; i++) influence[i] = (n * weights[i] * (residuals[i] - deltaHat)) / W;
  const crv = clusterRobustVariance(influence, codes, nClusters);
  const se = nClusters < 2 ? Infinity : Math.sqrt(crv.variance);

  const df = Math.max(Math.floor(effectiveClusters) - 1, 1);
  const perAuditAlpha = settings.alpha / settings.familySize;
  const tCritical = studentTQuantile(1 - perAuditAlpha / 2, df);
  const ciHalfWidth = tCritical * se;
  const ci: readonly [number, number] = [deltaHat - ciHalfWidth, deltaHat + ciHalfWidth];
  const { status, reason } = classifyTransport(ci, deltaMax, effectiveClusters, settings.minEffectiveClusters);
  const bins = residualBins(scores, residuals, weights, settings.bins);
  return {
    status,
    reason,
    action: TRANSPORT_ACTIONS[reason ?? "pass"],
    deltaHat,
    se,
    ci,
    ciHalfWidth,
    df,
    nProbe: n,
    nClusters,
    effectiveClusters,
    weighted: options.weights !== undefined && weights.some((w) => w !== 1),
    deltaMax,
    alpha: settings.alpha,
    familySize: settings.familySize,
    perAuditConfidence: 1 - perAuditAlpha,
    simultaneousConfidence: 1 - settings.alpha,
    minEffectiveClusters: settings.minEffectiveClusters,
    minMarginForPass: Math.max(Math.abs(ci[0]), Math.abs(ci[1])),
    detectableBias80: (tCritical + normalQuantile(TRANSPORT_DETECTABLE_POWER)) * se,
    bins,
    binOccupancy: bins.filter((b) => b.count >= MIN_BIN_OCCUPANCY).length / bins.length,
  };
}

/** Validated family-level settings of an audit (everything but the margin and the probes). */
export interface TransportSettings {
  readonly familySize: number;
  readonly alpha: number;
  readonly bins: number;
  readonly minEffectiveClusters: number;
}

/**
 * Validates and defaults the family-level options (family size, alpha, bins, minimum effective
 * clusters); bad values raise a `CjeInputError`.
 */
export function resolveTransportSettings(options: Omit<TransportAuditOptions, "deltaMax" | "clusterIds" | "weights" | "covariates">): TransportSettings {
  const familySize = options.familySize ?? 1;
  if (!Number.isInteger(familySize) || familySize < 1) {
    throw new CjeInputError("transport audit: family size must be a positive integer", { field: "familySize", value: familySize });
  }
  const alpha = options.alpha ?? DEFAULT_TRANSPORT_ALPHA;
  if (!(alpha > 0 && alpha < 0.5)) throw new CjeInputError("transport audit: alpha must lie in (0, 0.5)", { field: "alpha", value: alpha });
  const bins = options.bins ?? DEFAULT_TRANSPORT_BINS;
  if (!Number.isInteger(bins) || bins < 1) throw new CjeInputError("transport audit: bins must be a positive integer", { field: "bins", value: bins });
  const minEffectiveClusters = options.minEffectiveClusters ?? MIN_EFFECTIVE_PROBE_CLUSTERS;
  if (!(Number.isFinite(minEffectiveClusters) && minEffectiveClusters >= 2)) {
    throw new CjeInputError("transport audit: the minimum number of effective clusters must be finite and ≥ 2", {
      field: "minEffectiveClusters",
      value: minEffectiveClusters,
    });
  }
  return { familySize, alpha, bins, minEffectiveClusters };
}

function checkDeltaMax(deltaMax: number | null | undefined): number | null {
  if (deltaMax === undefined || deltaMax === null) return null;
  if (!(typeof deltaMax === "number" && Number.isFinite(deltaMax) && deltaMax > 0)) {
    throw new CjeInputError("transport audit: delta_max must be a finite number > 0 (a practical margin in label units)", {
      field: "deltaMax",
      value: deltaMax,
    });
  }
  return deltaMax;
}

function probeWeights(given: ArrayLike<number> | undefined, n: number): Float64Array {
  if (given === undefined) return new Float64Array(n).fill(1);
  if (given.length !== n) throw new CjeInputError(`transport audit: ${given.length} weights for ${n} probes`);
  const out = Float64Array.from(given);
  out.forEach((w, i) => {
    if (!(Number.isFinite(w) && w > 0)) throw new CjeInputError(`transport audit: probe ${i} weight must be finite and > 0`, { value: w });
  });
  return out;
}

function clusterCodes(ids: readonly string[]): { codes: Int32Array; nClusters: number } {
  const code = new Map<string, number>();
  const codes = new Int32Array(ids.length);
  ids.forEach((id, i) => {
    let c = code.get(id);
    if (c === undefined) {
      c = code.size;
      code.set(id, c);
    }
    codes[i] = c;
  });
  return { codes, nClusters: code.size };
}

/**
 * W²/ΣW_g² is an integer G for equal cluster weights, but rounding can land it a hair below
 * (e.g. 19.999999999999996), which would wrongly fail the ≥ 20 floor and lose a degree of freedom.
 */
function snapToInteger(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) <= 1e-9 * Math.max(1, r) ? r : x;
}

/**
 * Display bins: edges are the distinct linear quantiles of the probe scores at 0, 1/bins, …, 1
 * (fewer than two distinct ⇒ one bin [min − 1e-6, max + 1e-6]); a probe's bin is the number of
 * interior edges ≤ its score.
 */
function residualBins(scores: ArrayLike<number>, residuals: Float64Array, weights: Float64Array, bins: number): ResidualBin[] {
  const sorted = Float64Array.from(scores).sort();
  const edges: number[] = [];
  for (let k = 0; k <= bins; k++) {
    const q = quantileSorted(sorted, k / bins);
    if (edges.length === 0 || q !== edges[edges.length - 1]) edges.push(q);
  }
  if (edges.length < 2) {
    edges.length = 0;
    edges.push(sorted[0] - 1e-6, sorted[sorted.length - 1] + 1e-6);
  }
  const nBins = edges.length - 1;
  const count = new Float64Array(nBins);
  const wSum = new Float64Array(nBins);
  const rSum = new Float64Array(nBins);
  for (let i = 0; i < scores.length; i++) {
    let b = 0;
    while (b < nBins - 1 && edges[b + 1] <= scores[i]) b++;
    count[b]++;
    wSum[b] += weights[i];
    rSum[b] += weights[i] * residuals[i];
  }
  return Array.from({ length: nBins }, (_, b) => ({
    lower: edges[b],
    upper: edges[b + 1],
    count: count[b],
    meanResidual: count[b] === 0 ? Number.NaN : rSum[b] / wSum[b],
  }));
}
