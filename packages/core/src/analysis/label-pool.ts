/**
 * The oracle-label pool a calibrator is fitted on: labelled fresh draws (linked to their
 * evaluation rows) plus labelled rows of other sources — a calibration file, logged data — each
 * counted once. A source row with the same prompt id, judge score and oracle label as an
 * already pooled labelled row (a labelled fresh draw, or a row of an earlier source) is the same
 * labelled response seen twice: the arena `logged_data.jsonl` is base's fresh draws with log-probs
 * added, the same 480 labels. Such a row is merged, one merge per pooled row, and the merges are
 * reported. Used by `analyze` (calibration file) and `analyzeOffPolicy` (calibration file + logged
 * data).
 */
import { covariateColumns } from "../data/covariates.js";
import type { CalibrationRow } from "../data/types.js";
import type { CalibrationSource } from "../direct/direct.js";
import type { EvalTable } from "../direct/eval-table.js";

/** Labelled rows of one extra source, and how to name it in messages (e.g. `calibration-file`). */
export interface LabelSource {
  readonly label: string;
  readonly rows: readonly CalibrationRow[];
  /**
   * Whether the label design chose these rows for labelling, as it chose the labelled fresh draws
   * (logged data: yes; a calibration file: no). Such rows are read for their inclusion probability
   * (see `pooledLabelDesign`); the pooling itself ignores the flag.
   */
  readonly design?: boolean;
}

/** The pooled labels, with the number of rows that came from the extra sources and where each row came from. */
export interface PooledLabels extends CalibrationSource {
  /** Rows added from the extra sources (not merged into a pooled row). */
  readonly nFromFile: number;
  /** Index in `sources` of the source of each pooled row; −1 for a labelled fresh draw (its table row is `evalRow`). */
  readonly sourceIndex: Int32Array;
  /** Index of each pooled row in its source's `rows`; −1 for a labelled fresh draw. */
  readonly sourceRow: Int32Array;
}

/**
 * Pools the labelled rows of `table` (absent: none) with the rows of `sources`, in order, merging
 * repeats as described in the module comment; a warning per source reports its merges. Returns
 * `null` when no label exists.
 */
export function poolOracleLabels(
  table: EvalTable | null,
  sources: readonly LabelSource[],
  covariateNames: readonly string[],
  warnings: string[],
): PooledLabels | null {
  const pooled = new Map<string, number>();
  const remember = (key: string) => pooled.set(key, (pooled.get(key) ?? 0) + 1);
  const scores: number[] = [];
  const labels: number[] = [];
  const promptIds: string[] = [];
  const evalRow: number[] = [];
  const sourceIndex: number[] = [];
  const sourceRow: number[] = [];
  const labelledRows = table?.labelledRows ?? new Int32Array(0);
  for (const r of labelledRows) {
    const t = table as EvalTable;
    const promptId = t.clusterIds[t.cluster[r]];
    scores.push(t.scores[r]);
    labels.push(t.labels[r]);
    promptIds.push(promptId);
    evalRow.push(r);
    sourceIndex.push(-1);
    sourceRow.push(-1);
    remember(identity(promptId, t.scores[r], t.labels[r]));
  }
  const added: CalibrationRow[] = [];
  sources.forEach((source, s) => {
    const kept: CalibrationRow[] = [];
    source.rows.forEach((row, i) => {
      const key = identity(row.promptId, row.judgeScore, row.oracleLabel);
      const available = pooled.get(key) ?? 0;
      if (available > 0) pooled.set(key, available - 1);
      else {
        kept.push(row);
        sourceIndex.push(s);
        sourceRow.push(i);
      }
    });
    const merged = source.rows.length - kept.length;
    if (merged > 0) {
      const earlier = s === 0 ? "a labelled fresh draw" : "an already pooled labelled row";
      warnings.push(`${merged} ${source.label} row(s) repeat ${earlier} (same prompt_id, judge_score and oracle_label); each such label is counted once.`);
    }
    for (const row of kept) {
      scores.push(row.judgeScore);
      labels.push(row.oracleLabel);
      promptIds.push(row.promptId);
      evalRow.push(-1);
      remember(identity(row.promptId, row.judgeScore, row.oracleLabel));
    }
    added.push(...kept);
  });
  if (scores.length === 0) return null;
  let covariates: Float64Array[] | undefined;
  if (covariateNames.length > 0 && table !== null) {
    const tableCovariates = table.points.covariates as readonly Float64Array[];
    const fileCovariates = covariateColumns(added, covariateNames);
    covariates = tableCovariates.map((column, c) => {
      const out = new Float64Array(scores.length);
      labelledRows.forEach((r, j) => (out[j] = column[r]));
      out.set(fileCovariates[c], labelledRows.length);
      return out;
    });
  }
  return {
    scores: Float64Array.from(scores),
    labels: Float64Array.from(labels),
    promptIds,
    evalRow: Int32Array.from(evalRow),
    nFromFile: added.length,
    sourceIndex: Int32Array.from(sourceIndex),
    sourceRow: Int32Array.from(sourceRow),
    ...(covariates !== undefined ? { covariates } : {}),
  };
}

function identity(promptId: string, score: number, label: number): string {
  return `${promptId}\u0000${score}\u0000${label}`;
}
