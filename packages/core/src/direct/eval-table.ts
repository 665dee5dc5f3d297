/**
 * The long-format evaluation table every Direct-mode computation runs on: all fresh draws of all
 * policies stacked in policy order, with prompt clusters shared across policies (a prompt answered
 * by several policies is one cluster, which is what makes comparisons paired).
 */
import { CalibrationPoints } from "../calibration/points.js";
import { CjeInputError } from "../errors/input-error.js";

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
export function buildEvalTable(rows: readonly EvalRowInput[], policies: readonly string[], covariates?: readonly ArrayLike<number>[]): EvalTable {
  const n = rows.length;
  const input = readColumns(rows, policies);
  const counts = new Int32Array(policies.length);
  for (let i = 0; i < n; i++) counts[input.policy[i]]++;
  const policyStart = new Int32Array(policies.length + 1);
  for (let p = 0; p < policies.length; p++) {
    if (counts[p] === 0) throw new CjeInputError(`policy '${policies[p]}' has no rows`);
    policyStart[p + 1] = policyStart[p] + counts[p];
  }
  const cursor = Int32Array.from(policyStart.subarray(0, policies.length));
  const inputIndex = new Int32Array(n);
  for (let i = 0; i < n; i++) inputIndex[cursor[input.policy[i]]++] = i;
  // Within each policy: unlabelled rows grouped by calibration point (a stable counting sort; with
  // covariates every row is its own point and input order is kept), then labelled rows.
  const inputPoints = covariates === undefined ? CalibrationPoints.of(input.scores) : null;
  const labelledStart = new Int32Array(policies.length);
  const bucketCount = new Int32Array((inputPoints?.size ?? 0) + 1);
  // The current policy's unlabelled and labelled rows (input indices), before they are laid out.
  const unlabelled = new Int32Array(n);
  const labelled = new Int32Array(n);
  for (let p = 0; p < policies.length; p++) {
    const block = inputIndex.subarray(policyStart[p], policyStart[p + 1]);
    let nUnlabelled = 0;
    let nLabelled = 0;
    for (const i of block) {
      if (input.labelled[i] === 0) unlabelled[nUnlabelled++] = i;
      else labelled[nLabelled++] = i;
    }
    if (inputPoints !== null) {
      bucketCount.fill(0);
      for (let u = 0; u < nUnlabelled; u++) bucketCount[inputPoints.rowToPoint[unlabelled[u]] + 1]++;
      for (let d = 1; d < bucketCount.length; d++) bucketCount[d] += bucketCount[d - 1];
      for (let u = 0; u < nUnlabelled; u++) block[bucketCount[inputPoints.rowToPoint[unlabelled[u]]]++] = unlabelled[u];
    } else {
      block.set(unlabelled.subarray(0, nUnlabelled));
    }
    block.set(labelled.subarray(0, nLabelled), nUnlabelled);
    labelledStart[p] = policyStart[p] + nUnlabelled;
  }
  // Table columns, and cluster codes by first appearance in table order.
  const cluster = new Int32Array(n);
  const scores = new Float64Array(n);
  const labels = new Float64Array(n);
  const codeOfPrompt = new Int32Array(input.promptIds.length).fill(-1);
  const clusterIds: string[] = [];
  const labelledIndex = new Int32Array(n).fill(-1);
  const labelledRows = new Int32Array(n);
  let nLabelledRows = 0;
  for (let r = 0; r < n; r++) {
    const i = inputIndex[r];
    const prompt = input.prompt[i];
    let code = codeOfPrompt[prompt];
    if (code < 0) {
      code = clusterIds.length;
      codeOfPrompt[prompt] = code;
      clusterIds.push(input.promptIds[prompt]);
    }
    cluster[r] = code;
    scores[r] = input.scores[i];
    labels[r] = input.labels[i];
    if (input.labelled[i] !== 0) {
      labelledIndex[r] = nLabelledRows;
      labelledRows[nLabelledRows++] = r;
    }
  }
  const permutedCovariates = covariates?.map((column) => {
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) out[r] = column[inputIndex[r]];
    return out;
  });
  let points: CalibrationPoints;
  if (inputPoints === null) {
    points = CalibrationPoints.of(scores, permutedCovariates);
  } else {
    const rowToPoint = new Int32Array(n);
    for (let r = 0; r < n; r++) rowToPoint[r] = inputPoints.rowToPoint[inputIndex[r]];
    points = CalibrationPoints.restore({ scores: inputPoints.scores, covariates: undefined, rowToPoint });
  }
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
    labelledRows: labelledRows.slice(0, nLabelledRows),
    labelledIndex,
    points,
    inputIndex,
    unlabelledRuns: Int32Array.from(runs),
    runPolicyStart,
    labelledStart,
  };
}

/** The input rows as columns, in input order, with prompt ids numbered by first appearance. */
interface InputColumns {
  readonly policy: Int32Array;
  readonly scores: Float64Array;
  /** Oracle label, NaN when absent. */
  readonly labels: Float64Array;
  /** 1 for a labelled row. */
  readonly labelled: Uint8Array;
  /** Number of each row's prompt id, indexing `promptIds`. */
  readonly prompt: Int32Array;
  readonly promptIds: string[];
}

/**
 * Reads every row object once, in input order. Later passes visit rows in table order, which is
 * random with respect to input order: reading typed columns there instead of row objects and a
 * map of prompt ids halves the cost of building a million-row table.
 */
function readColumns(rows: readonly EvalRowInput[], policies: readonly string[]): InputColumns {
  const n = rows.length;
  const policyIndex = new Map(policies.map((p, i) => [p, i]));
  const promptNumber = new Map<string, number>();
  const columns = {
    policy: new Int32Array(n),
    scores: new Float64Array(n),
    labels: new Float64Array(n),
    labelled: new Uint8Array(n),
    prompt: new Int32Array(n),
    promptIds: [] as string[],
  };
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    const p = policyIndex.get(row.policy);
    if (p === undefined) throw new CjeInputError(`row ${i} belongs to policy '${row.policy}', which is not among the target policies`);
    columns.policy[i] = p;
    columns.scores[i] = row.judgeScore;
    columns.labels[i] = row.oracleLabel ?? Number.NaN;
    columns.labelled[i] = row.oracleLabel !== null ? 1 : 0;
    let prompt = promptNumber.get(row.promptId);
    if (prompt === undefined) {
      prompt = columns.promptIds.length;
      promptNumber.set(row.promptId, prompt);
      columns.promptIds.push(row.promptId);
    }
    columns.prompt[i] = prompt;
  }
  return columns;
}

/** Number of rows of policy `p`. */
export function policySize(table: EvalTable, p: number): number {
  return table.policyStart[p + 1] - table.policyStart[p];
}
