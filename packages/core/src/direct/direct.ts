/**
 * The Direct-mode estimator: calibrated mean with residual augmentation, and its two inference
 * paths (method-direct §2.4–§2.6):
 *
 * - `analytic` (default): cluster-robust (CRV1) variance of the pseudo-outcomes, stratified by
 *   labelled clusters, plus — for estimates through the calibrator alone — the OUA delete-a-group
 *   jackknife for calibration uncertainty (up to 50 groups of labelled prompts, see
 *   calibration/jackknife-groups.ts and `calibrationVarianceApplies`), Welch–Satterthwaite df,
 *   Student-t intervals;
 * - `bootstrap`: positive exponential cluster weights, the calibrator refitted (mode selection
 *   included) in every replicate, percentile intervals — floored by the analytic interval: when the
 *   analytic interval is wider, it is reported instead (`intervalSource`).
 *
 * Why analytic is the default (a deviation from the reference, whose default is the bootstrap): in
 * our Monte Carlo (core README, "Intervals") the analytic intervals cover 0.93–0.97 at ≤ 1.15× the
 * ideal width from about 50 labels on, while the floored bootstrap over-covers where labels are few
 * (5% of 1,000: coverage 0.98–1.00 at ~1.2× the ideal width) — re-selecting the calibration mode in
 * every replicate adds variability the point estimate does not have.
 *
 * Why the floor (a deviation from the reference): exponential (Dirichlet) weights understate the
 * variance of a weighted mean of n values by (n − 1)/(n + 1), and an isotonic calibrator is a set of
 * block means of a few labels each. With 50 labels, the bootstrap SE of a policy evaluated through
 * the calibrator alone came out ~20% too small in our Monte Carlo (coverage 0.85–0.89, with coarse
 * or continuous judge scores alike), while the jackknife stayed close to the true SD. With 250
 * labels the two agree and the floor rarely binds.
 */
import type { CalibrationMode, Calibrator } from "../calibration/autocal.js";
import { summarizeBootstrapColumn, summarizeDraws } from "../numeric/bootstrap.js";
import { clusterRobustVariance, clusterTotalsVariance } from "../numeric/cluster-robust.js";
import { analyticInterval } from "../numeric/analytic-interval.js";
import { studentTSf } from "../numeric/distributions.js";
import { directPointEstimate, type DirectPointResult, type DirectRoute, type LabelDesign } from "./direct-point.js";
import { checkResourceOptions } from "../numeric/resource-limits.js";
import { bootstrapThreads, startBootstrapDirect } from "./direct-bootstrap.js";
import { DirectWorld, directWorldSpec, type CalibrationSource, type DirectWorldSpec } from "./direct-world.js";
import type { EvalTable } from "./eval-table.js";

export type { CalibrationSource } from "./direct-world.js";

/** Default number of bootstrap replicates. */
export const DEFAULT_BOOTSTRAP_REPLICATES = 2000;
/** Default bootstrap seed. */
export const DEFAULT_BOOTSTRAP_SEED = 42;

/** Inference path. */
export type InferenceMethod = "bootstrap" | "analytic";

/** Default inference path of Direct estimates (see the module comment). */
export const DEFAULT_INFERENCE: InferenceMethod = "analytic";

/** Options of {@link estimateDirect}. */
export interface DirectOptions {
  readonly inference?: InferenceMethod;
  readonly replicates?: number;
  readonly seed?: number;
  readonly alpha?: number;
  readonly augment?: boolean;
  readonly design?: LabelDesign;
  readonly calibrationMode?: CalibrationMode;
  readonly nFolds?: number;
  readonly foldSeed?: number;
  /**
   * Threads computing bootstrap replicates; 1 = this thread only: with `@cjeval/core/node` loaded, this thread and
   * `threads − 1` worker threads; in `estimateDirectAsync` where Web Workers exist, `threads` Web Workers. Default: all
   * cores, up to 8, for large problems (replicates × rows ≥ 4 000 000), 1 for small ones.
   */
  readonly threads?: number;
}

/** Inference for one policy, in internal units. */
export interface PolicyInference {
  readonly estimate: number;
  readonly se: number;
  readonly ci: readonly [number, number];
  /** Student-t degrees of freedom (analytic path). */
  readonly df?: number | undefined;
  readonly route: DirectRoute;
  readonly plugIn: number;
  readonly correction: number;
  /** Sampling variance (CRV1) and calibration variance (OUA jackknife), analytic path. */
  readonly varianceComponents?: { readonly sampling: number; readonly calibration: number };
  /** Distinct prompt clusters of the policy. */
  readonly nClusters: number;
  /** Which interval is reported on the bootstrap path: the percentile one, or the wider analytic one. */
  readonly intervalSource?: "bootstrap" | "analytic";
  /** The bootstrap's own SE and percentile interval (bootstrap path). */
  readonly bootstrap?: { readonly se: number; readonly ci: readonly [number, number] };
}

/** A paired comparison θ_i − θ_j on shared prompts. */
export interface PairedComparison {
  readonly i: number;
  readonly j: number;
  readonly difference: number;
  readonly se: number;
  readonly ci: readonly [number, number];
  readonly pValue: number;
  readonly method: "paired_bootstrap" | "paired_analytic";
  readonly df?: number;
}

/** Result of {@link estimateDirect} (internal units). */
export interface DirectEstimate {
  readonly method: InferenceMethod;
  readonly policies: PolicyInference[];
  readonly comparisons: PairedComparison[];
  readonly calibrator: Calibrator | null;
  readonly point: DirectPointResult;
  readonly alpha: number;
  /** Bootstrap replicate matrix (B × P, row-major), bootstrap path only. */
  readonly bootstrapMatrix?: Float64Array;
  readonly replicates?: number;
  readonly seed?: number;
}

/**
 * Estimates every policy of `table`. `calibration` = null runs without a calibrator: fully labelled
 * policies get their oracle mean, others the raw judge mean (the caller flags them UNCALIBRATED).
 * `estimateDirectAsync` (direct-async.ts) gives the same estimate without blocking on the bootstrap.
 */
export function estimateDirect(table: EvalTable, calibration: CalibrationSource | null, options: DirectOptions = {}): DirectEstimate {
  const plan = planDirect(table, calibration, options);
  // Bootstrap workers start first: their start-up overlaps building this thread's world, the point
  // estimate and the analytic inference.
  const run =
    plan.method === "bootstrap"
      ? startBootstrapDirect(plan.spec, plan.replicates, plan.seed, bootstrapThreads(plan.replicates, table.scores.length, options.threads))
      : null;
  const { world, fitted } = fitDirect(plan, run);
  return completeDirect(plan, fitted, run === null ? null : run.finish(world).matrix);
}

/** A Direct problem with its options checked and defaulted. */
export interface DirectPlan {
  readonly spec: DirectWorldSpec;
  readonly method: InferenceMethod;
  readonly replicates: number;
  readonly seed: number;
  readonly alpha: number;
}

/** Checks the options of a Direct estimate and resolves their defaults. */
export function planDirect(table: EvalTable, calibration: CalibrationSource | null, options: DirectOptions): DirectPlan {
  const spec = directWorldSpec(table, calibration, {
    ...(options.augment !== undefined ? { augment: options.augment } : {}),
    ...(options.design !== undefined ? { design: options.design } : {}),
    ...(options.calibrationMode !== undefined ? { calibrationMode: options.calibrationMode } : {}),
    ...(options.nFolds !== undefined ? { nFolds: options.nFolds } : {}),
    ...(options.foldSeed !== undefined ? { foldSeed: options.foldSeed } : {}),
  });
  checkResourceOptions(options);
  return {
    spec,
    method: options.inference ?? DEFAULT_INFERENCE,
    replicates: options.replicates ?? DEFAULT_BOOTSTRAP_REPLICATES,
    seed: options.seed ?? DEFAULT_BOOTSTRAP_SEED,
    alpha: options.alpha ?? 0.05,
  };
}

/** The calibrator, point estimate and analytic inference of a Direct problem. */
export interface FittedDirect {
  readonly calibrator: Calibrator | null;
  readonly point: DirectPointResult;
  readonly analytic: PolicyInference[];
  readonly analyticPairs: PairedComparison[];
}

/**
 * Builds this thread's world and fits the calibrator, the point estimate and the analytic inference;
 * on failure, abandons the bootstrap `run` already started.
 */
export function fitDirect(plan: DirectPlan, run: { abandon(): void } | null): { world: DirectWorld; fitted: FittedDirect } {
  try {
    const world = new DirectWorld(plan.spec);
    return { world, fitted: fitWorld(world, plan.alpha) };
  } catch (error) {
    run?.abandon();
    throw error;
  }
}

/** The estimate of a fitted problem: analytic, or from the bootstrap's B × P replicate `matrix`. */
export function completeDirect(plan: DirectPlan, fitted: FittedDirect, matrix: Float64Array | null): DirectEstimate {
  const { method, alpha } = plan;
  const { calibrator, point, analytic, analyticPairs } = fitted;
  if (matrix === null) return { method, policies: analytic, comparisons: analyticPairs, calibrator, point, alpha };
  const P = plan.spec.table.policies.length;
  const policies = analytic.map((a, p): PolicyInference => {
    if (a.nClusters < 2) return { ...a, se: Number.NaN, ci: [Number.NaN, Number.NaN] };
    const s = summarizeBootstrapColumn(matrix, P, p, alpha);
    const bootstrap = { se: s.se, ci: [s.lower, s.upper] as const };
    // The wider of the percentile and analytic intervals (see the module comment).
    return s.upper - s.lower >= a.ci[1] - a.ci[0]
      ? { ...a, se: s.se, ci: bootstrap.ci, df: undefined, intervalSource: "bootstrap", bootstrap }
      : { ...a, intervalSource: "analytic", bootstrap };
  });
  return {
    method,
    policies,
    comparisons: mergeComparisons(bootstrapComparisons(point.estimates, matrix, P, alpha, analytic), analyticPairs),
    calibrator,
    point,
    alpha,
    bootstrapMatrix: matrix,
    replicates: plan.replicates,
    seed: plan.seed,
  };
}

function fitWorld(world: DirectWorld, alpha: number): FittedDirect {
  const { table } = world.spec;
  const { calibrator, inputs } = world.fullFit();
  const pseudo = new Float64Array(table.scores.length);
  const point = directPointEstimate(inputs, pseudo);
  // Analytic inference (always computed: it is cheap, and it floors the bootstrap).
  // The calibration jackknife: the whole functional re-evaluated with each group-deleted
  // calibrator (its full model for calibrated values; the residuals move with it, see
  // DirectWorld.refitInputs). Only plug-in estimates and their comparisons carry it (see
  // calibrationVarianceApplies), so it is skipped when there are none. With an augmented policy too,
  // each replicate is evaluated a second time with the group's labels deleted from the residual
  // corrections (see analyticComparisons).
  const withoutLabels: Float64Array[] | null = point.routes.includes("augmented") && world.everyLabelCalibrates ? [] : null;
  const jackknife: Jackknife = { estimates: [], withoutLabels, df: calibrator?.jackknifeDf ?? 0 };
  if (calibrator !== null && point.routes.includes("plug_in")) {
    const buffer = new Float64Array(table.points.size);
    const residualBuffer = new Float64Array(table.labelledRows.length);
    const labelWeights = new Float64Array(table.labelledRows.length);
    const groupIds = calibrator.jackknifeGroupIds;
    calibrator.jackknife().forEach((cal, g) => {
      const replicate = world.refitInputs(cal, null, buffer, residualBuffer);
      jackknife.estimates.push(directPointEstimate(replicate).estimates);
      withoutLabels?.push(directPointEstimate({ ...replicate, labelWeights: world.jackknifeLabelWeights(g, groupIds, labelWeights) }).estimates);
    });
  }
  return {
    calibrator,
    point,
    analytic: analyticInference(table, pseudo, point, jackknife, alpha),
    analyticPairs: analyticComparisons(table, { pseudo, calibrated: inputs.calibrated }, point, jackknife, alpha),
  };
}

/** Per-policy estimates of each jackknife calibrator, and the jackknife variance's df. */
interface Jackknife {
  readonly estimates: Float64Array[];
  /**
   * The same replicates with the group's labels deleted from the residual corrections too, for the
   * label-coupled comparisons; `null` without an augmented policy, or when some labelled row is not a
   * calibration row (its label could not be deleted).
   */
  readonly withoutLabels: Float64Array[] | null;
  readonly df: number;
}

/**
 * Whether an estimate by `route` carries the calibration jackknife variance: only a plug-in estimate
 * (the calibrator alone, no labels of its own) does.
 *
 * Why not the augmented route (a deviation from the reference, which adds the OUA jackknife to every
 * calibrated estimate): its estimate, mean f̂ + mean of its own out-of-fold residuals, has influence
 * function f(S) − θ + (L/π)(Y − f(S)), in which an error of f̂ cancels to first order — the residual
 * mean corrects exactly what the calibrator gets wrong on the policy's own rows. Its pseudo-outcomes'
 * variance, stratified by labelled clusters, is the whole first-order variance, labels' uncertainty
 * included. Adding the jackknife counts the calibrator twice: in our Monte Carlo (core README,
 * "Intervals") the augmented SE came out 1.13–1.23× the estimate's true SD with it (coverage
 * 0.97–0.98 from 20 to 80 labels) and 0.95–1.03× without it (coverage 0.93–0.96).
 */
function calibrationVarianceApplies(route: DirectRoute): boolean {
  return route === "plug_in";
}

/** 1 for each table row with an oracle label, 0 otherwise: the strata of the sampling variance. */
function labelledRows(table: EvalTable): Uint8Array {
  return Uint8Array.from(table.labelledIndex, (li) => (li >= 0 ? 1 : 0));
}

/**
 * Analytic inference per policy: CRV1 variance of the pseudo-outcomes, stratified by labelled
 * clusters (see `clusterTotalsVariance`), plus the OUA jackknife variance for plug-in estimates,
 * Satterthwaite df, Student-t interval.
 */
function analyticInference(table: EvalTable, pseudo: Float64Array, point: DirectPointResult, jackknife: Jackknife, alpha: number): PolicyInference[] {
  const G = table.clusterIds.length;
  const scratch = new Float64Array(G);
  const labelled = labelledRows(table);
  return table.policies.map((_, p) => {
    const crv = clusterRobustVariance(pseudo, table.cluster, G, table.policyStart[p], table.policyStart[p + 1], scratch, labelled);
    const applies = jackknife.estimates.length >= 2 && calibrationVarianceApplies(point.routes[p]);
    const interval = analyticInterval({
      estimate: point.estimates[p],
      samplingVariance: crv.variance,
      samplingDf: crv.df,
      jackknife: applies ? jackknife.estimates.map((est) => est[p]) : null,
      jackknifeDf: jackknife.df,
      alpha,
      // A mean of values in [0, 1] lies in [0, 1]: the interval is formed on its logit scale.
      bounds: [0, 1],
    });
    return {
      estimate: point.estimates[p],
      se: interval.se,
      ci: interval.ci,
      df: interval.df,
      route: point.routes[p],
      plugIn: point.plugIn[p],
      correction: point.corrections[p],
      varianceComponents: { sampling: crv.variance, calibration: interval.calibrationVariance },
      nClusters: crv.nClusters,
    };
  });
}

/** Minimum paired bootstrap deltas for a bootstrap comparison. */
const MIN_PAIRED_DELTAS = 100;

function bootstrapComparisons(
  estimates: Float64Array,
  matrix: Float64Array,
  P: number,
  alpha: number,
  analytic: readonly PolicyInference[],
): PairedComparison[] {
  const B = matrix.length / P;
  const out: PairedComparison[] = [];
  if (B < MIN_PAIRED_DELTAS) return out;
  const deltas = new Float64Array(B);
  for (let i = 0; i < P; i++) {
    for (let j = i + 1; j < P; j++) {
      if (analytic[i].nClusters < 2 || analytic[j].nClusters < 2) continue;
      let le = 0;
      let ge = 0;
      for (let b = 0; b < B; b++) {
        const d = matrix[b * P + i] - matrix[b * P + j];
        deltas[b] = d;
        if (d <= 0) le++;
        if (d >= 0) ge++;
      }
      const s = summarizeDraws(deltas, alpha);
      out.push({
        i,
        j,
        difference: estimates[i] - estimates[j],
        se: s.se,
        ci: [s.lower, s.upper],
        pValue: Math.min(1, (2 * Math.min(1 + le, 1 + ge)) / (B + 1)),
        method: "paired_bootstrap",
      });
    }
  }
  return out;
}

/**
 * For each pair, the wider of the paired-bootstrap and analytic comparisons (see the module
 * comment).
 */
function mergeComparisons(bootstrap: PairedComparison[], analytic: PairedComparison[]): PairedComparison[] {
  return bootstrap.map((b) => {
    const a = analytic.find((c) => c.i === b.i && c.j === b.j);
    return a !== undefined && a.ci[1] - a.ci[0] > b.ci[1] - b.ci[0] ? a : b;
  });
}

/**
 * Analytic paired comparisons θ_i − θ_j on shared prompts: the CRV1 variance of the paired
 * per-prompt influence differences (stratified by labelled clusters), plus the jackknife of the
 * difference when either side is a plug-in estimate.
 *
 * A residual-augmented estimate compared with a plug-in one is label-coupled: the augmented side's
 * error is its own label residuals' mean, the plug-in side's is the calibrator's error over its
 * scores, and both move with the same labels — the calibrator is mean-preserving, so labels that
 * run high raise both. Adding the two variances ignores that covariance, which is positive, and so
 * overstates the variance: these intervals were 3–5× the difference's true SD (core README,
 * "Intervals"). For such a pair a second interval takes the labels' part from the jackknife of the
 * difference alone, each replicate deleting the group's labels from the calibrator and from the
 * residual mean, with the augmented side's calibrated values without its residual term in the
 * sampling part, so that nothing is counted twice. That jackknife is conservative too (upward-biased
 * for an isotonic calibrator, Efron–Stein), so the narrower of the two is reported; its residuals move
 * with each replicate's full model (DirectWorld.refitInputs). Measured on the synthetic world
 * (width / ideal, covering 0.95–0.99): 5 labels 1.86–1.88×, 13 labels 1.51×, 50 labels 1.14–1.20×,
 * 250 labels 1.00–1.01×; the two variances added gave 4.2×, 2.9–3.3×, 3.4–3.9× and 2.8–3.0×.
 */
function analyticComparisons(
  table: EvalTable,
  values: { readonly pseudo: Float64Array; readonly calibrated: Float64Array | null },
  point: DirectPointResult,
  jackknife: Jackknife,
  alpha: number,
): PairedComparison[] {
  const P = table.policies.length;
  const G = table.clusterIds.length;
  const withJackknife = jackknife.estimates.length >= 2;
  const withoutLabels = jackknife.withoutLabels;
  const coupled = (p: number, q: number) => withJackknife && withoutLabels !== null && point.routes[p] === "augmented" && point.routes[q] === "plug_in";
  const needsCalibratedPart = (p: number) => values.calibrated !== null && point.routes.some((_, q) => coupled(p, q));
  // Per-prompt mean influence c_p[g] = Σ_{rows of g in p} ψ / n_p, and for an augmented policy in a
  // label-coupled pair the same without its residual term (f − plug-in mean).
  const contributions: Float64Array[] = [];
  const calibratedParts: (Float64Array | null)[] = [];
  const present: Uint8Array[] = [];
  for (let p = 0; p < P; p++) {
    const c = new Float64Array(G);
    const has = new Uint8Array(G);
    const a = table.policyStart[p];
    const b = table.policyStart[p + 1];
    const n = b - a;
    for (let r = a; r < b; r++) {
      c[table.cluster[r]] += (values.pseudo[r] - point.estimates[p]) / n;
      has[table.cluster[r]] = 1;
    }
    let f: Float64Array | null = null;
    if (needsCalibratedPart(p)) {
      const calibrated = values.calibrated as Float64Array;
      f = new Float64Array(G);
      for (let r = a; r < b; r++) f[table.cluster[r]] += (calibrated[table.points.rowToPoint[r]] - point.plugIn[p]) / n;
    }
    contributions.push(c);
    calibratedParts.push(f);
    present.push(has);
  }
  const labelledCluster = new Uint8Array(G);
  const labelled = labelledRows(table);
  const out: PairedComparison[] = [];
  const totals = new Float64Array(G);
  const codes: number[] = [];
  for (let i = 0; i < P; i++) {
    for (let j = i + 1; j < P; j++) {
      codes.length = 0;
      for (let g = 0; g < G; g++) if (present[i][g] || present[j][g]) codes.push(g);
      if (codes.length < 2) continue;
      labelledCluster.fill(0);
      for (const p of [i, j]) for (let r = table.labelledStart[p]; r < table.policyStart[p + 1]; r++) labelledCluster[table.cluster[r]] = labelled[r];
      const difference = point.estimates[i] - point.estimates[j];
      /** The interval from per-prompt contributions `ci`, `cj` and jackknife replicates (`null` = none). */
      const intervalOf = (ci: Float64Array, cj: Float64Array, replicates: Float64Array[] | null) => {
        for (const g of codes) totals[g] = ci[g] - cj[g];
        const sampling = clusterTotalsVariance(totals, codes, labelledCluster);
        return analyticInterval({
          estimate: difference,
          samplingVariance: sampling.variance,
          samplingDf: sampling.df,
          jackknife: replicates === null ? null : replicates.map((est) => est[i] - est[j]),
          jackknifeDf: jackknife.df,
          alpha,
        });
      };
      // The difference carries the jackknife when either side does; shared calibrator error largely
      // cancels in the difference of the group-deleted estimates.
      const withCalibration = withJackknife && (calibrationVarianceApplies(point.routes[i]) || calibrationVarianceApplies(point.routes[j]));
      let interval = intervalOf(contributions[i], contributions[j], withCalibration ? jackknife.estimates : null);
      if (coupled(i, j) || coupled(j, i)) {
        // Both are conservative; the narrower is reported (see the function comment).
        const joint = intervalOf(
          coupled(i, j) ? (calibratedParts[i] as Float64Array) : contributions[i],
          coupled(j, i) ? (calibratedParts[j] as Float64Array) : contributions[j],
          withoutLabels as Float64Array[],
        );
        if (joint.ci[1] - joint.ci[0] < interval.ci[1] - interval.ci[0]) interval = joint;
      }
      if (!(interval.se > 0)) continue;
      out.push({
        i,
        j,
        difference,
        se: interval.se,
        ci: interval.ci,
        pValue: 2 * studentTSf(Math.abs(difference / interval.se), interval.df),
        method: "paired_analytic",
        df: interval.df,
      });
    }
  }
  return out;
}
