/**
 * Residual variance by judge-score region, from the labels available before sampling (a pilot, a
 * calibration file, earlier labels): the Neyman and active designs put labels where the oracle
 * label is least predictable from the judge score.
 *
 * With at least {@link MIN_LABELLED_CLUSTERS} labelled prompt clusters, AutoCal-R is cross-fitted on
 * the pilot, giving out-of-fold residuals e_j and calibrated values f. The prior for region r is the
 * quasi-binomial variance function of a bounded label, v⁰_r = φ · mean over the frame rows of r of
 * f(1 − f), with the dispersion φ = Σe_j² / Σ f_j(1 − f_j) fitted on the pilot (a label in [0, 1]
 * varies least where its mean is near 0 or 1); the region's own residuals then move it as data:
 * v_r = (Σ_{j∈r} e_j² + κ·v⁰_r) / (n_r + κ), with κ = {@link PILOT_PRIOR_WEIGHT} pseudo-labels.
 * Without such a pilot every region gets the same variance: nothing is known about where labels
 * are noisier. Either way the design stays a probability design with known π; only its efficiency
 * depends on how good these variances are.
 */
import { fitCalibrator, MIN_LABELLED_CLUSTERS } from "@cjeval/core/advanced";
import type { PilotLabels } from "../frame.js";

/** Pseudo-labels of the prior variance added to every region (shrinkage strength). */
export const PILOT_PRIOR_WEIGHT = 5;

/** Residual variance per region (internal units²). */
export interface RegionVariance {
  readonly variance: Float64Array;
  /** Pilot labels per region. */
  readonly labels: Int32Array;
  /** False when there was no usable pilot (all variances equal). */
  readonly fromPilot: boolean;
}

/**
 * Residual variance of each of `regions` regions; `regionOf` maps a judge score to its region and
 * `frameScores` are the judge scores of the rows the design samples from.
 */
export function regionResidualVariance(
  pilot: PilotLabels,
  frameScores: ArrayLike<number>,
  regionOf: (score: number) => number,
  regions: number,
): RegionVariance {
  const labels = new Int32Array(regions);
  const uniform = { variance: new Float64Array(regions).fill(1), labels, fromPilot: false };
  if (new Set(pilot.promptIds).size < MIN_LABELLED_CLUSTERS) return uniform;
  const calibrator = fitCalibrator({ scores: pilot.scores, labels: pilot.labels, clusterIds: pilot.promptIds });
  const sums = new Float64Array(regions);
  let squares = 0;
  let spread = 0;
  for (let j = 0; j < pilot.scores.length; j++) {
    const f = calibrator.oofPredictions[j];
    const e2 = (pilot.labels[j] - f) ** 2;
    const r = regionOf(pilot.scores[j]);
    sums[r] += e2;
    labels[r]++;
    squares += e2;
    spread += f * (1 - f);
  }
  if (!(squares > 0 && spread > 0)) return uniform;
  const dispersion = squares / spread;
  const fitted = calibrator.predictScores(frameScores);
  const prior = new Float64Array(regions);
  const rows = new Int32Array(regions);
  let overall = 0;
  for (let i = 0; i < frameScores.length; i++) {
    const r = regionOf(frameScores[i]);
    const v = dispersion * fitted[i] * (1 - fitted[i]);
    prior[r] += v;
    rows[r]++;
    overall += v;
  }
  overall /= frameScores.length;
  const variance = prior.map((total, r) => {
    const v0 = rows[r] > 0 ? total / rows[r] : overall;
    return (sums[r] + PILOT_PRIOR_WEIGHT * v0) / (labels[r] + PILOT_PRIOR_WEIGHT);
  });
  return { variance, labels, fromPilot: true };
}

/** The warning a design gives when it had no pilot to learn residual variances from. */
export const NO_PILOT_WARNING =
  `fewer than ${MIN_LABELLED_CLUSTERS} labelled prompt clusters to learn where labels are noisier: residual variance ` +
  "is taken as equal everywhere (pass existing labels, e.g. --calibration, to inform the design)";
