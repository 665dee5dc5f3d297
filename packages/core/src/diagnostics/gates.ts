/**
 * Reliability gates: the flags a policy's estimate can carry, every threshold behind them (named
 * here or re-listed in {@link GATE_THRESHOLDS} with the module that applies it), and the gate-aware
 * choice of the best policy. Gates never remove an estimate; they qualify it, and they stop a
 * flagged policy from being announced as the winner without saying why.
 */
import { MIN_LABELLED_CLUSTERS } from "../calibration/folds.js";
import { LOCAL_WINDOW, MIN_LOCAL_LABELS, OUT_OF_RANGE_REFUSE_THRESHOLD, SPARSE_MASS_THRESHOLD } from "./score-support.js";
import { BHATTACHARYYA_GOOD, ESS_GOOD, TAIL_WARNING, TTC_GOOD } from "../off-policy/overlap-gates.js";

/** A reliability flag on a policy's estimate. */
export type PolicyFlag =
  /** ≥ 5% of the policy's judge scores lie outside the labelled score range: no level claims. */
  | "REFUSE-LEVEL"
  /** Too much of the policy's score mass sits where labels are too sparse to pin the calibration. */
  | "LOW-LABEL-SUPPORT"
  /** No calibrator could be fitted: the estimate is a raw judge-score mean. */
  | "UNCALIBRATED"
  /** The monotone calibrator collapsed to a constant although labels vary (judge may be inverted). */
  | "DEGENERATE-CALIBRATOR"
  /** Fewer than {@link MIN_CLUSTERS_FOR_FULL_FOLDS} labelled prompt clusters: calibration is provisional. */
  | "FEW-LABELLED-CLUSTERS"
  /** The policy has fewer than two prompt clusters: no standard error. */
  | "INFERENCE-UNAVAILABLE"
  /** A held-out transport audit found the calibration does not transport to this policy. */
  | "TRANSPORT-FAIL"
  /** Off-policy: the applied importance weights' ESS is below 30% of n. */
  | "LOW-ESS"
  /** Off-policy: the Hill tail index of the applied weights is below 2 (infinite variance). */
  | "HEAVY-TAIL"
  /** Off-policy: target-typicality coverage below 0.70 — logs-only IPS fails whatever the ESS. */
  | "LOW-TTC"
  /** Off-policy: judge-space Bhattacharyya overlap below 0.85. */
  | "LOW-OVERLAP"
  /** The point estimate lies outside the outcome scale (e.g. 15.9 on a 0–1 scale): it is not a possible value. */
  | "OUTSIDE-PARAMETER-SPACE"
  /** The estimate is in other units (judge) than the policies it would be ranked against (oracle): not ranked. */
  | "DIFFERENT-UNITS";

/** Labelled clusters needed for the full 5-fold cross-fit (fewer reduces the folds). */
export const MIN_CLUSTERS_FOR_FULL_FOLDS = 10;

/** Human-readable reason for each flag. */
export const FLAG_REASONS: Readonly<Record<PolicyFlag, string>> = {
  "REFUSE-LEVEL": "judge scores outside the labelled score range (no level claim)",
  "LOW-LABEL-SUPPORT": "judge-score mass where oracle labels are too sparse to pin the calibration",
  UNCALIBRATED: "raw judge-score mean, not an oracle-calibrated value",
  "DEGENERATE-CALIBRATOR": "calibrator collapsed to a constant (is the judge inverted?)",
  "FEW-LABELLED-CLUSTERS": "fewer than 10 labelled prompt clusters: provisional calibration",
  "INFERENCE-UNAVAILABLE": "fewer than two prompt clusters: no standard error",
  "TRANSPORT-FAIL": "held-out probes show the calibration does not transport to this policy",
  "LOW-ESS": "importance weights' effective sample size below 30% of n",
  "HEAVY-TAIL": "importance weights with a heavy tail (Hill index < 2: infinite variance)",
  "LOW-TTC": "the logger rarely produces target-typical responses (TTC < 0.70): logs-only IPS cannot be trusted",
  "LOW-OVERLAP": "judge-score distributions of logger and target overlap poorly (Bhattacharyya < 0.85)",
  "OUTSIDE-PARAMETER-SPACE": "the estimate lies outside the outcome scale: not a possible value of the policy",
  "DIFFERENT-UNITS": "raw judge-score mean while other policies are in oracle units: not ranked against them",
};

/** What to do next about each flag: one line a user can act on. */
export const FLAG_NEXT_STEPS: Readonly<Record<PolicyFlag, string>> = {
  "REFUSE-LEVEL": "label rows whose judge scores fall outside the labelled range (cje label samples them), or compare policies without quoting levels",
  "LOW-LABEL-SUPPORT": "add oracle labels in the sparse score region (the calibration view shows where), then re-run",
  UNCALIBRATED: "add oracle labels (cje label) so the judge can be calibrated; until then compare only raw judge means",
  "DEGENERATE-CALIBRATOR": "check the judge's direction and prompt on a few labelled rows; an inverted or constant judge cannot be calibrated",
  "FEW-LABELLED-CLUSTERS": "label at least 10 distinct prompts (cje plan gives the number for your target width)",
  "INFERENCE-UNAVAILABLE": "evaluate the policy on at least two prompts",
  "TRANSPORT-FAIL": "label a slice of this policy's own responses and calibrate with them, or report it uncalibrated",
  "LOW-ESS": "draw fresh responses from the target (Direct mode), or use a doubly robust estimator with fresh draws",
  "HEAVY-TAIL": "use a doubly robust estimator (stacked-dr) or fresh draws; IPS intervals are not reliable here",
  "LOW-TTC": "generate fresh responses from the target policy: logged data cannot stand in for it",
  "LOW-OVERLAP": "collect fresh draws from the target, or log from a policy closer to it",
  "OUTSIDE-PARAMETER-SPACE": "do not use this estimate; switch to a self-normalised or doubly robust estimator",
  "DIFFERENT-UNITS": "label some of this policy's rows so it is calibrated to oracle units like the others",
};

/**
 * Slack (internal units, where the outcome scale is [0, 1]) before an estimate counts as outside the
 * parameter space: rounding only, so 1 + 1e−12 passes and 1.001 does not.
 */
export const PARAMETER_SPACE_TOLERANCE = 1e-9;

/**
 * Whether a point estimate in internal units (outcome scale mapped to [0, 1]) lies outside the
 * parameter space — a value no policy can have, such as a Horvitz–Thompson mean of 15.9 when the ratios
 * are off their footing. Non-finite estimates are not flagged here (they carry no estimate at all).
 */
export function outsideParameterSpace(estimate: number): boolean {
  return Number.isFinite(estimate) && (estimate < -PARAMETER_SPACE_TOLERANCE || estimate > 1 + PARAMETER_SPACE_TOLERANCE);
}

/**
 * Kish effective probe clusters a transport audit needs before it can PASS (method-direct §2.10);
 * below it an interval inside the margin is INCONCLUSIVE, while one wholly outside still FAILs.
 */
export const MIN_EFFECTIVE_PROBE_CLUSTERS = 20;

/** Simultaneous error rate of the transport audits, Bonferroni-split over the audited family. */
export const DEFAULT_TRANSPORT_ALPHA = 0.05;

/** Labels below which the labelled slice is thin (a note; 50–100 labels are recommended). */
export const RECOMMENDED_MIN_LABELS = 50;

/** One documented gate threshold. */
export interface GateThreshold {
  /** The flag (or, for the transport audit's settings, the flag it feeds). */
  readonly flag: PolicyFlag;
  /** Exported constant holding the value. */
  readonly name: string;
  readonly value: number;
  /** The rule, in words. */
  readonly rule: string;
}

/** Every threshold the gates apply, with its rule (the single list to read when auditing the gates). */
export const GATE_THRESHOLDS: readonly GateThreshold[] = [
  {
    flag: "REFUSE-LEVEL",
    name: "OUT_OF_RANGE_REFUSE_THRESHOLD",
    value: OUT_OF_RANGE_REFUSE_THRESHOLD,
    rule: "flag when at least this share of a policy's judge scores lies outside the labelled score range",
  },
  {
    flag: "LOW-LABEL-SUPPORT",
    name: "SPARSE_MASS_THRESHOLD",
    value: SPARSE_MASS_THRESHOLD,
    rule: "flag when more than this share of a policy's scores has fewer than MIN_LOCAL_LABELS labels within ±LOCAL_WINDOW",
  },
  { flag: "LOW-LABEL-SUPPORT", name: "MIN_LOCAL_LABELS", value: MIN_LOCAL_LABELS, rule: "labels needed near a score for it to count as supported" },
  { flag: "LOW-LABEL-SUPPORT", name: "LOCAL_WINDOW", value: LOCAL_WINDOW, rule: "half-width (internal judge units) of the label-counting window" },
  {
    flag: "UNCALIBRATED",
    name: "MIN_LABELLED_CLUSTERS",
    value: MIN_LABELLED_CLUSTERS,
    rule: "with fewer distinct labelled prompt clusters no calibrator is fitted: raw judge-score means",
  },
  {
    flag: "FEW-LABELLED-CLUSTERS",
    name: "MIN_CLUSTERS_FOR_FULL_FOLDS",
    value: MIN_CLUSTERS_FOR_FULL_FOLDS,
    rule: "with fewer labelled prompt clusters the cross-fit uses fewer folds: provisional calibration",
  },
  {
    flag: "TRANSPORT-FAIL",
    name: "DEFAULT_TRANSPORT_ALPHA",
    value: DEFAULT_TRANSPORT_ALPHA,
    rule: "flag when the simultaneous (1 − alpha, Bonferroni over audited policies) residual interval lies wholly outside ±delta_max",
  },
  {
    flag: "TRANSPORT-FAIL",
    name: "MIN_EFFECTIVE_PROBE_CLUSTERS",
    value: MIN_EFFECTIVE_PROBE_CLUSTERS,
    rule: "an audit with fewer Kish effective probe clusters cannot PASS (it can still FAIL)",
  },
  { flag: "LOW-ESS", name: "ESS_GOOD", value: ESS_GOOD, rule: "off-policy: flag when the applied weights' ESS is below this share of n (overlap-gates.ts)" },
  {
    flag: "HEAVY-TAIL",
    name: "TAIL_WARNING",
    value: TAIL_WARNING,
    rule: "logs-only estimators: flag when the applied weights' Hill tail index is below this (infinite variance)",
  },
  { flag: "LOW-TTC", name: "TTC_GOOD", value: TTC_GOOD, rule: "logs-only estimators: flag when target-typicality coverage is below this" },
  {
    flag: "LOW-OVERLAP",
    name: "BHATTACHARYYA_GOOD",
    value: BHATTACHARYYA_GOOD,
    rule: "logs-only estimators: flag when the judge-space Bhattacharyya affinity is below this",
  },
];

/**
 * The warning for a thin labelled slice (shared by `analyze` and `validate`), or `null` when the
 * slice has at least {@link MIN_CLUSTERS_FOR_FULL_FOLDS} labelled prompt clusters.
 */
export function labelledClusterWarning(labelledClusters: number): string | null {
  if (labelledClusters === 0) {
    return "No oracle labels found: estimates are UNCALIBRATED raw judge-score means; their intervals ignore judge bias.";
  }
  if (labelledClusters < MIN_LABELLED_CLUSTERS) {
    return (
      `Only ${labelledClusters} distinct oracle-labelled prompt clusters (at least ${MIN_LABELLED_CLUSTERS} are needed to ` +
      "cross-fit a calibrator): policies that are not fully labelled get UNCALIBRATED raw judge-score means."
    );
  }
  if (labelledClusters < MIN_CLUSTERS_FOR_FULL_FOLDS) {
    return `Only ${labelledClusters} labelled prompt clusters: calibration folds reduced; results are provisional.`;
  }
  return null;
}

/**
 * The gate reason of an observed transport FAIL (interval and margin in the units reported):
 * "residual transport FAIL: simultaneous CI [+a, +b] is outside margin ±d".
 */
export function transportFailReason(ci: readonly [number, number], deltaMax: number): string {
  const signed = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(3)}`;
  return `residual transport FAIL: simultaneous CI [${signed(ci[0])}, ${signed(ci[1])}] is outside margin ±${deltaMax.toFixed(3)}`;
}

/** Units of a reported estimate. */
export type EstimateUnits = "judge" | "oracle";

/**
 * The policies whose estimate cannot be ranked with the others because it is in different units: when
 * some policies are reported in oracle units (calibrated, or fully labelled), those in judge units (raw
 * judge-score means) are not comparable with them — a 0.9 judge score is not better than a 4.2 on a 1–5
 * oracle scale. Returns the policies to flag DIFFERENT-UNITS and the sentence saying why, or `null` when
 * every estimate is in the same units.
 */
export function differentUnits(policies: readonly { readonly policy: string; readonly units: EstimateUnits }[]): { policies: string[]; reason: string } | null {
  const judge = policies.filter((p) => p.units === "judge").map((p) => p.policy);
  const oracle = policies.filter((p) => p.units === "oracle").map((p) => p.policy);
  if (judge.length === 0 || oracle.length === 0) return null;
  const list = (names: string[]) => names.map((n) => `'${n}'`).join(", ");
  return {
    policies: judge,
    reason:
      `${list(judge)} ${judge.length === 1 ? "is" : "are"} reported in judge units (raw judge-score mean${judge.length === 1 ? "" : "s"}) ` +
      `while ${list(oracle)} ${oracle.length === 1 ? "is" : "are"} in oracle units: estimates in different units are not ranked ` +
      "against each other (flag DIFFERENT-UNITS); label some of their responses so they can be calibrated.",
  };
}

/** The gate-aware winner. */
export interface BestPolicyVerdict {
  /**
   * The announced best policy: the raw argmax when it is unflagged, else the best unflagged policy;
   * null when every policy is flagged (see `reason`).
   */
  readonly best: string | null;
  /** The raw argmax of the point estimates. */
  readonly rawBest: string;
  /** True when the raw argmax was flagged and a different policy is announced. */
  readonly demoted: boolean;
  /** Flags of the raw argmax (why it was demoted). */
  readonly rawBestFlags: readonly PolicyFlag[];
  /** True when every policy with an estimate is flagged. */
  readonly allFlagged: boolean;
  /** Why no policy is named best (null when one is). */
  readonly reason: string | null;
}

/** A policy's point estimate and flags, as the gate sees them. */
export interface GatedEstimate {
  readonly policy: string;
  readonly estimate: number;
  readonly flags: readonly PolicyFlag[];
}

/**
 * Chooses the best policy. With `reliableOnly` (default) a flagged raw argmax is demoted in favour
 * of the best unflagged policy (ties broken by name), and when every policy is flagged none is named
 * (`best` null, with a `reason`): a ranking of flagged estimates is no basis for a winner. The raw
 * argmax stays visible in the verdict. Without `reliableOnly` the raw argmax is named — except that a
 * policy whose estimate is OUTSIDE-PARAMETER-SPACE is never named best: the best of the others is,
 * or none. A DIFFERENT-UNITS policy is never ranked at all (not even as the raw argmax); when that leaves
 * fewer than two comparable policies none is named best. Returns `null` when no policy has a finite estimate.
 */
export function bestPolicy(estimates: readonly GatedEstimate[], options: { reliableOnly?: boolean } = {}): BestPolicyVerdict | null {
  const finite = estimates.filter((e) => Number.isFinite(e.estimate));
  const usable = finite.filter((e) => !e.flags.includes("DIFFERENT-UNITS"));
  if (usable.length === 0) return null;
  if (usable.length < 2 && finite.length > usable.length) {
    const excluded = finite.filter((e) => !usable.includes(e)).map((e) => `'${e.policy}'`);
    return {
      rawBest: usable[0].policy,
      rawBestFlags: usable[0].flags,
      allFlagged: usable[0].flags.length > 0,
      best: null,
      demoted: false,
      reason: `only '${usable[0].policy}' is in oracle units; ${excluded.join(", ")} (DIFFERENT-UNITS) cannot be ranked against it, so no policy is named best.`,
    };
  }
  const raw = usable.reduce((best, e) => (e.estimate > best.estimate ? e : best));
  const unflagged = usable.filter((e) => e.flags.length === 0);
  const allFlagged = unflagged.length === 0;
  const verdict = { rawBest: raw.policy, rawBestFlags: raw.flags, allFlagged };
  if (options.reliableOnly === false) {
    if (!raw.flags.includes("OUTSIDE-PARAMETER-SPACE")) return { ...verdict, best: raw.policy, demoted: false, reason: null };
    const possible = usable.filter((e) => !e.flags.includes("OUTSIDE-PARAMETER-SPACE"));
    if (possible.length === 0) return { ...verdict, best: null, demoted: false, reason: "every estimate lies outside the outcome scale." };
    return { ...verdict, best: argmax(possible).policy, demoted: true, reason: null };
  }
  if (raw.flags.length === 0) return { ...verdict, best: raw.policy, demoted: false, reason: null };
  if (allFlagged) {
    const counts = new Map<PolicyFlag, number>();
    for (const e of usable) for (const f of new Set(e.flags)) counts.set(f, (counts.get(f) ?? 0) + 1);
    const listed = [...counts].map(([f, c]) => `${f} ×${c}`).join(", ");
    return {
      ...verdict,
      best: null,
      demoted: false,
      reason: `every policy is flagged (${listed}), so the ranking cannot name a winner.`,
    };
  }
  return { ...verdict, best: argmax(unflagged).policy, demoted: true, reason: null };
}

/** Highest estimate; ties go to the later name, as before. */
function argmax(list: readonly GatedEstimate[]): GatedEstimate {
  return list.reduce((b, e) => (e.estimate > b.estimate || (e.estimate === b.estimate && e.policy > b.policy) ? e : b));
}
