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
import { fitIsotonic } from "../calibration/isotonic.js";

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
}

const K = 3;
const B = K + 1; // basis: 1, baseline, increasing, decreasing

/** Chooses the SIMCal-W mixture that minimises the estimated MSE (see the module comment). */
export function selectSimcalMixtureByMse(inputs: SimcalMseInputs): SimcalMseSelection {
  const { base, s, t, folds, candidates, epsilon } = inputs;
  const n = base.length;
  const foldIds = [...new Set(Array.from(folds))].sort((a, b) => a - b);
  // Per fold: moment matrices S_p[j][l] = Σ_i e_ij e_il t_i^p (p = 0, 1, 2) over the basis
  // e = (1, baseline, increasing, decreasing) with cross-fitted candidates, and m_t[j] = Σ e_j t / n_f.
  const moments: { nf: number; s0: Float64Array; s1: Float64Array; s2: Float64Array; mt: Float64Array }[] = [];
  for (const f of foldIds) {
    const test: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < n; i++) (folds[i] === f ? test : train).push(i);
    if (test.length === 0) continue;
    const basis = crossFittedBasis(base, s, test, train, epsilon);
    const s0 = new Float64Array(B * B);
    const s1 = new Float64Array(B * B);
    const s2 = new Float64Array(B * B);
    const mt = new Float64Array(B);
    test.forEach((i, r) => {
      const ti = t[i];
      for (let j = 0; j < B; j++) {
        const ej = basis[j][r];
        mt[j] += ej * ti;
        for (let l = 0; l < B; l++) {
          const p = ej * basis[l][r];
          s0[j * B + l] += p;
          s1[j * B + l] += p * ti;
          s2[j * B + l] += p * ti * ti;
        }
      }
    });
    for (let j = 0; j < B; j++) mt[j] /= test.length;
    moments.push({ nf: test.length, s0, s1, s2, mt });
  }
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
  // evaluates it at 5,151 points per call, so nothing is allocated per point.
  const beta = new Float64Array(B);
  const evaluate = (pi: ArrayLike<number>, out: Float64Array): void => {
    let v = 0;
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) v += pi[a] * pi[b] * cov[a * K + b];
    const gamma = inputs.shrinkage(v);
    beta[0] = gamma;
    for (let k = 0; k < K; k++) beta[k + 1] = (1 - gamma) * pi[k];
    let d = 0;
    let ssA = 0;
    let ssD = 0;
    for (const m of moments) {
      let psi = 0;
      for (let j = 0; j < B; j++) psi += beta[j] * m.mt[j];
      const psiB = m.mt[1];
      d += m.nf * (psi - psiB);
      // Σ a² = βᵀ(S2 − 2ψ S1 + ψ² S0)β; Σ a·b and Σ b² with b = baseline·(t − ψ_base).
      let aa = 0;
      let ab = 0;
      for (let j = 0; j < B; j++) {
        const row = j * B;
        for (let l = 0; l < B; l++) aa += beta[j] * beta[l] * (m.s2[row + l] - 2 * psi * m.s1[row + l] + psi * psi * m.s0[row + l]);
        ab += beta[j] * (m.s2[row + 1] - (psi + psiB) * m.s1[row + 1] + psi * psiB * m.s0[row + 1]);
      }
      const bb = m.s2[B + 1] - 2 * psiB * m.s1[B + 1] + psiB * psiB * m.s0[B + 1];
      ssA += aa;
      ssD += aa - 2 * ab + bb;
    }
    const bias = d / n;
    const variance = Math.max(ssA, 0) / (n * n);
    out[0] = bias;
    out[1] = Math.max(ssD, 0) / (n * n);
    out[2] = variance;
    out[3] = bias * bias + variance;
    out[4] = gamma;
  };
  const criterion = (pi: ArrayLike<number>): SimcalMseTerms => {
    const out = new Float64Array(5);
    evaluate(pi, out);
    return { bias: out[0], biasVariance: out[1], variance: out[2], mse: out[3] };
  };
  const steps = inputs.gridSteps ?? 100;
  const pi = new Float64Array(K);
  const at = new Float64Array(5);
  const best = new Float64Array(5);
  const bestPi = new Float64Array(K);
  let found = false;
  for (let a = 0; a <= steps; a++) {
    for (let b = 0; a + b <= steps; b++) {
      pi[0] = a / steps;
      pi[1] = b / steps;
      pi[2] = (steps - a - b) / steps;
      evaluate(pi, at);
      // Ties (to 1e-15 relative) keep the earlier point: less baseline, then less increasing.
      if (!found || at[3] < best[3] * (1 - 1e-12)) {
        found = true;
        best.set(at);
        bestPi.set(pi);
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
function crossFittedBasis(base: Float64Array, s: ArrayLike<number>, test: number[], train: number[], epsilon: number): Float64Array[] {
  const one = new Float64Array(test.length).fill(1);
  const baseline = meanOneCopy(Float64Array.from(test, (i) => base[i]));
  if (train.length < 2) return [one, baseline, Float64Array.from(baseline), Float64Array.from(baseline)];
  const sTrain = train.map((i) => s[i]);
  const wTrain = train.map((i) => base[i]);
  const sTest = test.map((i) => s[i]);
  const projections = [true, false].map((increasing) => {
    const model = fitIsotonic(sTrain, wTrain, null, { increasing, yMin: -Infinity, yMax: Infinity });
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
