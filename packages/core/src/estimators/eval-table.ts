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
  /**
   * Within each policy, unlabelled rows come first, grouped by calibration point, then the labelled
   * rows. `unlabelledRuns` lists the starts of the runs of unlabelled rows that share a point (a run
   * ends where the next starts, or at its policy's first labelled row); `runPolicyStart[p]` is the
   * index in `unlabelledRuns` of policy p's first run, and `labelledStart[p]` its first labelled row.
   * The point functional sums bootstrap weights over a run and multiplies by the run's calibrated
   * value once.
   */
  readonly unlabelledRuns: Int32Array;
  readonly runPolicyStart: Int32Array;
  readonly labelledStart: Int32Array;
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
  // Within each policy: unlabelled rows grouped by calibration point (a stable counting sort; with
  // covariates every row is its own point and input order is kept), then labelled rows.
  const inputPoints = covariates === undefined ? CalibrationPoints.of(Float64Array.from(rows, (row) => row.judgeScore)) : null;
  const labelledStart = new Int32Array(policies.length);
  const bucketCount = new Int32Array((inputPoints?.size ?? 0) + 1);
  for (let p = 0; p < policies.length; p++) {
    const block = inputIndex.subarray(policyStart[p], policyStart[p + 1]);
    const unlabelled = block.filter((i) => rows[i].oracleLabel === null);
    const labelledRows = block.filter((i) => rows[i].oracleLabel !== null);
    if (inputPoints !== null) {
      bucketCount.fill(0);
      for (const i of unlabelled) bucketCount[inputPoints.rowToPoint[i] + 1]++;
      for (let d = 1; d < bucketCount.length; d++) bucketCount[d] += bucketCount[d - 1];
      for (const i of unlabelled) block[bucketCount[inputPoints.rowToPoint[i]]++] = i;
    } else {
      block.set(unlabelled);
    }
    block.set(labelledRows, unlabelled.length);
    labelledStart[p] = policyStart[p] + unlabelled.length;
  }
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
  const points =
    inputPoints === null
      ? CalibrationPoints.of(scores, permutedCovariates)
      : CalibrationPoints.restore({ scores: inputPoints.scores, covariates: undefined, rowToPoint: inputIndex.map((i) => inputPoints.rowToPoint[i]) });
  const runs: number[] = [];
  const runPolicyStart = new Int32Array(policies.length + 1);
  for (let p = 0; p < policies.length; p++) {
    runPolicyStart[p] = runs.length;
    for (let r = policyStart[p]; r < labelledStart[p]; r++) {
      if (r === policyStart[p] || points.rowToPoint[r] !== points.rowToPoint[r - 1]) runs.push(r);
    }
  }
  runPolicyStart[policies.length] = runs.length;
  return {
    policies,
    policyStart,
    cluster,
    clusterIds,
    scores,
    labels,
    labelledRows: Int32Array.from(labelled),
    labelledIndex,
    points,
    inputIndex,
    unlabelledRuns: Int32Array.from(runs),
    runPolicyStart,
    labelledStart,
  };
}

/** Number of rows of policy `p`. */
export function policySize(table: EvalTable, p: number): number {
  return table.policyStart[p + 1] - table.policyStart[p];
}
