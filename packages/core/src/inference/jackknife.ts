/**
 * The oracle-uncertainty-aware (OUA) delete-one-fold jackknife (method-direct §2.5.2, paper
 * Alg. 6): re-estimate with each fold's calibrator and measure the spread.
 */

/**
 * Jackknife variance `((K−1)/K) · Σ_k (θ_k − θ̄)²` of K leave-one-fold-out estimates — a sum over
 * folds (the mean-over-folds form understates by exactly K). Fewer than two estimates ⇒ 0.
 */
export function foldJackknifeVariance(estimates: ArrayLike<number>): number {
  const K = estimates.length;
  if (K < 2) return 0;
  let mean = 0;
  for (let k = 0; k < K; k++) mean += estimates[k];
  mean /= K;
  let ss = 0;
  for (let k = 0; k < K; k++) ss += (estimates[k] - mean) ** 2;
  return ((K - 1) / K) * ss;
}

/**
 * Degrees of freedom when a cluster-robust SE (df = G − 1) is combined with a K-fold jackknife:
 * `min(G − 1, K − 1)` when the jackknife applies (K ≥ 2), floored at 1.
 */
export function combinedDegreesOfFreedom(nClusters: number, jackknifeFolds: number): number {
  let df = nClusters - 1;
  if (jackknifeFolds >= 2) df = Math.min(df, jackknifeFolds - 1);
  return Math.max(df, 1);
}
