/**
 * DR orthogonality score (method-ope §9.6): the weighted residual mean s = mean(w(R − ĝ)). A
 * doubly-robust estimate is first-order insensitive to the outcome model only when this moment is
 * zero; a confidence interval excluding zero says the weights and the outcome model disagree.
 */
import { normalQuantile, normalSf } from "../numeric/distributions.js";

/** Result of {@link orthogonalityScore}. */
export interface OrthogonalityScore {
  readonly score: number;
  /** Population SD of w(R − ĝ) over √n. */
  readonly se: number;
  readonly ci: readonly [number, number];
  readonly pValue: number;
  /** The interval contains zero. */
  readonly passes: boolean;
}

/** Orthogonality score of weights `w`, rewards `R` and outcome predictions `g` (aligned rows). */
export function orthogonalityScore(w: ArrayLike<number>, R: ArrayLike<number>, g: ArrayLike<number>, alpha = 0.05): OrthogonalityScore {
  const n = w.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += w[i] * (R[i] - g[i]);
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (w[i] * (R[i] - g[i]) - mean) ** 2;
  const se = Math.sqrt(ss / n) / Math.sqrt(n);
  const z = se > 0 ? mean / se : 0;
  const half = normalQuantile(1 - alpha / 2) * se;
  return { score: mean, se, ci: [mean - half, mean + half], pValue: 2 * normalSf(Math.abs(z)), passes: mean - half <= 0 && 0 <= mean + half };
}
