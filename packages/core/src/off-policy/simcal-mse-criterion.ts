/**
 * The MSE criterion of the bias-aware SIMCal-W selection (simcal-selection.ts), evaluated from
 * per-fold moment matrices so that a point of the selection grid costs O(folds), not O(rows).
 *
 * Over the basis e = (1, baseline, increasing, decreasing) of fold f's rows, with β = (γ, (1 − γ)π):
 * w_π = β·e, ψ_f = β·m_f with m_f = Σ e·t / n_f, and for a = w_π(t − ψ_f), b = baseline·(t − ψ_base)
 *
 *   Σ a² = βᵀS2β − 2ψ_f βᵀS1β + ψ_f² βᵀS0β,   Σ a·b = (S2β)₁ − (ψ_f + ψ_base)(S1β)₁ + ψ_f ψ_base (S0β)₁,
 *
 * where S_p = Σ e eᵀ t^p. S2 enters only through sums over folds, so it is summed.
 */

/** Per-mixture terms of the criterion (internal units). */
export interface SimcalMseTerms {
  /** d(π): difference of the stabilised estimate from SNIPS on the training rows. */
  readonly bias: number;
  /** Variance of d(π) (how much of d² may be noise; reported, not subtracted). */
  readonly biasVariance: number;
  /** Variance of the stabilised estimate ψ(π). */
  readonly variance: number;
  /** The criterion d² + Var ψ. */
  readonly mse: number;
}

/** One fold: the basis columns (1, baseline, increasing, decreasing) on its rows and the IF target t there. */
export interface FoldBasis {
  readonly basis: readonly Float64Array[];
  readonly t: Float64Array;
}

/**
 * Evaluates the criterion at π = (π0, π1, π2) and writes [bias, biasVariance, variance, mse, γ] into
 * `out`, returning true — unless bias² ≥ `bound`: the mse (bias² plus a variance ≥ 0) is then at
 * least `bound` too, and it returns false with only the bias (out[0]) and γ (out[4]) written.
 */
export type MseEvaluator = (pi0: number, pi1: number, pi2: number, out: Float64Array, bound: number) => boolean;

/** A `bound` that never stops an evaluation (no bias² is ≥ NaN, not even an infinite one). */
export const NO_BOUND = Number.NaN;

/** Mixture components: baseline, increasing, decreasing. */
const K = 3;
/** Basis size: the constant and the K components (the evaluator is written out for B = 4). */
const B = K + 1;
/** Entries of a symmetric B × B matrix's upper triangle. */
const PACKED = (B * (B + 1)) / 2;
/** In a packed upper triangle: the entry (0, 1), and the entry (1, j) at ROW1_REST + j for j ≥ 1. */
const ROW1_FIRST = 1;
const ROW1_REST = B - 1;
/**
 * Per-fold terms, packed: m (B), S0 and S1 (upper triangles, row by row, with the off-diagonal
 * entries doubled, so that βᵀSβ = Σ packed · products β_j β_l), row 1 of S0 and S1 (B each), n_f and
 * Σ b².
 */
const M = 0;
const S0 = M + B;
const S1 = S0 + PACKED;
const R0 = S1 + PACKED;
const R1 = R0 + B;
const NF = R1 + B;
const BB = NF + 1;
const STRIDE = BB + 1;

/**
 * The criterion over `folds` (n rows in all), γ(π) = `shrinkage`(πᵀ C π) with C = `cov` (K × K, the
 * in-sample candidates' population covariance).
 */
export function mseEvaluator(folds: readonly FoldBasis[], n: number, cov: Float64Array, shrinkage: (variance: number) => number): MseEvaluator {
  const packed = new Float64Array(folds.length * STRIDE);
  const s2 = new Float64Array(PACKED);
  const r2 = new Float64Array(B);
  // Moments over each fold's rows, upper triangles packed (S_p is symmetric: (S_p)₁ⱼ is read from the
  // entry (min(1, j), max(1, j))).
  const m0 = new Float64Array(PACKED);
  const m1 = new Float64Array(PACKED);
  const m2 = new Float64Array(PACKED);
  const m = new Float64Array(B);
  let sumBB = 0;
  folds.forEach(({ basis, t }, f) => {
    m0.fill(0);
    m1.fill(0);
    m2.fill(0);
    m.fill(0);
    const rows = t.length;
    for (let r = 0; r < rows; r++) {
      const tr = t[r];
      for (let j = 0, k = 0; j < B; j++) {
        const ej = basis[j][r];
        m[j] += ej * tr;
        for (let l = j; l < B; l++, k++) {
          const p = ej * basis[l][r];
          m0[k] += p;
          m1[k] += p * tr;
          m2[k] += p * tr * tr;
        }
      }
    }
    const o = f * STRIDE;
    for (let j = 0, k = 0; j < B; j++) {
      packed[o + M + j] = m[j] / rows;
      const row1 = j === 0 ? ROW1_FIRST : ROW1_REST + j;
      packed[o + R0 + j] = m0[row1];
      packed[o + R1 + j] = m1[row1];
      r2[j] += m2[row1];
      for (let l = j; l < B; l++, k++) {
        const twice = l === j ? 1 : 2;
        packed[o + S0 + k] = twice * m0[k];
        packed[o + S1 + k] = twice * m1[k];
        s2[k] += twice * m2[k];
      }
    }
    const psiB = packed[o + M + 1];
    const bb = m2[ROW1_REST + 1] - 2 * psiB * m1[ROW1_REST + 1] + psiB * psiB * m0[ROW1_REST + 1];
    packed[o + NF] = rows;
    packed[o + BB] = bb;
    sumBB += bb;
  });
  const [c00, c01, c02, c10, c11, c12, c20, c21, c22] = cov;
  const [s00, s01, s02, s03, s11, s12, s13, s22, s23, s33] = s2;
  const [r20, r21, r22, r23] = r2;
  const psi = new Float64Array(folds.length);
  return (pi0, pi1, pi2, out, bound) => {
    const v =
      pi0 * pi0 * c00 +
      pi0 * pi1 * c01 +
      pi0 * pi2 * c02 +
      pi1 * pi0 * c10 +
      pi1 * pi1 * c11 +
      pi1 * pi2 * c12 +
      pi2 * pi0 * c20 +
      pi2 * pi1 * c21 +
      pi2 * pi2 * c22;
    const gamma = shrinkage(v);
    const b0 = gamma;
    const b1 = (1 - gamma) * pi0;
    const b2 = (1 - gamma) * pi1;
    const b3 = (1 - gamma) * pi2;
    // The bias first: it alone may show that the point cannot beat `bound`.
    let d = 0;
    for (let f = 0, o = 0; o < packed.length; f++, o += STRIDE) {
      psi[f] = b0 * packed[o + M] + b1 * packed[o + M + 1] + b2 * packed[o + M + 2] + b3 * packed[o + M + 3];
      d += packed[o + NF] * (psi[f] - packed[o + M + 1]);
    }
    const bias = d / n;
    out[0] = bias;
    out[4] = gamma;
    if (bias * bias >= bound) return false;
    const p00 = b0 * b0;
    const p01 = b0 * b1;
    const p02 = b0 * b2;
    const p03 = b0 * b3;
    const p11 = b1 * b1;
    const p12 = b1 * b2;
    const p13 = b1 * b3;
    const p22 = b2 * b2;
    const p23 = b2 * b3;
    const p33 = b3 * b3;
    const q2 = p00 * s00 + p01 * s01 + p02 * s02 + p03 * s03 + p11 * s11 + p12 * s12 + p13 * s13 + p22 * s22 + p23 * s23 + p33 * s33;
    const ab2 = b0 * r20 + b1 * r21 + b2 * r22 + b3 * r23;
    let cross = 0;
    let crossB = 0;
    for (let f = 0, o = 0; o < packed.length; f++, o += STRIDE) {
      const pf = psi[f];
      const psiB = packed[o + M + 1];
      const q0 =
        p00 * packed[o + S0] +
        p01 * packed[o + S0 + 1] +
        p02 * packed[o + S0 + 2] +
        p03 * packed[o + S0 + 3] +
        p11 * packed[o + S0 + 4] +
        p12 * packed[o + S0 + 5] +
        p13 * packed[o + S0 + 6] +
        p22 * packed[o + S0 + 7] +
        p23 * packed[o + S0 + 8] +
        p33 * packed[o + S0 + 9];
      const q1 =
        p00 * packed[o + S1] +
        p01 * packed[o + S1 + 1] +
        p02 * packed[o + S1 + 2] +
        p03 * packed[o + S1 + 3] +
        p11 * packed[o + S1 + 4] +
        p12 * packed[o + S1 + 5] +
        p13 * packed[o + S1 + 6] +
        p22 * packed[o + S1 + 7] +
        p23 * packed[o + S1 + 8] +
        p33 * packed[o + S1 + 9];
      const ab0 = b0 * packed[o + R0] + b1 * packed[o + R0 + 1] + b2 * packed[o + R0 + 2] + b3 * packed[o + R0 + 3];
      const ab1 = b0 * packed[o + R1] + b1 * packed[o + R1 + 1] + b2 * packed[o + R1 + 2] + b3 * packed[o + R1 + 3];
      cross += pf * (pf * q0 - 2 * q1);
      crossB += pf * psiB * ab0 - (pf + psiB) * ab1;
    }
    const ssA = q2 + cross;
    const ssAB = ab2 + crossB;
    const variance = Math.max(ssA, 0) / (n * n);
    out[1] = Math.max(ssA - 2 * ssAB + sumBB, 0) / (n * n);
    out[2] = variance;
    out[3] = bias * bias + variance;
    return true;
  };
}
