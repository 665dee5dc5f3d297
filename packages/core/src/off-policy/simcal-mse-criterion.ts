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
/** Basis size: the constant and the K components. */
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
  const psi = new Float64Array(folds.length);
  const beta = new Float64Array(B);
  // β_j β_l over the packed upper triangle, in its order (see `quadratic`).
  const products = new Float64Array(PACKED);
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
    beta[0] = gamma;
    beta[1] = (1 - gamma) * pi0;
    beta[2] = (1 - gamma) * pi1;
    beta[3] = (1 - gamma) * pi2;
    // The bias first: it alone may show that the point cannot beat `bound`.
    let d = 0;
    for (let f = 0, o = 0; o < packed.length; f++, o += STRIDE) {
      psi[f] = dot(packed, o + M, beta);
      d += packed[o + NF] * (psi[f] - packed[o + M + 1]);
    }
    const bias = d / n;
    out[0] = bias;
    out[4] = gamma;
    if (bias * bias >= bound) return false;
    for (let j = 0, k = 0; j < B; j++) for (let l = j; l < B; l++, k++) products[k] = beta[j] * beta[l];
    const q2 = quadratic(s2, 0, products);
    const ab2 = dot(r2, 0, beta);
    let cross = 0;
    let crossB = 0;
    for (let f = 0, o = 0; o < packed.length; f++, o += STRIDE) {
      const pf = psi[f];
      const psiB = packed[o + M + 1];
      const q0 = quadratic(packed, o + S0, products);
      const q1 = quadratic(packed, o + S1, products);
      const ab0 = dot(packed, o + R0, beta);
      const ab1 = dot(packed, o + R1, beta);
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

/** Σ_k β_k · values[at + k] over the B = 4 basis coefficients, summed in order (written out: a hot path). */
function dot(values: Float64Array, at: number, beta: Float64Array): number {
  return beta[0] * values[at] + beta[1] * values[at + 1] + beta[2] * values[at + 2] + beta[3] * values[at + 3];
}

/** βᵀSβ for a packed upper triangle S at `at` and the PACKED = 10 products β_jβ_l, summed in order (written out). */
function quadratic(values: Float64Array, at: number, p: Float64Array): number {
  return (
    p[0] * values[at] +
    p[1] * values[at + 1] +
    p[2] * values[at + 2] +
    p[3] * values[at + 3] +
    p[4] * values[at + 4] +
    p[5] * values[at + 5] +
    p[6] * values[at + 6] +
    p[7] * values[at + 7] +
    p[8] * values[at + 8] +
    p[9] * values[at + 9]
  );
}
