/**
 * Reliability gates: the flags a policy's estimate can carry, and the gate-aware choice of the best
 * policy. Gates never remove an estimate; they qualify it, and they stop a flagged policy from being
 * announced as the winner without saying why.
 */

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
  | "TRANSPORT-FAIL";

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
};

/** The gate-aware winner. */
export interface BestPolicyVerdict {
  /** The announced best policy (the best unflagged one when the raw winner is flagged). */
  readonly best: string;
  /** The raw argmax of the point estimates. */
  readonly rawBest: string;
  /** True when the raw argmax was flagged and a different policy is announced. */
  readonly demoted: boolean;
  /** Flags of the raw argmax (why it was demoted). */
  readonly rawBestFlags: readonly PolicyFlag[];
  /** True when every policy with an estimate is flagged (the raw argmax is announced, flagged). */
  readonly allFlagged: boolean;
}

/** A policy's point estimate and flags, as the gate sees them. */
export interface GatedEstimate {
  readonly policy: string;
  readonly estimate: number;
  readonly flags: readonly PolicyFlag[];
}

/**
 * Chooses the best policy. With `reliableOnly` (default) a flagged raw argmax is demoted in favour
 * of the best unflagged policy (ties broken by name); the raw argmax stays visible in the verdict.
 * Returns `null` when no policy has a finite estimate.
 */
export function bestPolicy(estimates: readonly GatedEstimate[], options: { reliableOnly?: boolean } = {}): BestPolicyVerdict | null {
  const usable = estimates.filter((e) => Number.isFinite(e.estimate));
  if (usable.length === 0) return null;
  const raw = usable.reduce((best, e) => (e.estimate > best.estimate ? e : best));
  const unflagged = usable.filter((e) => e.flags.length === 0);
  const allFlagged = unflagged.length === 0;
  if (options.reliableOnly === false || raw.flags.length === 0 || allFlagged) {
    return { best: raw.policy, rawBest: raw.policy, demoted: false, rawBestFlags: raw.flags, allFlagged };
  }
  const best = unflagged.reduce((b, e) => (e.estimate > b.estimate || (e.estimate === b.estimate && e.policy > b.policy) ? e : b));
  return { best: best.policy, rawBest: raw.policy, demoted: true, rawBestFlags: raw.flags, allFlagged };
}
