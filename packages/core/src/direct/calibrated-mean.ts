/**
 * Array API: the calibrated mean of one set of judge scores, with an honest interval — the whole
 * Direct-mode machinery without files. `labels[i]` is the oracle label of row i, or NaN when the
 * row is unlabelled.
 */
import type { CalibrationMode, Calibrator } from "../calibration/autocal.js";
import { MIN_LABELLED_CLUSTERS } from "../calibration/folds.js";
import { CjeInputError } from "../errors/input-error.js";
import { estimateDirect, type InferenceMethod } from "./direct.js";
import type { DirectRoute } from "./direct-point.js";
import type { CalibrationSource } from "./direct-world.js";
import { buildEvalTable, type EvalTable } from "./eval-table.js";

/** Options of {@link calibratedMeanCI}. */
export interface CalibratedMeanOptions {
  /** Prompt cluster of each row (default: every row its own cluster). */
  readonly clusterIds?: readonly string[];
  /** Covariate columns, each aligned with the scores (forces two-stage calibration). */
  readonly covariates?: readonly ArrayLike<number>[];
  readonly inference?: InferenceMethod;
  readonly replicates?: number;
  readonly seed?: number;
  readonly alpha?: number;
  readonly calibrationMode?: CalibrationMode;
}

/** Result of {@link calibratedMeanCI}, in the units of the labels. */
export interface CalibratedMean {
  readonly estimate: number;
  readonly se: number;
  readonly ci: readonly [number, number];
  readonly n: number;
  readonly nOracle: number;
  readonly route: DirectRoute;
  /** The fitted calibrator (`null` when every row is labelled: the oracle mean needs none). */
  readonly calibrator: Calibrator | null;
}

/**
 * Calibrated mean with a 95% (1 − alpha) interval.
 *
 * @param scores judge scores (any finite scale)
 * @param labels oracle labels in [0, 1], NaN for unlabelled rows
 */
export function calibratedMeanCI(scores: ArrayLike<number>, labels: ArrayLike<number>, options: CalibratedMeanOptions = {}): CalibratedMean {
  const n = scores.length;
  if (n === 0) throw new CjeInputError("calibratedMeanCI: no judge scores");
  if (labels.length !== n) throw new CjeInputError(`calibratedMeanCI: ${labels.length} labels for ${n} scores (use NaN for unlabelled rows)`);
  const clusterIds = options.clusterIds ?? Array.from({ length: n }, (_, i) => `row_${i}`);
  if (clusterIds.length !== n) throw new CjeInputError(`calibratedMeanCI: ${clusterIds.length} cluster ids for ${n} scores`);
  const rows = Array.from({ length: n }, (_, i) => {
    const s = scores[i];
    const y = labels[i];
    if (!Number.isFinite(s)) throw new CjeInputError(`calibratedMeanCI: judge score at index ${i} is not finite (${s}); CJE never imputes scores`);
    if (!Number.isNaN(y) && !(y >= 0 && y <= 1))
      throw new CjeInputError(`calibratedMeanCI: oracle label at index ${i} (${y}) is outside [0, 1]; rescale labels first`);
    return { policy: "policy", promptId: clusterIds[i], judgeScore: s, oracleLabel: Number.isNaN(y) ? null : y };
  });
  const table = buildEvalTable(rows, ["policy"], options.covariates);
  const labelled = table.labelledRows;
  if (labelled.length === 0) throw new CjeInputError("calibratedMeanCI: no oracle labels (every label is NaN)");
  const allLabelled = labelled.length === n;
  const clusters = new Set(Array.from(labelled, (r) => table.clusterIds[table.cluster[r]]));
  if (!allLabelled && clusters.size < MIN_LABELLED_CLUSTERS) {
    throw new CjeInputError(`calibratedMeanCI: ${clusters.size} labelled clusters; at least ${MIN_LABELLED_CLUSTERS} are needed to cross-fit a calibrator`);
  }
  const source = allLabelled ? null : labelledRowsCalibration(table);
  const result = estimateDirect(table, source, {
    ...(options.inference !== undefined ? { inference: options.inference } : {}),
    ...(options.replicates !== undefined ? { replicates: options.replicates } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.alpha !== undefined ? { alpha: options.alpha } : {}),
    ...(options.calibrationMode !== undefined ? { calibrationMode: options.calibrationMode } : {}),
  });
  const p = result.policies[0];
  return { estimate: p.estimate, se: p.se, ci: p.ci, n, nOracle: labelled.length, route: p.route, calibrator: result.calibrator };
}

/** The calibration set made of `table`'s own labelled rows (no external calibration rows). */
export function labelledRowsCalibration(table: EvalTable): CalibrationSource {
  const labelled = table.labelledRows;
  return {
    scores: Float64Array.from(labelled, (r) => table.scores[r]),
    labels: Float64Array.from(labelled, (r) => table.labels[r]),
    promptIds: Array.from(labelled, (r) => table.clusterIds[table.cluster[r]]),
    evalRow: Int32Array.from(labelled),
    ...(table.points.covariates !== undefined ? { covariates: table.points.covariates.map((c) => Float64Array.from(labelled, (r) => c[r])) } : {}),
  };
}
