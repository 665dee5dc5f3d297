/**
 * Bias-aware SIMCal-W selection (a deliberate deviation from method-ope §6.4 step 7, issue 14).
 *
 * The reference mixes the increasing and decreasing isotonic projections of the weights to
 * minimise the out-of-fold influence-function variance alone. The flattest candidate always has
 * the smallest variance, so when the weights rise with the ordering index the variance criterion
 * picks the (flat) decreasing projection and calibrated IPS returns the logger's value: in the
 * synthetic off-policy world 0.36 instead of 0.47.
 *
 * Here the mixture π over [baseline (the raw Hájek weights), increasing, decreasing] minimises an
 * estimate of the mean squared error of the resulting Hájek estimate, cap included:
 *
 *   MSE(π) = d(π)² + Var ψ(π),
 *
 * computed with candidates cross-fitted over the inner folds (each fold's isotonic maps are fitted
 * without it, as the outer fold's weights are), where
 * - ψ_f(π) = mean_f(w_π·t) with w_π = γ(π) + (1 − γ(π))·Σ_k π_k c_k, the candidates made mean-one
 *   on fold f, and γ(π) the variance-cap shrinkage of the in-sample mixture — exactly what
 *   `predict` applies;
 * - d(π) = Σ_f n_f (ψ_f(π) − ψ_f^base)/n, the estimate's difference from SNIPS on the same rows:
 *   SNIPS is consistent whatever the shape of E[w | index], so d estimates the projection's bias;
 * - Var ψ is the sum of squared ratio-IF values w(t − ψ_f) over n².
 *
 * d² is the plug-in squared bias: it over-states the squared bias by Var d on average (reported as
 * `biasVariance`), so a candidate whose bias the data cannot rule out is still charged for it and
 * the mixture leans toward the unbiased raw weights. The debiased max(d² − Var d, 0) gave the same
 * RMSE in the synthetic world (bench/simcal-selection.mc.ts) but sets the bias of a noisy but
 * biased flat candidate to zero most of the time — the variance-only failure again, whenever SNIPS is
 * too noisy to see the bias; on the Arena sample it moves parallel_universe_prompt from 0.766 to
 * 0.783 (DR and Direct mode: 0.765).
 * Every term is linear or quadratic in (γ, (1 − γ)π), so the criterion is evaluated from per-fold
 * moment matrices on a 1/100 grid of the simplex (5,151 points, O(folds) each).
 */
import { fitIsotonic, isotonicOrder, subsetOrder } from "../calibration/isotonic.js";

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

/** Result of {@link selectSimcalMixtureByMse}. */
export interface SimcalMseSelection {
  /** Mixture over [baseline, increasing, decreasing]. */
  readonly mixture: Float64Array;
  /** Variance-cap shrinkage of the chosen mixture on the training rows. */
  readonly gamma: number;
  /** Criterion terms at the chosen mixture. */
  readonly terms: SimcalMseTerms;
  /** Evaluates the criterion at any mixture (for tests and diagnostics). */
  criterion(pi: ArrayLike<number>): SimcalMseTerms;
}

/** Inputs of {@link selectSimcalMixtureByMse}. */
export interface SimcalMseInputs {
  /** Mean-one raw weights of the training rows. */
  readonly base: Float64Array;
  /** Ordering index. */
  readonly s: ArrayLike<number>;
  /** IF target (rewards). */
  readonly t: ArrayLike<number>;
  /** Inner fold ids. */
  readonly folds: ArrayLike<number>;
  /** In-sample candidates [baseline, increasing, decreasing] (floored, mean-one): γ(π) is computed on them. */
  readonly candidates: readonly Float64Array[];
  readonly epsilon: number;
  /** γ(π) from the in-sample mixture's population variance. */
  readonly shrinkage: (variance: number) => number;
  /** Grid resolution of the simplex (default 100). */
  readonly gridSteps?: number;
  /** The rows' ascending (s, base) order (`isotonicOrder`), when the caller has it; sorted here otherwise. */
  readonly order?: Int32Array;
}

const K = 3;
const B = K + 1; // basis: 1, baseline, increasing, decreasing
/** Entries of a symmetric B × B matrix's upper triangle, packed row by row (the criterion below is written out for B = 4). */
const PACKED = (B * (B + 1)) / 2;
/**
 * Per-fold terms, packed: m_t (B), S0 and S1 (upper triangles with the off-diagonal entries doubled,
 * so that βᵀSβ = Σ packed · ββᵀ-products), row 1 of S0 and S1 (B each), n_f and Σ b² (the baseline's).
 */
const MT = 0;
const S0 = MT + B;
const S1 = S0 + PACKED;
const R0 = S1 + PACKED;
const R1 = R0 + B;
const NF = R1 + B;
const BB = NF + 1;
const STRIDE = BB + 1;

/** Chooses the SIMCal-W mixture that minimises the estimated MSE (see the module comment). */
export function selectSimcalMixtureByMse(inputs: SimcalMseInputs): SimcalMseSelection {
  const { base, s, t, folds, candidates, epsilon } = inputs;
  const n = base.length;
  const order = inputs.order ?? isotonicOrder(s, base);
  const foldIds = [...new Set(Array.from(folds))].sort((a, b) => a - b);
  // Per fold: moment matrices S_p[j][l] = Σ_i e_ij e_il t_i^p (p = 0, 1, 2) over the basis
  // e = (1, baseline, increasing, decreasing) with cross-fitted candidates, and m_t[j] = Σ e_j t / n_f.
  // S2 enters only through sums over folds, so it is summed (`s2` packed, `r2` its row 1).
  const terms: number[] = [];
  const s2 = new Float64Array(PACKED);
  const r2 = new Float64Array(B);
  let sumBB = 0;
  for (const f of foldIds) {
    const test: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < n; i++) (folds[i] === f ? test : train).push(i);
    if (test.length === 0) continue;
    const basis = crossFittedBasis(base, s, test, train, epsilon, order);
    const m0 = new Float64Array(B * B);
    const m1 = new Float64Array(B * B);
    const m2 = new Float64Array(B * B);
    const mt = new Float64Array(B);
    test.forEach((i, r) => {
      const ti = t[i];
      for (let j = 0; j < B; j++) {
        const ej = basis[j][r];
        mt[j] += ej * ti;
        for (let l = 0; l < B; l++) {
          const p = ej * basis[l][r];
          m0[j * B + l] += p;
          m1[j * B + l] += p * ti;
          m2[j * B + l] += p * ti * ti;
        }
      }
    });
    for (let j = 0; j < B; j++) mt[j] /= test.length;
    const at = terms.length;
    for (let k = 0; k < STRIDE; k++) terms.push(0);
    for (let j = 0, k = 0; j < B; j++) {
      terms[at + MT + j] = mt[j];
      terms[at + R0 + j] = m0[B + j];
      terms[at + R1 + j] = m1[B + j];
      r2[j] += m2[B + j];
      for (let l = j; l < B; l++, k++) {
        const twice = l === j ? 1 : 2;
        terms[at + S0 + k] = twice * m0[j * B + l];
        terms[at + S1 + k] = twice * m1[j * B + l];
        s2[k] += twice * m2[j * B + l];
      }
    }
    const psiB = mt[1];
    const bb = m2[B + 1] - 2 * psiB * m1[B + 1] + psiB * psiB * m0[B + 1];
    terms[at + NF] = test.length;
    terms[at + BB] = bb;
    sumBB += bb;
  }
  const packed = Float64Array.from(terms);
  // Population covariance of the in-sample candidates: Var(Σ π_k c_k) = πᵀCπ (each has mean one).
  const cov = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += (candidates[a][i] - 1) * (candidates[b][i] - 1);
      cov[a * K + b] = cov[b * K + a] = acc / n;
    }
  }
  // The criterion at π, written into `out` as [bias, biasVariance, variance, mse, gamma]: the grid below
  // evaluates it at 5,151 points per call, so it allocates nothing and is written out for B = 4. With
  // β = (γ, (1 − γ)π) and ψ_f = β·m_t, Σ a² over fold f is βᵀS2β − 2ψ_f βᵀS1β + ψ_f² βᵀS0β and Σ a·b
  // (b = baseline·(t − ψ_base)) is (S2β)₁ − (ψ_f + ψ_base)(S1β)₁ + ψ_f ψ_base (S0β)₁.
  const [c00, c01, c02, c10, c11, c12, c20, c21, c22] = cov;
  const [s00, s01, s02, s03, s11, s12, s13, s22, s23, s33] = s2;
  const [r20, r21, r22, r23] = r2;
  const evaluate = (pi0: number, pi1: number, pi2: number, out: Float64Array): void => {
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
    const gamma = inputs.shrinkage(v);
    const b0 = gamma;
    const b1 = (1 - gamma) * pi0;
    const b2 = (1 - gamma) * pi1;
    const b3 = (1 - gamma) * pi2;
    // The products β_j β_l of the packed upper triangle.
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
    let d = 0;
    let cross = 0;
    let crossB = 0;
    for (let o = 0; o < packed.length; o += STRIDE) {
      const psi = b0 * packed[o + MT] + b1 * packed[o + MT + 1] + b2 * packed[o + MT + 2] + b3 * packed[o + MT + 3];
      const psiB = packed[o + MT + 1];
      d += packed[o + NF] * (psi - psiB);
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
      cross += psi * (psi * q0 - 2 * q1);
      crossB += psi * psiB * ab0 - (psi + psiB) * ab1;
    }
    const ssA = q2 + cross;
    const ssAB = ab2 + crossB;
    const bias = d / n;
    const variance = Math.max(ssA, 0) / (n * n);
    out[0] = bias;
    out[1] = Math.max(ssA - 2 * ssAB + sumBB, 0) / (n * n);
    out[2] = variance;
    out[3] = bias * bias + variance;
    out[4] = gamma;
  };
  const criterion = (pi: ArrayLike<number>): SimcalMseTerms => {
    const out = new Float64Array(5);
    evaluate(pi[0], pi[1], pi[2], out);
    return { bias: out[0], biasVariance: out[1], variance: out[2], mse: out[3] };
  };
  const steps = inputs.gridSteps ?? 100;
  const at = new Float64Array(5);
  const best = new Float64Array(5);
  const bestPi = new Float64Array(K);
  let found = false;
  for (let a = 0; a <= steps; a++) {
    for (let b = 0; a + b <= steps; b++) {
      const pi0 = a / steps;
      const pi1 = b / steps;
      const pi2 = (steps - a - b) / steps;
      evaluate(pi0, pi1, pi2, at);
      // Ties (to 1e-15 relative) keep the earlier point: less baseline, then less increasing.
      if (!found || at[3] < best[3] * (1 - 1e-12)) {
        found = true;
        best.set(at);
        bestPi[0] = pi0;
        bestPi[1] = pi1;
        bestPi[2] = pi2;
      }
    }
  }
  return {
    mixture: bestPi,
    gamma: best[4],
    terms: { bias: best[0], biasVariance: best[1], variance: best[2], mse: best[3] },
    criterion,
  };
}

/**
 * The basis (1, baseline, increasing, decreasing) on the `test` rows: candidates are fitted on the
 * `train` rows (isotonic projections of the weights on the index), floored at ε and made mean-one
 * over the test rows, as `predict` does; the baseline is the test rows' weights made mean-one.
 */
function crossFittedBasis(base: Float64Array, s: ArrayLike<number>, test: number[], train: number[], epsilon: number, order: Int32Array): Float64Array[] {
  const one = new Float64Array(test.length).fill(1);
  const baseline = meanOneCopy(Float64Array.from(test, (i) => base[i]));
  if (train.length < 2) return [one, baseline, Float64Array.from(baseline), Float64Array.from(baseline)];
  const sTrain = train.map((i) => s[i]);
  const wTrain = train.map((i) => base[i]);
  const sTest = test.map((i) => s[i]);
  const trainOrder = subsetOrder(order, train);
  const projections = [true, false].map((increasing) => {
    const model = fitIsotonic(sTrain, wTrain, null, { increasing, yMin: -Infinity, yMax: Infinity, order: trainOrder });
    const p = model.predict(sTest);
    for (let r = 0; r < p.length; r++) if (p[r] < epsilon) p[r] = epsilon;
    return meanOneCopy(p);
  });
  return [one, baseline, ...projections];
}

function meanOneCopy(values: Float64Array): Float64Array {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  if (mean > 0) for (let i = 0; i < values.length; i++) values[i] /= mean;
  return values;
}
