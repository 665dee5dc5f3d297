/**
 * Gate statuses of the off-policy diagnostics (method-ope §10), the single source of their
 * thresholds: ESS share, Hill tail index, target-typicality coverage and judge-space overlap.
 */

/** Traffic-light status of one diagnostic. */
export type GateStatus = "GOOD" | "WARNING" | "CRITICAL";

/** ESS share at or above which weights pass (the paper's ship gate). */
export const ESS_GOOD = 0.3;
/** ESS share below which weights are critical. */
export const ESS_WARNING = 0.1;
/** TTC at or above which logs-only IPS may work. */
export const TTC_GOOD = 0.7;
/** TTC below which logs-only IPS fails regardless of ESS. */
export const TTC_WARNING = 0.3;
/** Judge-space Bhattacharyya affinity at or above which overlap is good. */
export const BHATTACHARYYA_GOOD = 0.85;
/** Judge-space affinity below which overlap is critical. */
export const BHATTACHARYYA_WARNING = 0.5;
/** Hill index below which the weights have infinite variance. */
export const TAIL_WARNING = 2;
/** Hill index below which the weights have infinite mean. */
export const TAIL_CRITICAL = 1;

function ladder(value: number, good: number, warning: number): GateStatus | null {
  if (Number.isNaN(value)) return null;
  return value >= good ? "GOOD" : value >= warning ? "WARNING" : "CRITICAL";
}

/** ESS share: ≥ 0.30 GOOD, ≥ 0.10 WARNING, else CRITICAL. */
export function essStatus(essFraction: number): GateStatus | null {
  return ladder(essFraction, ESS_GOOD, ESS_WARNING);
}

/** TTC: ≥ 0.70 GOOD, ≥ 0.30 WARNING, else CRITICAL. */
export function ttcStatus(ttc: number): GateStatus | null {
  return ladder(ttc, TTC_GOOD, TTC_WARNING);
}

/** Judge-space affinity A_B: ≥ 0.85 GOOD, ≥ 0.50 WARNING, else CRITICAL. */
export function bhattacharyyaStatus(affinity: number): GateStatus | null {
  return ladder(affinity, BHATTACHARYYA_GOOD, BHATTACHARYYA_WARNING);
}

/**
 * Hill tail index: < 1 CRITICAL, < 2 WARNING, else GOOD (+∞ is GOOD). A failed estimate (NaN) is a
 * WARNING when the ESS share is below 0.30 and no verdict (null) otherwise.
 */
export function tailStatus(tailIndex: number, essFraction: number): GateStatus | null {
  if (Number.isNaN(tailIndex)) return essFraction < ESS_GOOD ? "WARNING" : null;
  return tailIndex < TAIL_CRITICAL ? "CRITICAL" : tailIndex < TAIL_WARNING ? "WARNING" : "GOOD";
}
