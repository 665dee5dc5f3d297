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
 * clusters dealt into `groups` groups, for a calibrator whose full fit takes `levelSets` distinct
 * values on its labelled rows: min(J − 1, c − k), at least 1.
 *
 * J − 1 is the textbook value for J pseudo-values. But the calibration error is an average of label
 * residuals around a fitted step function, and an isotonic fit spends one degree of freedom per
 * level set (its effective number of parameters is the expected number of level sets; Meyer &
 * Woodroofe, Ann. Statist. 2000), so c labels leave about c − k for the residuals' variance. With
 * few labels k is a large share of c, and t at J − 1 df under-covers: our Monte Carlo (core README,
 * "Intervals"; 400 replications per cell) gave 0.90 with 5 labels at J − 1 = 4 df, 0.94 at c − k
 * (k ≈ 3). Where k is small against c, c − k is close to J − 1 and the interval is no wider than the
 * data need: with 13 labels (k ≈ 5) the plug-in width fell from 1.36–1.43× the ideal under the
 * earlier cap ⌊c/2⌋ − 1 to 1.24–1.30×, coverage 0.945–0.955; with 20, 1.23× → 1.17×.
 */
export function jackknifeDegreesOfFreedom(nClusters: number, groups: number, levelSets: number): number {
  return Math.max(1, Math.min(groups - 1, nClusters - levelSets));
}

/** Group in [0, J) of each labelled row (rows of one prompt cluster share a group). */
export function jackknifeGroups(clusterIds: readonly string[], groups: number): Int32Array {
  return assignFolds(clusterIds, groups, JACKKNIFE_GROUP_SEED);
}
