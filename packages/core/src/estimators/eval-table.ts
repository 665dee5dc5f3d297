/**
 * The long-format evaluation table every Direct-mode computation runs on: all fresh draws of all
 * policies stacked in policy order, with prompt clusters shared across policies (a prompt answered
 * by several policies is one cluster, which is what makes comparisons paired).
 */
import { CalibrationPoints } from "../calibration/points.js";
import { CjeInputError } from "../data/errors.js";

/** One evaluation row, as the estimator needs it (internal units). */
export interface EvalRowInput {
  readonly policy: string;
  readonly promptId: string;
  /** Judge score (internal units). */
  readonly judgeScore: number;
  /** Oracle label in [0, 1], or null. */
  readonly oracleLabel: number | null;
}

/** Columnar evaluation table. */
export interface EvalTable {
  readonly policies: readonly string[];
  /** Rows of policy p are `[policyStart[p], policyStart[p + 1])`. */
  readonly policyStart: Int32Array;
  /** Prompt-cluster code of each row (codes by first appearance). */
  readonly cluster: Int32Array;
  /** Prompt id of each cluster code. */
  readonly clusterIds: readonly string[];
  /** Judge score of each row. */
  readonly scores: Float64Array;
  /** Oracle label of each row (NaN when unlabelled). */
  readonly labels: Float64Array;
  /** Row indices of labelled rows, ascending. */
  readonly labelledRows: Int32Array;
  /** For each row, its index in `labelledRows`, or −1. */
  readonly labelledIndex: Int32Array;
  /** Calibration points of the rows (distinct scores, or one per row with covariates). */
  readonly points: CalibrationPoints;
  /** Row index in the caller's input array of each table row. */
  readonly inputIndex: Int32Array;
}

/**
 * Builds the table from rows (any order) for the given `policies` order; `covariates` are optional
 * columns aligned with `rows`.
 */
export function buildEvalTable(
  rows: readonly EvalRowInput[],
  policies: readonly string[],
  covariates?: readonly ArrayLike<number>[],
): EvalTable {
  const policyIndex = new Map(policies.map((p, i) => [p, i]));
  const counts = new Int32Array(policies.length);
  rows.forEach((row, i) => {
    const p = policyIndex.get(row.policy);
    if (p === undefined) throw new CjeInputError(`row ${i} belongs to policy '${row.policy}', which is not among the target policies`);
    counts[p]++;
  });
  const policyStart = new Int32Array(policies.length + 1);
  for (let p = 0; p < policies.length; p++) {
    if (counts[p] === 0) throw new CjeInputError(`policy '${policies[p]}' has no rows`);
    policyStart[p + 1] = policyStart[p] + counts[p];
  }
  const n = rows.length;
  const cursor = Int32Array.from(policyStart.subarray(0, policies.length));
  const inputIndex = new Int32Array(n);
  rows.forEach((row, i) => {
    inputIndex[cursor[policyIndex.get(row.policy) as number]++] = i;
  });
  const cluster = new Int32Array(n);
  const scores = new Float64Array(n);
  const labels = new Float64Array(n);
  const clusterCode = new Map<string, number>();
  const clusterIds: string[] = [];
  const labelledIndex = new Int32Array(n).fill(-1);
  const labelled: number[] = [];
  for (let r = 0; r < n; r++) {
    const row = rows[inputIndex[r]];
    let code = clusterCode.get(row.promptId);
    if (code === undefined) {
      code = clusterIds.length;
      clusterCode.set(row.promptId, code);
      clusterIds.push(row.promptId);
    }
    cluster[r] = code;
    scores[r] = row.judgeScore;
    labels[r] = row.oracleLabel ?? Number.NaN;
    if (row.oracleLabel !== null) {
      labelledIndex[r] = labelled.length;
      labelled.push(r);
    }
  }
  const permutedCovariates = covariates?.map((column) => {
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) out[r] = column[inputIndex[r]];
    return out;
  });
  return {
    policies,
    policyStart,
    cluster,
    clusterIds,
    scores,
    labels,
    labelledRows: Int32Array.from(labelled),
    labelledIndex,
    points: CalibrationPoints.of(scores, permutedCovariates),
    inputIndex,
  };
}

/** Number of rows of policy `p`. */
export function policySize(table: EvalTable, p: number): number {
  return table.policyStart[p + 1] - table.policyStart[p];
}
