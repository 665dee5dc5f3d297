import type { CalibrationRow, FreshDraw, Scale, ScaleResolution } from "./types.js";

/** What to do with a row that parses as JSON but fails validation. */
export type InvalidRowPolicy = "error" | "drop";

/** Options shared by the file and in-memory loaders. */
export interface LoadOptions {
  /** Declared judge-score scale; applies to every source. Inferred per source when absent. */
  judgeScale?: Scale;
  /** Declared oracle-label scale; applies to every source. Inferred per source when absent. */
  oracleScale?: Scale;
  /**
   * `"error"` (default) raises a `CjeInputError` at the first invalid row; `"drop"` drops invalid
   * rows and reports each of them in {@link EvaluationData.dropped}. Corrupt JSON, duplicate
   * draws, policy collisions and scale violations are errors in both modes.
   */
  onInvalid?: InvalidRowPolicy;
}

/** One row removed in drop mode. */
export interface DroppedRow {
  readonly file: string;
  /** 1-based physical line (in-memory: index + 1). */
  readonly line: number;
  readonly field?: string;
  /** Offending value as read, when the field was present. */
  readonly value?: unknown;
  readonly reason: string;
}

/** Every row removed in drop mode, with counts per policy and per reason. */
export interface DropReport {
  readonly total: number;
  /** Counts keyed by policy; `(calibration)` for the calibration file, `(unattributed)` for rows of a multi-policy file whose policy is unknown. */
  readonly byPolicy: Readonly<Record<string, number>>;
  /** Counts keyed by `field: reason` (or the bare reason when no field applies). */
  readonly byReason: Readonly<Record<string, number>>;
  readonly rows: readonly DroppedRow[];
}

/** Validated evaluation data: fresh draws and calibration rows in internal units [0, 1]. */
export interface EvaluationData {
  /** Draws of all policies, in the order read (inputs in the order given, files in sorted order). */
  readonly draws: FreshDraw[];
  /** Policy names, sorted. */
  readonly policies: string[];
  /** Labelled rows of the separate calibration file (`[]` without one). */
  readonly calibration: CalibrationRow[];
  /** Scale the judge scores were read on (declared or inferred). */
  readonly judgeScale: ScaleResolution;
  /** Scale the oracle labels were read on; `null` when no label exists anywhere and none was declared. */
  readonly oracleScale: ScaleResolution | null;
  readonly dropped: DropReport;
  /** Rows of the calibration file without an oracle label (skipped: logged data legitimately has them). */
  readonly nUnlabelledCalibrationSkipped: number;
  /** Which file each policy came from, sorted by policy then file. */
  readonly sources: { policy: string; file: string }[];
  /** Non-fatal notices (skipped reserved files, fabricated calibration ids, drops). */
  readonly warnings: string[];
}
