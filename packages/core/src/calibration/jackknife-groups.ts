/**
 * Groups of the calibration jackknife: the labelled prompt clusters are dealt into J groups by the
 * project's one fold module, and the calibrator is refitted once without each group.
 *
 * Why J groups and not the K = 5 cross-fitting folds (the reference's OUA jackknife): a variance
 * estimated from five pseudo-values has 4 degrees of freedom, so its Student-t interval is
 * t₀.₉₇₅(4)/z = 1.42× wider than the data need whenever calibration variance dominates — users
 * then buy about twice the oracle labels for the same certainty. With up to 50 groups the same
 * jackknife has up to 49 degrees of freedom (t₀.₉₇₅(49)/z = 1.03).
 */
import { assignFolds } from "./folds.js";

/** Groups of the calibration jackknife when there are enough labelled prompt clusters. */
export const DEFAULT_JACKKNIFE_GROUPS = 50;
/** Seed of the jackknife's group assignment (independent of the cross-fitting folds' seed). */
export const JACKKNIFE_GROUP_SEED = 1729;

/** Number of jackknife groups for `nClusters` labelled prompt clusters: min(50, clusters). */
export function jackknifeGroupCount(nClusters: number, requested: number = DEFAULT_JACKKNIFE_GROUPS): number {
  return Math.max(2, Math.min(requested, nClusters));
}

/**
 * Degrees of freedom of the jackknife calibration variance from `nClusters` labelled prompt
 * clusters dealt into `groups` groups: min(J − 1, ⌊c/2⌋ − 1), at least 1.
 *
 * J − 1 is the textbook value. The cap ⌊c/2⌋ − 1 reflects that an isotonic calibrator's variance
 * rests on its blocks, each a mean of at least about two labels: with few labels the jackknife
 * variance is itself noisy and tends to be small exactly when the estimate is off (our Monte Carlo:
 * 13 labels, t with J − 1 = 12 df covered 0.83–0.87; 20 labels, 0.88–0.90). The cap coincides with
 * the K − 1 of the five-fold rule whenever c < 10 (where the folds shrink to ⌊c/2⌋) and stops
 * binding at 100 clusters.
 */
export function jackknifeDegreesOfFreedom(nClusters: number, groups: number): number {
  return Math.max(1, Math.min(groups - 1, Math.floor(nClusters / 2) - 1));
}

/** Group in [0, J) of each labelled row (rows of one prompt cluster share a group). */
export function jackknifeGroups(clusterIds: readonly string[], groups: number): Int32Array {
  return assignFolds(clusterIds, groups, JACKKNIFE_GROUP_SEED);
}
