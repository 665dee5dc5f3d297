/** A closed numeric interval on which judge scores or oracle labels are measured. */
export interface Scale {
  readonly min: number;
  readonly max: number;
}

/** How a scale was obtained: declared by the user or inferred from the observed values. */
export interface ScaleResolution {
  readonly scale: Scale;
  readonly origin: "declared" | "inferred";
}

/** Where a row came from: a file and 1-based line, or an in-memory index. */
export interface RowSource {
  readonly file: string;
  readonly line: number;
}

/**
 * One response of one policy to one prompt, validated and mapped to internal units:
 * `judgeScore` and `oracleLabel` are in [0, 1] (the declared or inferred scales map onto [0, 1]).
 */
export interface FreshDraw {
  readonly policy: string;
  /** Prompt cluster identity shared across policies; a stable hash of the prompt when absent. */
  readonly promptId: string;
  /** Index of this draw among the policy's draws for the prompt (auto-assigned when absent). */
  readonly drawIdx: number;
  /** Judge score in internal units [0, 1]. */
  readonly judgeScore: number;
  /** Oracle label in internal units [0, 1], or `null` when unlabelled. */
  readonly oracleLabel: number | null;
  readonly prompt?: string;
  readonly response?: string;
  /** Numeric fields other than the core ones (candidate covariates), as read. */
  readonly numericFields: Readonly<Record<string, number>>;
  readonly source: RowSource;
}

/** A judge-score/oracle-label pair from a separate calibration file (internal units). */
export interface CalibrationRow {
  readonly promptId: string;
  readonly judgeScore: number;
  readonly oracleLabel: number;
  readonly response?: string;
  readonly numericFields: Readonly<Record<string, number>>;
  readonly source: RowSource;
}
