/**
 * Monte Carlo cells for the width-efficiency property of 95% intervals: coverage, and mean width
 * over the ideal width 2 · 1.96 · SD of the estimate across replications. Shared by the test
 * (test/analysis/interval-efficiency.test.ts) and the benchmark table (bench/interval-grid.bench.ts); the
 * resampled Arena world (arena-world.ts) runs through the same {@link directCellOf}.
 */
import { analyzeOffPolicy } from "../../src/analysis/analyze-off-policy.js";
import { loggedDataFromRecords } from "../../src/off-policy/logged.js";
import { evaluationDataFromRecords } from "../../src/data/from-records.js";
import { estimateDirect, type InferenceMethod } from "../../src/direct/direct.js";
import { labelledRowsCalibration } from "../../src/direct/calibrated-mean.js";
import { buildEvalTable, type EvalTable } from "../../src/direct/eval-table.js";
import { simulateWorld, type SyntheticWorld, type WorldPolicy } from "../../src/simulation/world.js";
import { simulateOpeWorld, trueValue, type WorldPolicySpec } from "../off-policy/ope-world.js";

/** Coverage and efficiency of one policy's intervals in one cell. */
export interface CellPolicy {
  readonly policy: string;
  readonly coverage: number;
  /** Mean width / (2 · 1.96 · SD of the estimates). */
  readonly widthRatio: number;
  /** Mean estimate − truth, in SDs of the estimates. */
  readonly biasSd: number;
  /** Mean interval width (absolute, in oracle-label units). */
  readonly meanWidth: number;
  /** Share of intervals lying entirely above the truth (the rest of the misses lie below). */
  readonly missAbove: number;
}

/** Coverage and efficiency of one paired comparison's intervals in one cell. */
export interface CellPair {
  /** "i-j", by policy name. */
  readonly pair: string;
  readonly coverage: number;
  /** Mean width / (2 · 1.96 · SD of the estimated differences). */
  readonly widthRatio: number;
}

/** A cell's result: one row per policy and the coverage pooled over policies. */
export interface Cell {
  readonly policies: readonly CellPolicy[];
  /** One row per paired comparison (Direct cells). */
  readonly pairs: readonly CellPair[];
  readonly pooledCoverage: number;
  /** Paired comparisons (all pairs × replications) whose 95% interval excludes 0 on the wrong side of the truth. */
  readonly wrongDirection: number;
  /** Paired comparisons whose 95% interval excludes 0 on the right side of the truth (their power). */
  readonly rightDirection: number;
}

/** The Direct world: base carries the labels (augmented route); the others go through the calibrator alone. */
export const DIRECT_POLICIES: readonly WorldPolicy[] = [
  { name: "base", shift: 0 },
  { name: "better", shift: 0.4 },
  { name: "worse", shift: -0.5 },
];

/** Options of {@link directCell}. */
export interface DirectCellOptions {
  readonly n: number;
  readonly share: number;
  readonly reps: number;
  readonly seed: number;
  /** Judge score grid (default 20 levels; 5 = coarse). */
  readonly judgeSteps?: number;
  readonly inference?: InferenceMethod;
  readonly replicates?: number;
  /** The world's policies (default {@link DIRECT_POLICIES}; the first carries the labels). */
  readonly policies?: readonly WorldPolicy[];
}

/** Counts of significant paired comparisons by direction, and of all comparisons; each pair's differences, widths and hits. */
interface PairCounts {
  wrong: number;
  right: number;
  total: number;
  readonly byPair: Map<string, { differences: number[]; width: number; covered: number }>;
}

/** Per policy: replications whose interval covered the truth, and whose interval lay entirely above it. */
interface Hits {
  readonly covered: number[];
  readonly above: number[];
}

function newHits(policies: number): Hits {
  return { covered: new Array<number>(policies).fill(0), above: new Array<number>(policies).fill(0) };
}

function tally(hits: Hits, p: number, lo: number, hi: number, truth: number): void {
  if (lo <= truth && truth <= hi) hits.covered[p]++;
  else if (lo > truth) hits.above[p]++;
}

/** Mean and sample SD of `values`. */
function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, sd: Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1)) };
}

function summarise(names: readonly string[], estimates: number[][], truths: number[], hits: Hits, widths: number[], pairs?: PairCounts): Cell {
  const policies = names.map((policy, p) => {
    const e = estimates[p];
    const { mean, sd } = meanSd(e);
    const meanWidth = widths[p] / e.length;
    return {
      policy,
      coverage: hits.covered[p] / e.length,
      widthRatio: meanWidth / (2 * 1.96 * sd),
      biasSd: (mean - truths[p]) / sd,
      meanWidth,
      missAbove: hits.above[p] / e.length,
    };
  });
  const total = estimates.reduce((a, e) => a + e.length, 0);
  const compared = pairs === undefined || pairs.total === 0 ? null : pairs;
  const pairRows = [...(pairs?.byPair ?? [])].map(([pair, { differences, width, covered }]) => {
    const { sd } = meanSd(differences);
    return { pair, coverage: covered / differences.length, widthRatio: width / differences.length / (2 * 1.96 * sd) };
  });
  return {
    policies,
    pairs: pairRows,
    pooledCoverage: hits.covered.reduce((a, b) => a + b, 0) / total,
    wrongDirection: compared === null ? Number.NaN : compared.wrong / compared.total,
    rightDirection: compared === null ? Number.NaN : compared.right / compared.total,
  };
}

/** Runs `reps` replications of the Direct world (labels on base's rows, simple random sample). */
export function directCell(options: DirectCellOptions): Cell {
  const worldPolicies = options.policies ?? DIRECT_POLICIES;
  const world = (r: number): SyntheticWorld =>
    simulateWorld({
      policies: worldPolicies,
      prompts: options.n,
      oracleShare: options.share,
      seed: options.seed + r,
      ...(options.judgeSteps !== undefined ? { judgeSteps: options.judgeSteps } : {}),
    });
  return directCellOf(
    worldPolicies.map((p) => p.name),
    world,
    options,
  );
}

/** The Direct table of fresh-draw records (`policy`, `prompt_id`, `judge_score`, optional `oracle_label`) for the policies `names`, in order. */
export function evalTableOf(records: readonly Record<string, unknown>[], names: readonly string[]): EvalTable {
  const rows = records.map((x) => ({
    policy: x.policy as string,
    promptId: x.prompt_id as string,
    judgeScore: x.judge_score as number,
    oracleLabel: (x.oracle_label as number | undefined) ?? null,
  }));
  return buildEvalTable(rows, names);
}

/**
 * Runs Direct (`buildEvalTable` + `estimateDirect`, the labelled rows as the calibration source) on
 * `reps` worlds `world(0)`, `world(1)`, …: records in the fresh-draw format (`policy`, `prompt_id`,
 * `judge_score`, optional `oracle_label`) and each policy's truth, for the policies `names` (in order).
 */
export function directCellOf(
  names: readonly string[],
  world: (replication: number) => SyntheticWorld,
  options: { readonly reps: number; readonly inference?: InferenceMethod; readonly replicates?: number },
): Cell {
  const pairs: PairCounts = { wrong: 0, right: 0, total: 0, byPair: new Map() };
  const P = names.length;
  const estimates: number[][] = names.map(() => []);
  const hits = newHits(P);
  const widths = new Array<number>(P).fill(0);
  let truths: number[] = [];
  for (let r = 0; r < options.reps; r++) {
    const w = world(r);
    truths = names.map((name) => w.truth[name]);
    const table = evalTableOf(w.records, names);
    const result = estimateDirect(table, labelledRowsCalibration(table), {
      inference: options.inference ?? "analytic",
      ...(options.replicates !== undefined ? { replicates: options.replicates } : {}),
      threads: 1,
    });
    result.policies.forEach((p, i) => {
      estimates[i].push(p.estimate);
      widths[i] += p.ci[1] - p.ci[0];
      tally(hits, i, p.ci[0], p.ci[1], truths[i]);
    });
    for (const c of result.comparisons) {
      const truth = truths[c.i] - truths[c.j];
      pairs.total++;
      if ((c.ci[0] > 0 && truth < 0) || (c.ci[1] < 0 && truth > 0)) pairs.wrong++;
      if ((c.ci[0] > 0 && truth > 0) || (c.ci[1] < 0 && truth < 0)) pairs.right++;
      const key = `${names[c.i]}-${names[c.j]}`;
      const stats = pairs.byPair.get(key) ?? { differences: [], width: 0, covered: 0 };
      pairs.byPair.set(key, stats);
      stats.differences.push(c.difference);
      stats.width += c.ci[1] - c.ci[0];
      if (c.ci[0] <= truth && truth <= c.ci[1]) stats.covered++;
    }
  }
  return summarise(names, estimates, truths, hits, widths, pairs);
}

/** The off-policy world of the stacked-DR cells: the target shifts mass to better responses. */
const OPE_LOGGER: WorldPolicySpec = { theta: 0 };
const OPE_TARGET: WorldPolicySpec = { theta: 1.5, tilt: 0.2 };

/** Runs `reps` replications of stacked-DR on the synthetic off-policy world with known ratios. */
export function stackedDrCell(options: { readonly n: number; readonly share: number; readonly reps: number; readonly seed: number }): Cell {
  const truth = trueValue(OPE_TARGET);
  const estimates: number[][] = [[]];
  const hits = newHits(1);
  const widths = [0];
  for (let r = 0; r < options.reps; r++) {
    const w = simulateOpeWorld({ logger: OPE_LOGGER, target: OPE_TARGET, n: options.n, labelShare: options.share, seed: options.seed + r });
    const p = analyzeOffPolicy(loggedDataFromRecords(w.logged), evaluationDataFromRecords(w.fresh), { estimator: "stacked-dr" }).policies[0];
    const lo = p.ci[0] as number;
    const hi = p.ci[1] as number;
    estimates[0].push(p.estimate as number);
    widths[0] += hi - lo;
    tally(hits, 0, lo, hi, truth);
  }
  return summarise(["target"], estimates, [truth], hits, widths);
}
