/**
 * The oracle-uncertainty-aware (OUA) jackknife (method-direct §2.5.2, paper Alg. 6): re-estimate
 * with calibrators refitted without each group of labels and measure the spread. The reference
 * deletes its K = 5 cross-fitting folds; we delete up to 50 groups of labelled prompt clusters
 * (see calibration/jackknife-groups.ts for why).
 */

/**
 * Delete-a-group jackknife variance `((K−1)/K) · Σ_k (θ_k − θ̄)²` of K leave-one-group-out
 * estimates — a sum over groups (the mean-over-groups form understates by exactly K). Fewer than two
 * estimates ⇒ 0.
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
 * Welch–Satterthwaite degrees of freedom of a variance that is the sum of a cluster-robust sampling
 * variance (df = `samplingDf`, G − 1 or its stratified value) and a jackknife calibration variance
 * (df = `calibrationDf`): `(V_s + V_c)² / (V_s²/df_s + V_c²/df_c)`, floored at 1.
 *
 * Deviation from the reference, which uses `min(G − 1, K − 1)` (so df ≤ 4 with five folds whenever
 * the jackknife applies): that rule treats the whole variance as if it were estimated from five
 * pseudo-values, and makes 95% intervals cover ~99.5% when the well-estimated sampling variance
 * dominates. Satterthwaite gives df → df_c when calibration dominates and → G − 1 when sampling
 * dominates.
 */
export function satterthwaiteDegreesOfFreedom(samplingVariance: number, samplingDf: number, calibrationVariance: number, calibrationDf: number): number {
  const vs = Number.isFinite(samplingVariance) ? samplingVariance : 0;
  const dfS = samplingDf;
  const vc = calibrationDf >= 1 ? calibrationVariance : 0;
  if (!(vc > 0)) return Math.max(dfS, 1);
  if (!(vs > 0) || dfS < 1) return Math.max(calibrationDf, 1);
  const df = (vs + vc) ** 2 / ((vs * vs) / dfS + (vc * vc) / calibrationDf);
  return Math.max(df, 1);
}
