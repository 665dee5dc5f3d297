/**
 * Cluster-robust (CRV1) standard errors of a mean of influence values, clustered by prompt
 * (method-direct §2.5.1, method-ope §8.3). The one implementation used by every estimator.
 */

/** Result of a cluster-robust variance computation. */
export interface ClusterRobustVariance {
  /** Variance of the mean: G/(G−1) · Σ_g T_g² / n², with T_g the centred cluster totals. */
  readonly variance: number;
  /** Number of distinct clusters G among the rows used. */
  readonly nClusters: number;
}

/**
 * CRV1 variance of the mean of `values[start..end)`, clustered by `clusters` (integer codes in
 * `[0, nClusterCodes)`). Values are centred before clustering, and the cluster totals are centred
 * across clusters. With fewer than two clusters the variance is `NaN` (row-level IID inference is
 * not a valid fallback).
 *
 * @param scratch optional buffer of length ≥ nClusterCodes, reused across calls
 */
export function clusterRobustVariance(
  values: ArrayLike<number>,
  clusters: ArrayLike<number>,
  nClusterCodes: number,
  start = 0,
  end: number = values.length,
  scratch: Float64Array = new Float64Array(nClusterCodes),
): ClusterRobustVariance {
  const n = end - start;
  if (n <= 0) return { variance: Number.NaN, nClusters: 0 };
  let mean = 0;
  for (let i = start; i < end; i++) mean += values[i];
  mean /= n;
  const totals = scratch;
  totals.fill(0, 0, nClusterCodes);
  const seen = new Uint8Array(nClusterCodes);
  const codes: number[] = [];
  for (let i = start; i < end; i++) {
    const g = clusters[i];
    if (seen[g] === 0) {
      seen[g] = 1;
      codes.push(g);
    }
    totals[g] += values[i] - mean;
  }
  const G = codes.length;
  if (G < 2) return { variance: Number.NaN, nClusters: G };
  let tMean = 0;
  for (const g of codes) tMean += totals[g];
  tMean /= G;
  let ss = 0;
  for (const g of codes) ss += (totals[g] - tMean) ** 2;
  return { variance: ((G / (G - 1)) * ss) / (n * n), nClusters: G };
}
