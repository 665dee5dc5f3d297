/**
 * AutoCal-R: cross-fitted, mean-preserving calibration of judge scores S (optionally with
 * covariates X) to oracle labels Y (method-direct §2.3).
 *
 * {@link AutoCalFitter} does the one-off work for a set of labelled rows — fold assignment, sort
 * orders, spline bases — so that {@link AutoCalFitter.fit} can be called thousands of times with
 * new positive weights (the bootstrap refits the calibrator, mode selection included, in every
 * replicate).
 */
import { CjeInputError } from "../errors/input-error.js";
import { gatherRows, rowsWith, rowsWithout } from "../numeric/rows.js";
import { assignFolds, DEFAULT_FOLD_SEED, DEFAULT_N_FOLDS, resolveFoldCount } from "./folds.js";
import { IsotonicFitter, isotonicOrder, subsetOrder, type IsotonicModel } from "./isotonic.js";
import { jackknifeDegreesOfFreedom, jackknifeGroupCount, jackknifeGroups } from "./jackknife-groups.js";
import { selectCalibrationMode, stableOrder, type ModeSelection } from "./mode-selection.js";
import { CalibrationPoints } from "./points.js";
import { INDEX_MODEL_MIN_ROWS } from "./index-model.js";
import { TwoStageFitter } from "./two-stage.js";

/** Requested calibration mode. `auto` chooses per fit (and per bootstrap world). */
export type CalibrationMode = "monotone" | "two_stage" | "auto";

/** Calibration mode actually used by a fitted calibrator. */
export type SelectedMode = "monotone" | "two_stage";

/** Labelled rows a calibrator is fitted on. */
export interface CalibrationData {
  /** Judge score of each labelled row (any finite scale; isotonic is scale-free). */
  readonly scores: ArrayLike<number>;
  /** Oracle label of each row, in [0, 1]. */
  readonly labels: ArrayLike<number>;
  /** Prompt cluster of each row: folds are assigned per cluster. */
  readonly clusterIds: readonly string[];
  /** Optional covariate columns (each aligned with `scores`); they force the two-stage mode. */
  readonly covariates?: readonly ArrayLike<number>[];
  /** Optional positive base weights (e.g. design weights 1/π). */
  readonly weights?: ArrayLike<number>;
}

/** Options of the calibrator. */
export interface CalibratorOptions {
  /** Default `auto` without covariates, `two_stage` with covariates. */
  readonly mode?: CalibrationMode;
  /** Requested folds (default 5; fewer when labelled clusters are few). */
  readonly nFolds?: number;
  /** Fold seed (default 42). */
  readonly seed?: number;
  /** Spline knots for the two-stage index (default 8). */
  readonly nSplines?: number;
}

/** In-sample and out-of-fold accuracy of a fitted calibrator on its labelled rows. */
export interface CalibrationDiagnostics {
  readonly rmse: number;
  readonly oofRmse: number;
  /** Share of rows with |f(S) − Y| ≤ 0.1 (internal units). */
  readonly coverage01: number;
  readonly oofCoverage01: number;
}

/** A fitted, cross-fitted calibrator. Predictions are clipped to [0, 1]. */
export interface Calibrator {
  readonly requestedMode: CalibrationMode;
  readonly selectedMode: SelectedMode;
  /** Folds actually used. */
  readonly nFolds: number;
  /** Fold of each labelled row. */
  readonly foldIds: Int32Array;
  /** Out-of-fold prediction of each labelled row (selected mode). */
  readonly oofPredictions: Float64Array;
  /** The `auto` selection details (absent when a mode was forced). */
  readonly selection?: ModeSelection;
  /** Range of the labelled judge scores. */
  readonly labelledScoreRange: readonly [number, number];
  /** Range of full-model calibrated values on the labelled rows. */
  readonly rewardRange: readonly [number, number];
  /** True when the monotone fit collapsed to a constant although labels vary (judge may be inverted). */
  readonly degenerate: boolean;
  /** Whether covariates are part of the model. */
  readonly usesCovariates: boolean;
  /** Full-model prediction at every point. */
  predict(points: CalibrationPoints, out?: Float64Array): Float64Array;
  /** Prediction of the model fitted without fold `fold`. */
  predictFold(fold: number, points: CalibrationPoints, out?: Float64Array): Float64Array;
  /**
   * The calibration jackknife: one calibrator per group of labelled prompt clusters, refitted
   * without that group (same cross-fitting folds, the selected mode fixed). Computed once, on
   * first use. Re-evaluating an estimate with each of them and taking
   * `((J − 1)/J) · Σ_g (θ_g − θ̄)²` gives its calibration variance, with {@link jackknifeDf}
   * degrees of freedom.
   */
  jackknife(): readonly Calibrator[];
  /**
   * Group of each labelled row (aligned with the calibration rows) in the calibration jackknife:
   * `jackknife()[g]` was fitted without the rows of group g. An estimator whose own terms use the
   * labels (a residual correction) deletes the same rows from them in replicate g.
   */
  readonly jackknifeGroupIds: Int32Array;
  /**
   * Degrees of freedom of the jackknife calibration variance: min(J − 1, labelled clusters − level sets of the full
   * fit), see `jackknifeDegreesOfFreedom`.
   */
  readonly jackknifeDf: number;
  /** Convenience: full-model predictions for raw scores (and covariate columns). */
  predictScores(scores: ArrayLike<number>, covariates?: readonly ArrayLike<number>[]): Float64Array;
  /** Accuracy on the labelled rows. */
  diagnostics(): CalibrationDiagnostics;
}

interface FoldPlan {
  readonly train: Int32Array;
  readonly held: Int32Array;
  readonly heldPoints: CalibrationPoints;
  readonly mono: IsotonicFitter;
  readonly two: TwoStageFitter | null;
  readonly trainWeights: Float64Array;
}

/** One-off preparation of a calibration fit; call {@link fit} for each weight vector. */
export class AutoCalFitter {
  readonly n: number;
  readonly nFolds: number;
  readonly foldIds: Int32Array;
  readonly requestedMode: CalibrationMode;
  readonly usesCovariates: boolean;
  readonly nClusters: number;
  /** Prompt cluster of each labelled row. */
  readonly clusterIds: readonly string[];
  private readonly scores: Float64Array;
  private readonly labels: Float64Array;
  private readonly baseWeights: Float64Array | null;
  private readonly folds: FoldPlan[];
  private readonly monoFull: IsotonicFitter;
  private readonly twoFull: TwoStageFitter | null;
  private readonly fitPoints: CalibrationPoints;
  private readonly scoreOrder: Int32Array;
  private readonly fitWeights: Float64Array;

  constructor(data: CalibrationData, options: CalibratorOptions = {}) {
    const n = data.scores.length;
    if (data.labels.length !== n || data.clusterIds.length !== n) {
      throw new CjeInputError(`calibration rows are misaligned: ${n} scores, ${data.labels.length} labels, ${data.clusterIds.length} cluster ids`);
    }
    this.n = n;
    this.scores = Float64Array.from(data.scores);
    this.labels = Float64Array.from(data.labels);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(this.scores[i])) throw new CjeInputError(`calibration row ${i}: judge score is not finite`);
      const y = this.labels[i];
      if (!(y >= 0 && y <= 1)) throw new CjeInputError(`calibration row ${i}: oracle label ${y} is outside [0, 1]`);
    }
    const covariates = data.covariates !== undefined && data.covariates.length > 0 ? data.covariates.map((c) => Float64Array.from(c)) : undefined;
    this.usesCovariates = covariates !== undefined;
    const mode = options.mode ?? (this.usesCovariates ? "two_stage" : "auto");
    if (mode === "monotone" && this.usesCovariates) {
      throw new CjeInputError("covariates need the two_stage or auto calibration mode; monotone calibration uses the judge score alone");
    }
    this.requestedMode = this.usesCovariates ? "two_stage" : mode;
    if (data.weights !== undefined) {
      this.baseWeights = Float64Array.from(data.weights);
      this.baseWeights.forEach((w, i) => {
        if (!(w > 0 && Number.isFinite(w))) throw new CjeInputError(`calibration row ${i}: weight ${w} must be finite and > 0`);
      });
    } else {
      this.baseWeights = null;
    }
    this.clusterIds = data.clusterIds.slice();
    this.nClusters = new Set(data.clusterIds).size;
    this.nFolds = resolveFoldCount(this.nClusters, options.nFolds ?? DEFAULT_N_FOLDS);
    this.foldIds = assignFolds(data.clusterIds, this.nFolds, options.seed ?? DEFAULT_FOLD_SEED);
    const nSplines = options.nSplines ?? 8;
    const needTwo = this.requestedMode !== "monotone";
    // One sort of the rows by (score, label) serves the full monotone fitter and every fold's.
    const order = isotonicOrder(this.scores, this.labels);
    this.folds = [];
    for (let k = 0; k < this.nFolds; k++) {
      const trainIdx = rowsWithout(this.foldIds, k);
      const heldIdx = rowsWith(this.foldIds, k);
      if (trainIdx.length === 0 || heldIdx.length === 0) {
        throw new CjeInputError(`calibration fold ${k} is empty; provide more labelled prompt clusters`);
      }
      const trainScores = gatherRows(this.scores, trainIdx);
      const trainLabels = gatherRows(this.labels, trainIdx);
      this.folds.push({
        train: trainIdx,
        held: heldIdx,
        heldPoints: CalibrationPoints.of(
          gatherRows(this.scores, heldIdx),
          covariates?.map((c) => gatherRows(c, heldIdx)),
        ),
        mono: new IsotonicFitter(trainScores, trainLabels, { order: subsetOrder(order, trainIdx) }),
        two: needTwo
          ? new TwoStageFitter(
              trainScores,
              covariates?.map((c) => gatherRows(c, trainIdx)),
              trainLabels,
              nSplines,
            )
          : null,
        trainWeights: new Float64Array(trainIdx.length),
      });
    }
    this.monoFull = new IsotonicFitter(this.scores, this.labels, { order });
    this.twoFull = needTwo && n >= INDEX_MODEL_MIN_ROWS ? new TwoStageFitter(this.scores, covariates, this.labels, nSplines) : null;
    this.fitPoints = CalibrationPoints.of(this.scores, covariates);
    this.scoreOrder = stableOrder(this.scores);
    this.fitWeights = new Float64Array(n);
  }

  /**
   * Fits every fold model and the full model with weights `baseWeight × extraWeights`
   * (`extraWeights` = bootstrap or jackknife weights, aligned with the rows, ≥ 0; `null` = none).
   * `fixedMode` skips the `auto` selection and fits that mode.
   */
  fit(extraWeights: ArrayLike<number> | null = null, fixedMode?: SelectedMode): Calibrator {
    const n = this.n;
    let weights: Float64Array | null = null;
    if (extraWeights !== null || this.baseWeights !== null) {
      weights = this.fitWeights;
      for (let i = 0; i < n; i++) {
        weights[i] = (this.baseWeights === null ? 1 : this.baseWeights[i]) * (extraWeights === null ? 1 : extraWeights[i]);
      }
    }
    const mode: CalibrationMode = fixedMode ?? this.requestedMode;
    const stored = weights === null ? null : Float64Array.from(weights);
    let selection: ModeSelection | undefined;
    let selected: SelectedMode;
    let folds: () => FoldModels;
    if (mode === "auto") {
      // The selection compares both modes out of fold: every fold model is needed now.
      const mono = this.fitFolds(stored, "monotone");
      const two = this.fitFolds(stored, "two_stage");
      selection = selectCalibrationMode(this.scores, this.labels, mono.oof, two.oof, stored, this.scoreOrder);
      selected = selection.selected;
      const chosen = selected === "monotone" ? mono : two;
      folds = () => chosen;
    } else {
      // A fixed mode (jackknife refits, bootstrap replicates after the first) needs its fold models only
      // when out-of-fold predictions are asked for — the off-policy jackknife never asks — so they are
      // fitted on first use, with this fit's weights.
      selected = mode;
      let cached: FoldModels | undefined;
      folds = () => {
        cached ??= this.fitFolds(stored, mode);
        return cached;
      };
    }
    let full: { predict(points: CalibrationPoints, out?: Float64Array): Float64Array };
    let degenerate = false;
    if (selected === "monotone" || this.twoFull === null) {
      const model = this.monoFull.fit(stored);
      full = { predict: (points, out) => predictMonotone(model, points, out) };
      degenerate = selected === "monotone" && model.knotY[0] === model.knotY[model.knotY.length - 1] && !isConstant(this.labels);
    } else {
      const model = this.twoFull.fit(stored);
      full = model;
    }
    return new FittedCalibrator(this, {
      selected,
      selection,
      full,
      folds,
      degenerate,
      weights: stored,
      extra: extraWeights === null ? null : Float64Array.from(extraWeights),
    });
  }

  /**
   * The fold models of `mode` fitted with `weights` (aligned with the rows; `null` = unit weights), and
   * the out-of-fold prediction of every row. Without a two-stage fitter (too few rows) the two-stage
   * folds fall back to the monotone ones, as the full model does.
   */
  private fitFolds(weights: Float64Array | null, mode: SelectedMode): FoldModels {
    const oof = new Float64Array(this.n);
    const scratch = new Float64Array(this.n);
    const foldPredict: FoldModels["foldPredict"] = [];
    for (const fold of this.folds) {
      let w: Float64Array | null = null;
      if (weights !== null) {
        w = fold.trainWeights;
        for (let j = 0; j < fold.train.length; j++) w[j] = weights[fold.train[j]];
      }
      if (mode === "two_stage" && fold.two !== null) {
        const model = fold.two.fit(w);
        foldPredict.push((points, out) => model.predict(points, out));
        scatterPredictions(model.predict(fold.heldPoints, scratch), fold, oof);
      } else {
        const model = fold.mono.fit(w);
        foldPredict.push((points, out) => predictMonotone(model, points, out));
        scatterPredictions(predictMonotone(model, fold.heldPoints, scratch), fold, oof);
      }
    }
    return { foldPredict, oof };
  }

  /** @internal used by {@link FittedCalibrator} */
  get internals(): { scores: Float64Array; labels: Float64Array; fitPoints: CalibrationPoints } {
    return { scores: this.scores, labels: this.labels, fitPoints: this.fitPoints };
  }
}

/** Fits a calibrator once (see {@link AutoCalFitter} for repeated fits). */
export function fitCalibrator(data: CalibrationData, options: CalibratorOptions = {}): Calibrator {
  return new AutoCalFitter(data, options).fit(null);
}

/** A fit's fold models and the out-of-fold prediction of every labelled row. */
interface FoldModels {
  readonly foldPredict: Array<(points: CalibrationPoints, out?: Float64Array) => Float64Array>;
  readonly oof: Float64Array;
}

interface FittedParts {
  readonly selected: SelectedMode;
  readonly selection: ModeSelection | undefined;
  readonly full: { predict(points: CalibrationPoints, out?: Float64Array): Float64Array };
  /** The fold models (fitted on first call for a fixed-mode fit). */
  readonly folds: () => FoldModels;
  readonly degenerate: boolean;
  readonly weights: Float64Array | null;
  /** The extra (bootstrap/jackknife) weights of the fit, `null` = none. */
  readonly extra: Float64Array | null;
}

/** What a fit's labelled points say about it, computed once. */
interface FitSummary {
  readonly s: readonly [number, number];
  readonly r: readonly [number, number];
  /** Distinct fitted values on the labelled points: the fit's level sets. */
  readonly levelSets: number;
}

class FittedCalibrator implements Calibrator {
  readonly requestedMode: CalibrationMode;
  readonly selectedMode: SelectedMode;
  readonly nFolds: number;
  readonly foldIds: Int32Array;
  readonly selection?: ModeSelection;
  readonly degenerate: boolean;
  readonly usesCovariates: boolean;
  private readonly fitter: AutoCalFitter;
  private readonly parts: FittedParts;
  private rangeCache: FitSummary | undefined;
  private jackknifeCache: readonly Calibrator[] | undefined;
  private groupCache: Int32Array | undefined;

  constructor(fitter: AutoCalFitter, parts: FittedParts) {
    this.fitter = fitter;
    this.parts = parts;
    this.requestedMode = fitter.requestedMode;
    this.selectedMode = parts.selected;
    this.nFolds = fitter.nFolds;
    this.foldIds = fitter.foldIds;
    if (parts.selection !== undefined) this.selection = parts.selection;
    this.degenerate = parts.degenerate;
    this.usesCovariates = fitter.usesCovariates;
  }

  predict(points: CalibrationPoints, out?: Float64Array): Float64Array {
    return this.parts.full.predict(points, out);
  }

  get oofPredictions(): Float64Array {
    return this.parts.folds().oof;
  }

  predictFold(fold: number, points: CalibrationPoints, out?: Float64Array): Float64Array {
    const f = this.parts.folds().foldPredict[fold];
    if (f === undefined) throw new RangeError(`no calibration model for fold ${fold}; fitted folds are 0..${this.nFolds - 1}`);
    return f(points, out);
  }

  get jackknifeDf(): number {
    const { nClusters } = this.fitter;
    return jackknifeDegreesOfFreedom(nClusters, jackknifeGroupCount(nClusters), this.ranges().levelSets);
  }

  get jackknifeGroupIds(): Int32Array {
    this.groupCache ??= jackknifeGroups(this.fitter.clusterIds, jackknifeGroupCount(this.fitter.nClusters));
    return this.groupCache;
  }

  jackknife(): readonly Calibrator[] {
    if (this.jackknifeCache === undefined) {
      const { fitter, parts } = this;
      const groups = jackknifeGroupCount(fitter.nClusters);
      const groupOf = this.jackknifeGroupIds;
      const weights = new Float64Array(fitter.n);
      const out: Calibrator[] = [];
      for (let g = 0; g < groups; g++) {
        for (let i = 0; i < fitter.n; i++) weights[i] = groupOf[i] === g ? 0 : parts.extra === null ? 1 : parts.extra[i];
        out.push(fitter.fit(weights, this.selectedMode));
      }
      this.jackknifeCache = out;
    }
    return this.jackknifeCache;
  }

  predictScores(scores: ArrayLike<number>, covariates?: readonly ArrayLike<number>[]): Float64Array {
    if (this.usesCovariates && (covariates === undefined || covariates.length === 0)) {
      throw new CjeInputError("this calibrator was fitted with covariates: pass the same covariate columns");
    }
    const points = CalibrationPoints.of(scores, this.usesCovariates ? covariates : undefined);
    return points.expand(this.predict(points));
  }

  get labelledScoreRange(): readonly [number, number] {
    return this.ranges().s;
  }

  get rewardRange(): readonly [number, number] {
    return this.ranges().r;
  }

  diagnostics(): CalibrationDiagnostics {
    const { labels, fitPoints } = this.fitter.internals;
    const fitted = fitPoints.expand(this.predict(fitPoints));
    const w = this.parts.weights;
    return {
      rmse: weightedRmse(labels, fitted, w),
      oofRmse: weightedRmse(labels, this.oofPredictions, w),
      coverage01: weightedCoverage(labels, fitted, w),
      oofCoverage01: weightedCoverage(labels, this.oofPredictions, w),
    };
  }

  /** Ranges of the labelled scores and fitted values, and the full fit's level sets on the labelled points. */
  private ranges(): FitSummary {
    if (this.rangeCache === undefined) {
      const { scores, fitPoints } = this.fitter.internals;
      const fitted = this.predict(fitPoints);
      this.rangeCache = { s: minMax(scores), r: minMax(fitted), levelSets: new Set(fitted).size };
    }
    return this.rangeCache;
  }
}

function predictMonotone(model: IsotonicModel, points: CalibrationPoints, out?: Float64Array): Float64Array {
  return points.sorted ? model.predictSorted(points.scores, out) : model.predict(points.scores, out);
}

function scatterPredictions(pointValues: Float64Array, fold: FoldPlan, oof: Float64Array): void {
  const map = fold.heldPoints.rowToPoint;
  for (let j = 0; j < fold.held.length; j++) oof[fold.held[j]] = pointValues[map[j]];
}

function isConstant(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

function minMax(values: ArrayLike<number>): readonly [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  return [lo, hi];
}

function weightedRmse(y: Float64Array, f: Float64Array, w: Float64Array | null): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w === null ? 1 : w[i];
    s += wi * (y[i] - f[i]) ** 2;
    sw += wi;
  }
  return Math.sqrt(s / sw);
}

function weightedCoverage(y: Float64Array, f: Float64Array, w: Float64Array | null): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w === null ? 1 : w[i];
    if (Math.abs(y[i] - f[i]) <= 0.1 + 1e-12) s += wi;
    sw += wi;
  }
  return s / sw;
}
