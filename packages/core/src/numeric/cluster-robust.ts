/**
 * Cluster-robust (CRV1) standard errors of a mean of influence values, clustered by prompt
 * (method-direct §2.5.1, method-ope §8.3). The one implementation used by every estimator.
 */

/** Result of a cluster-robust variance computation. */
export interface ClusterRobustVariance {
  /** Variance of the mean: G/(G−1) · Σ_g T_g² / n², with T_g the centred cluster totals (per stratum, see {@link clusterTotalsVariance}). */
  readonly variance: number;
  /** Number of distinct clusters G among the rows used. */
  readonly nClusters: number;
  /** Degrees of freedom of the variance: G − 1, or Welch–Satterthwaite over the two strata. */
  readonly df: number;
}

/**
 * CRV1 variance of a sum of cluster totals `totals[g]` over the clusters `codes`, with its degrees of
 * freedom. The totals are centred across clusters.
 *
 * With `stratum` (0 or 1 per cluster code) the clusters fall into two strata — in CJE, clusters with
 * an oracle label and clusters without — and each stratum's sum of squares gets its own small-sample
 * factor G_s/(G_s − 1); the df is Welch–Satterthwaite over the two pieces,
 * `(V₀ + V₁)² / (V₀²/(G₀ − 1) + V₁²/(G₁ − 1))`. Why: a residual-augmented estimate's variance is
 * mostly the labelled clusters' residuals when labels are few. Its precision is that of a variance
 * from those G₁ clusters, not from all G, so a t interval with G − 1 df would claim certainty it has
 * not got. The factor G/(G − 1) is also too small for the labelled piece: 1.05 with 20 labels of
 * 1,000 prompts. Without `stratum`, or when a stratum has fewer than two clusters, it is the plain
 * CRV1, `G/(G − 1) · Σ (T_g − T̄)²` with G − 1 df.
 */
export function clusterTotalsVariance(
  totals: ArrayLike<number>,
  codes: readonly number[],
  stratum: ArrayLike<number> | null,
): { variance: number; df: number } {
  const G = codes.length;
  if (G < 2) return { variance: Number.NaN, df: 0 };
  let tMean = 0;
  for (const g of codes) tMean += totals[g];
  tMean /= G;
  const ss = [0, 0];
  const count = [0, 0];
  for (const g of codes) {
    const s = stratum === null ? 0 : stratum[g] === 0 ? 0 : 1;
    ss[s] += (totals[g] - tMean) ** 2;
    count[s]++;
  }
  if (count[0] < 2 || count[1] < 2) return { variance: (G / (G - 1)) * (ss[0] + ss[1]), df: G - 1 };
  const v0 = (count[0] / (count[0] - 1)) * ss[0];
  const v1 = (count[1] / (count[1] - 1)) * ss[1];
  const variance = v0 + v1;
  if (!(variance > 0)) return { variance, df: G - 1 };
  return { variance, df: variance ** 2 / ((v0 * v0) / (count[0] - 1) + (v1 * v1) / (count[1] - 1)) };
}

/**
 * CRV1 variance of the mean of `values[start..end)`, clustered by `clusters` (integer codes in
 * `[0, nClusterCodes)`). Values are centred before clustering, and the cluster totals are centred
 * across clusters. With fewer than two clusters the variance is `NaN` (row-level IID inference is
 * not a valid fallback).
 *
 * @param scratch optional buffer of length ≥ nClusterCodes, reused across calls
 * @param labelledRow optional 0/1 per row: a cluster with any 1 row is in the labelled stratum (see {@link clusterTotalsVariance})
 */
export function clusterRobustVariance(
  values: ArrayLike<number>,
  clusters: ArrayLike<number>,
  nClusterCodes: number,
  start = 0,
  end: number = values.length,
  scratch: Float64Array = new Float64Array(nClusterCodes),
  labelledRow: ArrayLike<number> | null = null,
): ClusterRobustVariance {
  const n = end - start;
  if (n <= 0) return { variance: Number.NaN, nClusters: 0, df: 0 };
  let mean = 0;
  for (let i = start; i < end; i++) mean += values[i];
  mean /= n;
  const totals = scratch;
  totals.fill(0, 0, nClusterCodes);
  const seen = new Uint8Array(nClusterCodes);
  const stratum = labelledRow === null ? null : new Uint8Array(nClusterCodes);
  const codes: number[] = [];
  for (let i = start; i < end; i++) {
    const g = clusters[i];
    if (seen[g] === 0) {
      seen[g] = 1;
      codes.push(g);
    }
    totals[g] += values[i] - mean;
    if (stratum !== null && labelledRow !== null && labelledRow[i] !== 0) stratum[g] = 1;
  }
  const { variance, df } = clusterTotalsVariance(totals, codes, stratum);
  return { variance: variance / (n * n), nClusters: codes.length, df };
}
