/**
 * SIMCal-W, score-indexed weight stabilisation (method-ope §6.4): mean-one importance weights are
 * projected onto functions of an ordering index (the judge score, or the cross-fitted calibrated
 * reward) — an increasing and a decreasing isotonic candidate, plus the raw weights as a baseline —
 * which are mixed, then shrunk toward one until the variance cap holds on the training rows.
 *
 * Deviations from the reference, each for a reason:
 * - The mixture minimises an estimate of the mean squared error of the weighted (Hájek) mean —
 *   squared bias against SNIPS plus variance, with cross-fitted candidates and the cap included —
 *   over [baseline, increasing, decreasing] (`selection: "mse"`, default; see simcal-selection.ts).
 *   The reference minimises the out-of-fold IF variance of [increasing, decreasing] alone, which
 *   picks the flattest candidate even when it is biased: in a world where the weights rise with the
 *   index it returns the logger's value (issue 14). `selection: "variance"` keeps the reference rule
 *   only to reproduce its golden vector.
 * - The selection influence function is the ratio (Hájek) IF `u(t − ψ)/m`, the same IF the IPS
 *   estimator reports; the reference adds a `−ψ(u − m)/m` term there that it removed from its
 *   reported IF (method-ope §13 B15).
 * - Zero weights (log-ratios that underflow after max-normalisation) are accepted; the reference
 *   rejects them and falls back to raw weights for the whole fold (§13 B25).
 */
import { CjeInputError } from "../errors/input-error.js";
import { meanOne } from "./importance-weights.js";
import { addRelativeRidge, columnCovariance, minVarianceSimplex } from "../numeric/min-variance-simplex.js";
import { IsotonicFitter, isotonicOrder, type IsotonicModel } from "../calibration/isotonic.js";
import type { SimcalMseTerms } from "./simcal-mse-criterion.js";
import { selectSimcalMixtureByMse } from "./simcal-selection.js";

/** SIMCal-W settings (reference defaults). */
export interface SimcalConfig {
  /** ESS floor as a share of n (default 0.2): variance ≤ 1/floor − 1. */
  readonly essFloor?: number;
  /** Variance cap on mean-one weights (default 1, i.e. ESS ≥ n/2 on the training rows). */
  readonly varCap?: number;
  /** Floor of every candidate weight (default 1e−9). */
  readonly epsilon?: number;
  /** Ridge on the candidates' IF covariance, relative to its trace (default 1e−8). */
  readonly ridgeLambda?: number;
  /**
   * Influence function used to choose the mixture: `ratio` (default) `u(t − ψ)/m`, or `reference`,
   * the 0.3.x form `(u(t − ψ) − ψ(u − m))/m`, kept to reproduce the reference's numbers.
   */
  readonly selectionInfluence?: "ratio" | "reference";
  /**
   * Mixture rule: `mse` (default) — minimise the estimated MSE of the weighted mean over [baseline,
   * increasing, decreasing] (bias-aware, simcal-selection.ts); `variance` — the reference rule (§6.4
   * step 7: minimise the OOF IF variance of [increasing, decreasing]), kept only to reproduce the
   * reference's golden vector. It can return the logger's value when the weights matter.
   */
  readonly selection?: "mse" | "variance";
}

/** A fitted SIMCal-W map. */
export interface SimcalModel {
  /** Mixture weights of the candidates: [baseline, increasing, decreasing] (`mse`) or [increasing, decreasing] (`variance`). */
  readonly mixture: Float64Array;
  /** Shrinkage toward one needed for the variance cap (0 = none). */
  readonly gamma: number;
  /** Population variance of the mean-one input weights on the training rows. */
  readonly varBefore: number;
  /** The candidates on the training rows and their cross-fitted influence matrix (computed on first access with the `mse` rule). */
  readonly selection: SimcalSelection;
  /** The MSE criterion at the chosen mixture (`mse` selection only). */
  readonly mse: SimcalMseTerms | null;
  /** Stabilised weights for rows with raw weights `w` and ordering index `s` (mean one over them). */
  predict(w: ArrayLike<number>, s: ArrayLike<number>): Float64Array;
}

/** Per-candidate influence matrix Φ (n × K, row-major) and the mixture chosen. */
export interface SimcalSelection {
  readonly candidates: readonly Float64Array[];
  readonly influence: Float64Array;
  readonly mixture: Float64Array;
}

/**
 * Fits SIMCal-W on training rows: raw weights `w` (finite, ≥ 0, positive mean), ordering index
 * `s`, IF target `t` (rewards) and fold ids `folds` (any integers; the OOF means are cross-fitted
 * over them). `orderHint`, the rows' order by (s, w) when the caller has it (e.g. a `subsetOrder`
 * of a larger set's), spares the sort by (s, mean-one w) its comparisons.
 */
export function fitSimcal(
  w: ArrayLike<number>,
  s: ArrayLike<number>,
  t: ArrayLike<number>,
  folds: ArrayLike<number>,
  config: SimcalConfig = {},
  orderHint?: Int32Array,
): SimcalModel {
  const n = w.length;
  if (s.length !== n || t.length !== n || folds.length !== n) throw new RangeError("SIMCal: w, s, t and folds must have equal lengths");
  const epsilon = config.epsilon ?? 1e-9;
  const essFloor = config.essFloor ?? 0.2;
  const varCap = config.varCap ?? 1;
  if (!(essFloor > 0 && essFloor <= 1)) throw new CjeInputError("SIMCal ess floor must lie in (0, 1]", { field: "essFloor", value: essFloor });
  if (!(varCap > 0)) throw new CjeInputError("SIMCal variance cap must be positive", { field: "varCap", value: varCap });
  const base = normalisedWeights(w);
  // One sort of the rows by (s, base) serves the two in-sample projections and every cross-fitted one.
  // (Dividing w by its mean keeps its order, up to rounding ties, so an order by (s, w) is a close hint.)
  const order = isotonicOrder(s, base, orderHint);
  const fitter = new IsotonicFitter(s, base, { yMin: -Infinity, yMax: Infinity, order });
  const models: IsotonicModel[] = [fitter.fit(null, true), fitter.fit(null, false)];
  const bySelection = config.selection ?? "mse";
  const withBaseline = bySelection === "mse";
  const inSample = candidates(models, s, withBaseline ? base : null, epsilon);
  const ridgeLambda = config.ridgeLambda ?? 1e-8;
  const kind = config.selectionInfluence ?? "ratio";
  let selection: SimcalSelection | undefined;
  let mixture: Float64Array;
  let gamma: number;
  let mse: SimcalMseTerms | null = null;
  if (withBaseline) {
    const chosen = selectSimcalMixtureByMse({ base, s, t, folds, candidates: inSample, epsilon, shrinkage: (v) => capShrinkage(v, essFloor, varCap), order });
    mixture = chosen.mixture;
    gamma = chosen.gamma;
    mse = chosen.terms;
  } else {
    selection = selectSimcalMixture(inSample, t, folds, ridgeLambda, kind);
    mixture = selection.mixture;
    gamma = capShrinkage(populationVariance(combine(selection.candidates, mixture)), essFloor, varCap);
  }
  // The MSE rule does not need the variance rule's influence matrix: it is computed if asked for.
  const tCopy = Float64Array.from(t);
  const foldsCopy = Float64Array.from(folds);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, s[i]);
    hi = Math.max(hi, s[i]);
  }
  return {
    mixture,
    gamma,
    varBefore: populationVariance(base),
    get selection(): SimcalSelection {
      selection ??= { ...selectSimcalMixture(inSample, tCopy, foldsCopy, ridgeLambda, kind), mixture };
      return selection;
    },
    mse,
    predict(wTest, sTest) {
      if (wTest.length !== sTest.length) throw new RangeError("SIMCal predict: w and s must have equal lengths");
      const clipped = new Float64Array(sTest.length);
      for (let i = 0; i < clipped.length; i++) clipped[i] = sTest[i] < lo ? lo : sTest[i] > hi ? hi : sTest[i];
      const ws = combine(candidates(models, clipped, withBaseline ? meanOne(Float64Array.from(wTest)) : null, epsilon), mixture);
      if (!(gamma > 0)) return ws;
      for (let i = 0; i < ws.length; i++) ws[i] = Math.max(1 + (1 - gamma) * (ws[i] - 1), epsilon);
      return meanOne(ws);
    },
  };
}

/**
 * The reference selection step (`selection: "variance"`): cross-fitted ratio-IF values of each candidate (rows of folds with ≥ 2
 * training rows; others stay 0), their covariance plus a relative ridge, and the
 * minimum-variance convex mixture.
 */
export function selectSimcalMixture(
  candidates: readonly Float64Array[],
  t: ArrayLike<number>,
  folds: ArrayLike<number>,
  ridgeLambda: number,
  kind: "ratio" | "reference" = "ratio",
): SimcalSelection {
  const n = t.length;
  const K = candidates.length;
  const influence = new Float64Array(n * K);
  const foldIds = [...new Set(Array.from(folds))].sort((a, b) => a - b);
  candidates.forEach((u, k) => {
    for (const f of foldIds) {
      let sumU = 0;
      let sumUT = 0;
      let nTrain = 0;
      for (let i = 0; i < n; i++) {
        if (folds[i] === f) continue;
        sumU += u[i];
        sumUT += u[i] * t[i];
        nTrain++;
      }
      if (nTrain < 2) continue;
      const meanU = sumU / nTrain;
      const psi = sumUT / Math.max(sumU, 1e-12);
      const den = Math.max(meanU, 1e-12);
      const normalisation = kind === "reference" ? psi : 0;
      for (let i = 0; i < n; i++) {
        if (folds[i] === f) influence[i * K + k] = (u[i] * (t[i] - psi) - normalisation * (u[i] - meanU)) / den;
      }
    }
  });
  const sigma = addRelativeRidge(columnCovariance(influence, n, K), K, ridgeLambda);
  return { candidates, influence, mixture: minVarianceSimplex(sigma, K, { maxPasses: 20, tolerance: 1e-10 }) };
}

/**
 * The candidates at index values `s`: [baseline, increasing, decreasing] (or the two projections
 * without a baseline), each floored at ε and made mean-one; `baseline` is copied.
 */
function candidates(models: readonly IsotonicModel[], s: ArrayLike<number>, baseline: Float64Array | null, epsilon: number): Float64Array[] {
  const increasing = floorMeanOne(models[0].predict(s), epsilon);
  const decreasing = floorMeanOne(models[1].predict(s), epsilon);
  return baseline === null ? [increasing, decreasing] : [floorMeanOne(Float64Array.from(baseline), epsilon), increasing, decreasing];
}

/** Weighted sum Σ_k π_k·cand_k. */
function combine(candidates: readonly Float64Array[], mixture: Float64Array): Float64Array {
  const out = new Float64Array(candidates[0].length);
  candidates.forEach((c, k) => {
    for (let i = 0; i < out.length; i++) out[i] += mixture[k] * c[i];
  });
  return out;
}

/**
 * Smallest shrinkage γ ∈ [0, 1] toward one (variance scales by (1 − γ)²) that meets both the ESS
 * floor (variance ≤ 1/floor − 1) and the variance cap.
 */
function capShrinkage(variance: number, essFloor: number, varCap: number): number {
  if (!(variance > 0)) return 0;
  let gamma = 0;
  const vEss = 1 / essFloor - 1;
  if (variance > vEss) gamma = Math.max(gamma, 1 - Math.sqrt(vEss / variance));
  if (variance > varCap) gamma = Math.max(gamma, 1 - Math.sqrt(varCap / variance));
  return Math.min(Math.max(gamma, 0), 1);
}

function normalisedWeights(w: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(w);
  for (let i = 0; i < out.length; i++) {
    if (!(Number.isFinite(out[i]) && out[i] >= 0)) throw new CjeInputError(`SIMCal: weight ${out[i]} at row ${i} is not finite and ≥ 0`);
  }
  if (!(out.reduce((a, b) => a + b, 0) > 0)) throw new CjeInputError("SIMCal: every weight is zero");
  return meanOne(out);
}

function floorMeanOne(values: Float64Array, epsilon: number): Float64Array {
  for (let i = 0; i < values.length; i++) if (values[i] < epsilon) values[i] = epsilon;
  return meanOne(values);
}

/** Population variance (divide by n). */
export function populationVariance(values: ArrayLike<number>): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return ss / n;
}
