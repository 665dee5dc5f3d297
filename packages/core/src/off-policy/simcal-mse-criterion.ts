/**
 * The MSE criterion of the bias-aware SIMCal-W selection (simcal-selection.ts), evaluated from
 * moments summed over the folds, so that a point of the selection grid costs O(1): neither the rows
 * nor the folds are visited again.
 *
 * Over the basis e = (1, baseline, increasing, decreasing) of fold f's rows, with β = (γ, (1 − γ)π):
 * w_π = β·e, ψ_f = β·m_f with m_f = Σ e·t / n_f, and for a = w_π(t − ψ_f), b = baseline·(t − ψ_base)
 *
 *   Σ a² = βᵀS2β − 2ψ_f βᵀS1β + ψ_f² βᵀS0β,   Σ a·b = (S2β)₁ − (ψ_f + ψ_base)(S1β)₁ + ψ_f ψ_base (S0β)₁,
 *
 * where S_p = Σ e eᵀ t^p over the fold. ψ_f is linear in β, so summed over the folds Σ a² is a
 * polynomial of degree 4 in the four coefficients β, Σ a·b one of degree 2 and d one of degree 1:
 * their coefficients (35 quartic, 20 cubic, 10 quadratic and 4 linear monomials) are summed once.
 */

/** Per-mixture terms of the criterion (internal units). */
export interface SimcalMseTerms {
  /** d(π): difference of the stabilised estimate from SNIPS on the training rows. */
  readonly bias: number;
  /** Variance of d(π): the part of d² that is noise on average. */
  readonly biasVariance: number;
  /** Variance of the stabilised estimate ψ(π). */
  readonly variance: number;
  /** The criterion: max(d² − Var d, 0) + Var ψ. */
  readonly mse: number;
}

/** One fold: the basis columns (1, baseline, increasing, decreasing) on its rows and the IF target t there. */
export interface FoldBasis {
  readonly basis: readonly Float64Array[];
  readonly t: Float64Array;
}

/**
 * Evaluates the criterion at π = (π0, π1, π2) and writes [bias, biasVariance, variance, mse, γ] into
 * `out`, returning true — unless a lower bound of the mse (below) is ≥ `bound`: then it returns false
 * with only the bias (out[0]) and γ (out[4]) written.
 *
 * The bound: max(d² − Var d, 0) + Var ψ = max(d² + Var ψ − Var d, Var ψ), and Var ψ − Var d =
 * (2 Σ a·b − Σ b²)/n² is of degree 2 in β, so d² + Var ψ − Var d costs a fraction of Var ψ (degree 4).
 */
export type MseEvaluator = (pi0: number, pi1: number, pi2: number, out: Float64Array, bound: number) => boolean;

/** A `bound` that never stops an evaluation (nothing is ≥ NaN). */
export const NO_BOUND = Number.NaN;

/** Basis size: the constant and the three mixture components. */
const B = 4;

/** The monomials of a degree in the B coefficients, as index tuples i ≤ j ≤ …, in lexicographic order. */
function monomials(degree: number): number[][] {
  const out: number[][] = [];
  const build = (prefix: number[], from: number): void => {
    if (prefix.length === degree) out.push(prefix);
    else for (let i = from; i < B; i++) build([...prefix, i], i);
  };
  build([], 0);
  return out;
}

/**
 * A degree's monomials: how many, and where each index tuple (i, j, …), in any order and read as
 * base-B digits, falls among `monomials(degree)`. The evaluation below walks them in the same order.
 */
interface Monomials {
  readonly count: number;
  readonly at: Int32Array;
}

function monomialTable(degree: number): Monomials {
  const list = monomials(degree);
  const position = new Map(list.map((m, p) => [m.join(), p]));
  const at = new Int32Array(B ** degree);
  for (let code = 0; code < at.length; code++) {
    const digits = Array.from({ length: degree }, (_, d) => Math.floor(code / B ** (degree - 1 - d)) % B);
    at[code] = position.get(digits.sort((x, y) => x - y).join()) as number;
  }
  return { count: list.length, at };
}

const QUADRATIC = monomialTable(2);
const CUBIC = monomialTable(3);
const QUARTIC = monomialTable(4);

/**
 * The criterion over `folds` (n rows in all), γ(π) = `shrinkage`(πᵀ C π) with C = `cov` (K × K, the
 * in-sample candidates' population covariance).
 */
export function mseEvaluator(folds: readonly FoldBasis[], n: number, cov: Float64Array, shrinkage: (variance: number) => number): MseEvaluator {
  // Coefficients of Σ a² (quadratic, cubic ÷ −2, quartic), of Σ a·b (quadratic, linear) and of n·d
  // (linear, constant), each summed over the folds; Σ b² over the folds.
  const ssA2 = new Float64Array(QUADRATIC.count);
  const ssA3 = new Float64Array(CUBIC.count);
  const ssA4 = new Float64Array(QUARTIC.count);
  const ssAB2 = new Float64Array(QUADRATIC.count);
  const ssAB1 = new Float64Array(B);
  const d1 = new Float64Array(B);
  let d0 = 0;
  let sumBB = 0;
  // One fold's moments: S0, S1, S2 (full B × B) and m.
  const s0 = new Float64Array(B * B);
  const s1 = new Float64Array(B * B);
  const s2 = new Float64Array(B * B);
  const m = new Float64Array(B);
  for (const { basis, t } of folds) {
    s0.fill(0);
    s1.fill(0);
    s2.fill(0);
    m.fill(0);
    const rows = t.length;
    for (let r = 0; r < rows; r++) {
      const tr = t[r];
      for (let j = 0; j < B; j++) {
        const ej = basis[j][r];
        m[j] += ej * tr;
        for (let l = j; l < B; l++) {
          const p = ej * basis[l][r];
          s0[j * B + l] += p;
          s1[j * B + l] += p * tr;
          s2[j * B + l] += p * tr * tr;
        }
      }
    }
    for (let j = 0; j < B; j++) {
      m[j] /= rows;
      for (let l = 0; l < j; l++) {
        s0[j * B + l] = s0[l * B + j];
        s1[j * B + l] = s1[l * B + j];
        s2[j * B + l] = s2[l * B + j];
      }
    }
    const psiB = m[1];
    for (let i = 0; i < B; i++) {
      d1[i] += rows * m[i];
      ssAB1[i] += s2[B + i] - psiB * s1[B + i];
      for (let j = 0; j < B; j++) {
        ssA2[QUADRATIC.at[i * B + j]] += s2[i * B + j];
        ssAB2[QUADRATIC.at[i * B + j]] += m[i] * (psiB * s0[B + j] - s1[B + j]);
        for (let k = 0; k < B; k++) {
          ssA3[CUBIC.at[(i * B + j) * B + k]] += m[i] * s1[j * B + k];
          for (let l = 0; l < B; l++) ssA4[QUARTIC.at[((i * B + j) * B + k) * B + l]] += m[i] * m[j] * s0[k * B + l];
        }
      }
    }
    d0 += rows * psiB;
    sumBB += s2[B + 1] - 2 * psiB * s1[B + 1] + psiB * psiB * s0[B + 1];
  }
  const [c00, c01, c02, c10, c11, c12, c20, c21, c22] = cov;
  const beta = new Float64Array(B);
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
    const ssAB = quadraticForm(ssAB2, beta) + linearForm(ssAB1, beta);
    const bias = (linearForm(d1, beta) - d0) / n;
    out[0] = bias;
    out[4] = gamma;
    if (bias * bias + (2 * ssAB - sumBB) / (n * n) >= bound) return false;
    const ssA = quadraticForm(ssA2, beta) + higherForm(ssA3, ssA4, beta);
    const variance = Math.max(ssA, 0) / (n * n);
    const biasVariance = Math.max(ssA - 2 * ssAB + sumBB, 0) / (n * n);
    out[1] = biasVariance;
    out[2] = variance;
    // Unbiased for d² on average is d̂² − Var d̂ (floored at 0): see simcal-selection.ts.
    out[3] = Math.max(bias * bias - biasVariance, 0) + variance;
    return true;
  };
}

function linearForm(coefficients: Float64Array, beta: Float64Array): number {
  return coefficients[0] * beta[0] + coefficients[1] * beta[1] + coefficients[2] * beta[2] + coefficients[3] * beta[3];
}

/** Σ c_p β_iβ_j over the quadratic monomials p = (i ≤ j), in `monomials` order. */
function quadraticForm(c: Float64Array, beta: Float64Array): number {
  let acc = 0;
  let p = 0;
  for (let i = 0; i < B; i++) {
    const bi = beta[i];
    for (let j = i; j < B; j++) acc += c[p++] * bi * beta[j];
  }
  return acc;
}

/** −2 Σ c3_p β_iβ_jβ_k + Σ c4_q β_iβ_jβ_kβ_l over the cubic and quartic monomials, in `monomials` order. */
function higherForm(c3: Float64Array, c4: Float64Array, beta: Float64Array): number {
  let acc = 0;
  let p = 0;
  let q = 0;
  for (let i = 0; i < B; i++) {
    for (let j = i; j < B; j++) {
      const bij = beta[i] * beta[j];
      for (let k = j; k < B; k++) {
        const bijk = bij * beta[k];
        let quartic = 0;
        for (let l = k; l < B; l++) quartic += c4[q++] * beta[l];
        acc += bijk * (quartic - 2 * c3[p++]);
      }
    }
  }
  return acc;
}
