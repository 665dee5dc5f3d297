/**
 * What every off-policy estimator consumes for one target policy, as aligned typed arrays over
 * the target's logged rows: log importance ratios, judge scores, rewards (the calibrated judge
 * score, or the oracle label when every row is labelled), cross-fitted rewards, the rewards of the
 * OUA jackknife's calibrators, folds and prompt clusters, and — for the doubly-robust family —
 * the target's fresh draws grouped by logged row.
 *
 * Folds come from the project's one fold module (`assignFolds`, balanced over the calibrator's
 * labelled prompts): a logged row and the fresh draws of its prompt share a fold, and the
 * outcome model, SIMCal's outer cross-fitting and the calibrator's out-of-fold predictions all use
 * the same folds (the reference mixes BLAKE2b hash folds with seeds 42/1042 and sklearn KFold,
 * method-ope §2.6 and §13 B5).
 */
import type { Calibrator } from "../calibration/autocal.js";
import { CalibrationPoints } from "../calibration/points.js";
import { CjeInputError } from "../errors/input-error.js";
import { gatherCodes, gatherRows } from "../numeric/rows.js";
import { directMethodTerm } from "./dr-shared.js";
import type { LoggedData } from "./logged.js";
import { logRatios } from "./importance-weights.js";

/** Rewards and their cross-fitted variants for every logged row, shared by all targets. */
export interface LoggedRewards {
  /** Calibrator used for rewards and outcome models (null: uncalibrated or no labels). */
  readonly calibrator: Calibrator | null;
  /** R: full-calibrator value f(S), the label when every row is labelled, or S uncalibrated. */
  readonly rewards: Float64Array;
  /** Rewards in influence functions: f^(−fold)(S) when R = f(S), else R itself. */
  readonly oofRewards: Float64Array;
  /** Cross-fitted calibrated value f^(−fold)(S) with a calibrator, else S: SIMCal's ordering index and DR-CPO's outcome model. */
  readonly oofCalibrated: Float64Array;
  /** SIMCal's IF target: f^(−fold)(S) with a calibrator, else R. */
  readonly weightTarget: Float64Array;
  /**
   * f^(−g)(S) for each group g of the calibration jackknife (`Calibrator.jackknife()`); null when the
   * rewards do not come from the calibrator.
   */
  readonly jackknifeRewards: readonly Float64Array[] | null;
  /** Degrees of freedom of the jackknife variance (`Calibrator.jackknifeDf`; 0 without a jackknife). */
  readonly jackknifeDf: number;
  /** Ordering index of the isotonic outcome models: S (monotone) or f(S) (two-stage). */
  readonly index: Float64Array;
  /** Fold of each logged row in [0, nFolds). */
  readonly folds: Int32Array;
  readonly nFolds: number;
  /** Prompt-cluster code of each logged row. */
  readonly clusters: Int32Array;
  readonly nClusterCodes: number;
}

/** Fresh draws of a target grouped by logged row (a prompt's draws repeat for each of its rows). */
export interface FreshTerm {
  /** Draws of row j are `[drawStart[j], drawStart[j + 1])`. */
  readonly drawStart: Int32Array;
  readonly scores: Float64Array;
  /** Cross-fitted calibrator value at each draw, using its logged row's fold. */
  readonly oof: Float64Array;
  /** Outcome-model index of each draw (S′ or f(S′)). */
  readonly index: Float64Array;
  /**
   * The direct-method term of the DR functional (the draws of each row averaged, then the rows) under
   * the calibrator f^(−g) of each jackknife group g (OUA): mean_j mean_{d ∈ j} f^(−g)(S′_d). It is
   * the same for every DR estimator; null when there is no jackknife.
   */
  readonly jackknifeDirect: Float64Array | null;
}

/**
 * One target's estimation problem: the {@link LoggedRewards} columns restricted to the target's rows
 * (every array aligned with `rows`), with the log-ratios, scores and fresh-draw term of the target.
 */
export interface TargetProblem extends Omit<LoggedRewards, "calibrator"> {
  readonly target: string;
  /** Logged row index of each problem row. */
  readonly rows: Int32Array;
  readonly logRatio: Float64Array;
  readonly scores: Float64Array;
  readonly fresh: FreshTerm | null;
}

/** A target's fresh draws (internal units). */
export interface TargetDraws {
  readonly promptIds: readonly string[];
  readonly scores: Float64Array;
}

/**
 * Assembles the problem of `target` over its logged `rows`. With `draws`, every row's prompt must
 * have at least one fresh draw (an error lists up to five prompts without); draws of prompts
 * absent from the logged rows are ignored.
 */
export function buildTargetProblem(logged: LoggedData, target: string, rows: Int32Array, shared: LoggedRewards, draws: TargetDraws | null): TargetProblem {
  const gather = (a: Float64Array) => gatherRows(a, rows);
  return {
    target,
    rows,
    logRatio: logRatios(logged.targetLogprobs[target], logged.baseLogprobs, rows),
    scores: gather(logged.judgeScores),
    rewards: gather(shared.rewards),
    oofRewards: gather(shared.oofRewards),
    oofCalibrated: gather(shared.oofCalibrated),
    weightTarget: gather(shared.weightTarget),
    jackknifeRewards: shared.jackknifeRewards?.map(gather) ?? null,
    jackknifeDf: shared.jackknifeDf,
    index: gather(shared.index),
    folds: gatherCodes(shared.folds, rows),
    nFolds: shared.nFolds,
    clusters: gatherCodes(shared.clusters, rows),
    nClusterCodes: shared.nClusterCodes,
    fresh: draws === null ? null : freshTerm(logged, target, rows, shared, draws),
  };
}

function freshTerm(logged: LoggedData, target: string, rows: Int32Array, shared: LoggedRewards, draws: TargetDraws): FreshTerm {
  const byPrompt = new Map<string, number[]>();
  draws.promptIds.forEach((id, d) => {
    const list = byPrompt.get(id);
    if (list === undefined) byPrompt.set(id, [d]);
    else list.push(d);
  });
  const missing: string[] = [];
  let total = 0;
  for (const r of rows) {
    const list = byPrompt.get(logged.promptIds[r]);
    if (list === undefined) missing.push(logged.promptIds[r]);
    else total += list.length;
  }
  if (missing.length > 0) {
    const shown = [...new Set(missing)]
      .slice(0, 5)
      .map((id) => JSON.stringify(id))
      .join(", ");
    throw new CjeInputError(
      `doubly-robust estimation needs a fresh draw of '${target}' for every logged prompt; ${missing.length} logged row(s) have none (e.g. ${shown})`,
      { file: logged.file, field: "prompt_id" },
    );
  }
  const drawStart = new Int32Array(rows.length + 1);
  const source = new Int32Array(total);
  const rowFold = new Int32Array(total);
  let at = 0;
  rows.forEach((r, j) => {
    for (const d of byPrompt.get(logged.promptIds[r]) as number[]) {
      source[at] = d;
      rowFold[at] = shared.folds[r];
      at++;
    }
    drawStart[j + 1] = at;
  });
  const scores = gatherRows(draws.scores, source);
  const cal = shared.calibrator;
  if (cal === null) return { drawStart, scores, oof: Float64Array.from(scores), index: Float64Array.from(scores), jackknifeDirect: null };
  const points = CalibrationPoints.of(scores);
  const perFold = Array.from({ length: shared.nFolds }, (_, k) => points.expand(cal.predictFold(k, points)));
  const oof = new Float64Array(total);
  for (let d = 0; d < total; d++) oof[d] = perFold[rowFold[d]][d];
  let jackknifeDirect: Float64Array | null = null;
  if (shared.jackknifeRewards !== null) {
    const pointValues = new Float64Array(points.size);
    const drawValues = new Float64Array(total);
    const rowMeans = new Float64Array(rows.length);
    jackknifeDirect = Float64Array.from(cal.jackknife(), (c) =>
      directMethodTerm(drawStart, points.expand(c.predict(points, pointValues), drawValues), rowMeans),
    );
  }
  const index = cal.selectedMode === "monotone" ? Float64Array.from(scores) : points.expand(cal.predict(points));
  return { drawStart, scores, oof, index, jackknifeDirect };
}
