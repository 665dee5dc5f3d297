/**
 * Does the labelled slice support a calibrated claim about a policy? Two checks on the policy's
 * judge scores against the judge scores of the oracle-labelled rows:
 *
 * - **Range support** (the reference's boundary card, method-direct §2.9): the share of the
 *   policy's scores outside the labelled score range. Beyond {@link OUT_OF_RANGE_REFUSE_THRESHOLD}
 *   the calibrator extrapolates flat and no level claim can be made (REFUSE-LEVEL).
 * - **Label-density support** (beyond the reference): the share of the policy's scores that fall
 *   where the labelled slice holds fewer than {@link MIN_LOCAL_LABELS} labels within
 *   ±{@link LOCAL_WINDOW} of the score (in internal units). Isotonic calibration pools labels into
 *   blocks; where there are a handful of labels, the calibrated value there is pinned by a few noisy
 *   oracle labels or borrowed from a distant, differently behaving region. When more than
 *   {@link SPARSE_MASS_THRESHOLD} of a policy's mass sits there, its estimate rests on a calibration
 *   the data cannot pin down (LOW-LABEL-SUPPORT). On the Arena sample the adversarial policy puts 58%
 *   of its scores at 0.1, where base's 480 labels hold 4 points: 83% of its mass is sparse, versus
 *   2–3% for base, clone and parallel_universe_prompt.
 */

/** Out-of-range share at which level claims are refused (reference: 5%). */
export const OUT_OF_RANGE_REFUSE_THRESHOLD = 0.05;
/** Saturation share (calibrated values within 5% of the reward bounds) that earns a CAUTION. */
export const SATURATION_CAUTION_THRESHOLD = 0.2;
/** Band (share of the reward range) counted as saturated. */
export const SATURATION_BAND = 0.05;
/** Half-width of the window, in internal judge units, in which labels are counted. */
export const LOCAL_WINDOW = 0.05;
/** Labels needed within the window for a score to count as supported. */
export const MIN_LOCAL_LABELS = 10;
/** Share of a policy's scores in sparse regions that raises LOW-LABEL-SUPPORT. */
export const SPARSE_MASS_THRESHOLD = 0.2;

/** Range-support status. */
export type RangeSupportStatus = "OK" | "CAUTION" | "REFUSE-LEVEL";

/** The boundary card of one policy. */
export interface RangeSupport {
  readonly status: RangeSupportStatus;
  readonly outOfRange: number;
  readonly outBelow: number;
  readonly outAbove: number;
  readonly saturation: number;
  /** Labelled judge-score range the calibrator saw. */
  readonly labelledRange: readonly [number, number];
}

/** Label-density support of one policy. */
export interface LabelSupport {
  /** Share of the policy's scores with fewer than {@link MIN_LOCAL_LABELS} labels nearby. */
  readonly sparseMass: number;
  readonly flagged: boolean;
  readonly window: number;
  readonly minLocalLabels: number;
  readonly threshold: number;
}

/**
 * Range support of a policy's scores against the labelled range.
 *
 * @param scores the policy's judge scores
 * @param calibrated the policy's calibrated values (same order)
 * @param labelledRange min/max of the labelled judge scores
 * @param rewardRange min/max of the calibrated values on the labelled rows
 */
export function rangeSupport(
  scores: ArrayLike<number>,
  calibrated: ArrayLike<number>,
  labelledRange: readonly [number, number],
  rewardRange: readonly [number, number],
): RangeSupport {
  const n = scores.length;
  const [sMin, sMax] = labelledRange;
  const [rMin, rMax] = rewardRange;
  const band = SATURATION_BAND * Math.max(rMax - rMin, 0);
  let below = 0;
  let above = 0;
  let saturated = 0;
  for (let i = 0; i < n; i++) {
    if (scores[i] < sMin) below++;
    else if (scores[i] > sMax) above++;
    if (calibrated[i] <= rMin + band || calibrated[i] >= rMax - band) saturated++;
  }
  const outBelow = below / n;
  const outAbove = above / n;
  const outOfRange = outBelow + outAbove;
  const saturation = saturated / n;
  const status: RangeSupportStatus =
    outOfRange >= OUT_OF_RANGE_REFUSE_THRESHOLD ? "REFUSE-LEVEL" : saturation >= SATURATION_CAUTION_THRESHOLD ? "CAUTION" : "OK";
  return { status, outOfRange, outBelow, outAbove, saturation, labelledRange: [sMin, sMax] };
}

/**
 * Label-density support: for each policy score, counts labelled scores within ±window (internal
 * units) and reports the share of the policy's rows with fewer than `minLocalLabels`.
 *
 * @param sortedLabelledScores labelled judge scores, ascending (internal units)
 */
export function labelSupport(
  scores: ArrayLike<number>,
  sortedLabelledScores: Float64Array,
  window: number = LOCAL_WINDOW,
  minLocalLabels: number = MIN_LOCAL_LABELS,
  threshold: number = SPARSE_MASS_THRESHOLD,
): LabelSupport {
  const tolerance = 1e-9;
  let sparse = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    const count = upperBound(sortedLabelledScores, s + window + tolerance) - lowerBound(sortedLabelledScores, s - window - tolerance);
    if (count < minLocalLabels) sparse++;
  }
  const sparseMass = scores.length === 0 ? 0 : sparse / scores.length;
  return { sparseMass, flagged: sparseMass > threshold, window, minLocalLabels, threshold };
}

function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
