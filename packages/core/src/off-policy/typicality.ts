/**
 * Target-typicality coverage (TTC) and the coverage-limited-efficiency (CLE) factor
 * (method-ope §9.4–9.5). The target-typical region T is the set of logged rows whose surprisal
 * under the target is at most the level at which the self-normalised target weights accumulate
 * `mass` (default 0.9); TTC = |T|/n is the logger's share of that region. When TTC is small, any
 * logs-only estimator's standard error is at least σ_T·α/√(TTC·n)·√(1 + χ²_T) (CLE bound), however
 * good the ESS looks.
 *
 * The surprisal normaliser decides what "typical" means. `total` (−lp′, our default) orders rows by
 * their sequence probability under the target, the same sequence-level quantity importance ratios
 * are made of; `per_char` (−lp′/characters, the reference's proxy for per-token) and `per_token`
 * order by average surprisal per unit of text, which forgives long responses. Any ordering gives a
 * region holding the stated target mass, so the CLE bound holds for each; the normaliser that yields
 * the smaller logger share gives the more informative bound. See the package README for the Arena
 * numbers under both.
 */
import { CjeInputError } from "../errors/input-error.js";
import { effectiveSampleSize } from "./weights.js";

/** How surprisal is normalised before ordering rows. */
export type SurprisalNormalizer = "total" | "per_char" | "per_token";

/** TTC and CLE of one target. */
export interface TypicalityCoverage {
  /** Logger share of the target-typical region (TTC = β). */
  readonly ttc: number;
  /** Target mass α actually held by the region (≥ `mass`). */
  readonly targetMass: number;
  /** χ² divergence of the weights inside the region (population variance of mean-one weights). */
  readonly chiSquareInRegion: number;
  /** α / √β. */
  readonly coveragePenalty: number;
  /** √(1 + χ²_T). */
  readonly shapeMismatch: number;
  /** coveragePenalty · shapeMismatch: the SE inflation floor for logs-only estimation. */
  readonly cleFactor: number;
  /** Affinity mean(√w) of the mean-one weights, capped at 1. */
  readonly bhattacharyya: number;
  /** ESS of the weights as a share of n. */
  readonly essFraction: number;
}

/**
 * Computes TTC and the CLE factors from logging and target log-probs of the logged rows.
 * `lengths` (required unless `total`) are the per-row characters or tokens dividing the surprisal;
 * they must be finite and positive.
 */
export function targetTypicality(
  baseLogprobs: ArrayLike<number>,
  targetLogprobs: ArrayLike<number>,
  lengths: ArrayLike<number> | null,
  mass = 0.9,
): TypicalityCoverage {
  const n = baseLogprobs.length;
  if (targetLogprobs.length !== n) throw new CjeInputError(`TTC: ${n} logging log-probs but ${targetLogprobs.length} target log-probs`);
  if (lengths !== null && lengths.length !== n) throw new CjeInputError(`TTC: ${n} rows but ${lengths.length} length normalisers`);
  if (n === 0)
    return {
      ttc: 0,
      targetMass: 0,
      chiSquareInRegion: Infinity,
      coveragePenalty: Infinity,
      shapeMismatch: Infinity,
      cleFactor: Infinity,
      bhattacharyya: Number.NaN,
      essFraction: 0,
    };
  const ell = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    ell[i] = targetLogprobs[i] - baseLogprobs[i];
    if (ell[i] > max) max = ell[i];
  }
  const w = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    w[i] = Math.exp(ell[i] - max);
    sum += w[i];
  }
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let len = 1;
    if (lengths !== null) {
      len = lengths[i];
      if (!(Number.isFinite(len) && len > 0)) throw new CjeInputError(`TTC: length normaliser ${len} at row ${i} must be finite and > 0`);
    }
    u[i] = -targetLogprobs[i] / len;
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => u[a] - u[b] || a - b);
  let cum = 0;
  let idx = n - 1;
  for (let r = 0; r < n; r++) {
    cum += w[order[r]] / sum;
    if (cum >= mass) {
      idx = r;
      break;
    }
  }
  const tau = u[order[idx]];
  let inRegion = 0;
  let alpha = 0;
  let sT = 0;
  for (let i = 0; i < n; i++) {
    if (u[i] <= tau) {
      inRegion++;
      alpha += w[i] / sum;
      sT += w[i];
    }
  }
  const beta = inRegion / n;
  let chi = Infinity;
  const meanT = sT / inRegion;
  if (inRegion > 0 && meanT > 1e-10 * (sum / n)) {
    let ss = 0;
    for (let i = 0; i < n; i++) if (u[i] <= tau) ss += (w[i] / meanT - 1) ** 2;
    chi = ss / inRegion;
  }
  const penalty = beta > 1e-10 ? alpha / Math.sqrt(beta) : Infinity;
  const shape = Math.sqrt(1 + chi);
  let affinity = 0;
  const meanW = sum / n;
  for (let i = 0; i < n; i++) affinity += Math.sqrt(Math.max(w[i] / meanW, 1e-10));
  return {
    ttc: beta,
    targetMass: alpha,
    chiSquareInRegion: chi,
    coveragePenalty: penalty,
    shapeMismatch: shape,
    cleFactor: penalty * shape,
    bhattacharyya: Math.min(affinity / n, 1),
    essFraction: effectiveSampleSize(w) / n,
  };
}
