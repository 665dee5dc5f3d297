/**
 * The Direct-mode point functional (method-direct §2.4.4) — the ONE implementation used by the
 * point estimate, the analytic path (pseudo-outcomes), the OUA jackknife and every bootstrap
 * replicate.
 *
 * For each policy: its calibrated mean plus its own mean out-of-fold residual on its labelled rows
 * (AIPW-style debiasing); a policy without labels gets the calibrated mean; a fully labelled
 * policy gets its oracle mean.
 */
import type { EvalTable } from "./eval-table.js";

/** How a policy's estimate was formed. */
export type DirectRoute = "direct_oracle" | "augmented" | "plug_in";

/** How oracle labels were selected for labelling. */
export type LabelDesign =
  | { readonly kind: "representative" }
  | {
      /** Each labelled row was included with a known probability π_i ∈ (0, 1]. */
      readonly kind: "known_propensity";
      /** Inclusion probability of each table row (only labelled rows are read). */
      readonly inclusion: Float64Array;
    };

/** Inputs of the functional. */
export interface DirectPointInputs {
  readonly table: EvalTable;
  /** Calibrated value f at each point of `table.points`; `null` = no calibrator (raw judge mean). */
  readonly calibrated: Float64Array | null;
  /** Residual prediction r̂ for each labelled row (aligned with `table.labelledRows`). */
  readonly residualPredictions: Float64Array | null;
  /** Observation weight of each cluster code (bootstrap worlds); `null` = unit weights. */
  readonly clusterWeights: Float64Array | null;
  /**
   * Buffer for the total weight of each unlabelled run (length `table.unlabelledRuns.length`),
   * so that repeated evaluations (bootstrap replicates) do not allocate one each time.
   */
  readonly runWeightBuffer?: Float64Array;
  /**
   * Weight of each labelled row (aligned with `table.labelledRows`) in the residual correction, on
   * top of its cluster weight; `null`/absent = 1. The calibration jackknife zeroes the rows of the
   * deleted group, so that a replicate drops their labels from the residual mean as from the
   * calibrator. A fully labelled policy's oracle mean does not read them.
   */
  readonly labelWeights?: Float64Array | null;
  /** Whether residual augmentation is applied where possible. */
  readonly augment: boolean;
  readonly design: LabelDesign;
}

/** Per-policy output of the functional. */
export interface DirectPointResult {
  readonly estimates: Float64Array;
  readonly routes: DirectRoute[];
  /** Weighted mean of f (raw judge when no calibrator). */
  readonly plugIn: Float64Array;
  /** Estimate minus plug-in. */
  readonly corrections: Float64Array;
  /** Weighted share of labelled rows. */
  readonly oracleFractions: Float64Array;
}

/**
 * Evaluates the functional. When `pseudoOutcomes` is given (length = table rows, unit weights
 * only), it receives φ_i, whose policy mean equals the policy estimate; the analytic variance is
 * built from φ − θ.
 */
export function directPointEstimate(inputs: DirectPointInputs, pseudoOutcomes?: Float64Array): DirectPointResult {
  const { table, calibrated, residualPredictions, clusterWeights, augment, design } = inputs;
  const labelWeights = inputs.labelWeights ?? null;
  if (pseudoOutcomes !== undefined && clusterWeights !== null) {
    throw new Error("pseudo-outcomes are defined for unit observation weights only");
  }
  const P = table.policies.length;
  const estimates = new Float64Array(P);
  const plugIn = new Float64Array(P);
  const corrections = new Float64Array(P);
  const oracleFractions = new Float64Array(P);
  const routes: DirectRoute[] = [];
  const { cluster, scores, labels, labelledIndex, policyStart, unlabelledRuns } = table;
  const pointOf = table.points.rowToPoint;
  const inclusion = design.kind === "known_propensity" ? design.inclusion : null;
  // Long runs: their weights are summed up front, side by side (the same sums as the loop below).
  const runWeights =
    clusterWeights !== null && longRuns(table) ? sumRunWeights(table, clusterWeights, inputs.runWeightBuffer ?? new Float64Array(unlabelledRuns.length)) : null;
  for (let p = 0; p < P; p++) {
    const a = policyStart[p];
    const b = policyStart[p + 1];
    let sw = 0;
    let swf = 0;
    let swl = 0;
    let swy = 0;
    let swe = 0;
    let swePi = 0;
    // Residual sums under the label weights: total weight, and the count of rows kept (HT rescaling).
    let swr = 0;
    let kept = 0;
    let nLabelled = 0;
    // Unlabelled rows: runs sharing a calibration point, so f is read once per run.
    const labelledFrom = table.labelledStart[p];
    const lastRun = table.runPolicyStart[p + 1];
    for (let k = table.runPolicyStart[p]; k < lastRun; k++) {
      const from = unlabelledRuns[k];
      const to = k + 1 < lastRun ? unlabelledRuns[k + 1] : labelledFrom;
      let runWeight = to - from;
      if (runWeights !== null) {
        runWeight = runWeights[k];
      } else if (clusterWeights !== null) {
        runWeight = 0;
        for (let r = from; r < to; r++) runWeight += clusterWeights[cluster[r]];
      }
      sw += runWeight;
      swf += runWeight * (calibrated === null ? scores[from] : calibrated[pointOf[from]]);
    }
    for (let r = labelledFrom; r < b; r++) {
      const w = clusterWeights === null ? 1 : clusterWeights[cluster[r]];
      const f = calibrated === null ? scores[r] : calibrated[pointOf[r]];
      const y = labels[r];
      sw += w;
      swf += w * f;
      nLabelled++;
      swl += w;
      swy += w * y;
      if (residualPredictions !== null) {
        const li = labelledIndex[r];
        const lw = labelWeights === null ? 1 : labelWeights[li];
        const e = y - residualPredictions[li];
        swe += w * lw * e;
        swr += w * lw;
        kept += lw;
        if (inclusion !== null) swePi += (w * lw * e) / inclusion[r];
      }
    }
    const plug = swf / sw;
    const frac = swl / sw;
    plugIn[p] = plug;
    oracleFractions[p] = frac;
    let route: DirectRoute;
    let theta: number;
    let c = 0;
    if (nLabelled === b - a) {
      route = "direct_oracle";
      theta = swy / sw;
    } else if (augment && calibrated !== null && residualPredictions !== null && swl > 0) {
      route = "augmented";
      if (inclusion !== null) {
        // A Horvitz–Thompson total over the rows kept, scaled back up to all of them.
        theta = kept > 0 ? plug + (swePi * (nLabelled / kept)) / sw : plug;
      } else {
        c = swr > 0 ? swe / swr : 0;
        theta = plug + c;
      }
    } else {
      route = "plug_in";
      theta = plug;
    }
    routes.push(route);
    estimates[p] = theta;
    corrections[p] = theta - plug;
    if (pseudoOutcomes !== undefined) {
      for (let r = a; r < b; r++) {
        const li = labelledIndex[r];
        if (route === "direct_oracle") {
          pseudoOutcomes[r] = labels[r];
          continue;
        }
        const f = calibrated === null ? scores[r] : calibrated[pointOf[r]];
        let phi = f;
        if (route === "augmented") {
          if (inclusion !== null) {
            if (li >= 0) phi += (labels[r] - (residualPredictions as Float64Array)[li]) / inclusion[r];
          } else {
            phi += c;
            if (li >= 0) phi += (labels[r] - (residualPredictions as Float64Array)[li] - c) / frac;
          }
        }
        pseudoOutcomes[r] = phi;
      }
    }
  }
  return { estimates, routes, plugIn, corrections, oracleFractions };
}

/** Runs that {@link sumRunWeights} adds up side by side (its inner loop is unrolled for four). */
const LANES = 4;

/**
 * Mean unlabelled run length from which {@link directPointEstimate} sums runs side by side with
 * {@link sumRunWeights}: a lane taking a new run costs more than a plain loop does, which only pays
 * off over long runs (with covariates every run is one row, and side by side was slower there).
 */
const MIN_MEAN_LANE_RUN = 16;

function longRuns(table: EvalTable): boolean {
  let unlabelledRows = 0;
  for (let p = 0; p < table.labelledStart.length; p++) unlabelledRows += table.labelledStart[p] - table.policyStart[p];
  return unlabelledRows >= MIN_MEAN_LANE_RUN * table.unlabelledRuns.length;
}

/**
 * Total weight of every unlabelled run of `table` (`table.unlabelledRuns` order) under per-cluster
 * `weights`, written into `out`. Each total is added up from zero in row order — exactly the sum of
 * a plain loop over the run — but four runs are summed side by side: a single running sum waits for
 * each addition (and its random read of a cluster weight) to finish, four independent ones overlap,
 * which makes the bootstrap's pass over a million rows with long runs about 1.5× faster.
 */
export function sumRunWeights(table: EvalTable, weights: Float64Array, out: Float64Array): Float64Array {
  const { cluster, unlabelledRuns, runPolicyStart, labelledStart } = table;
  const nRuns = unlabelledRuns.length;
  // Per lane: its run (−1: none), next row, end row and running sum. A lane whose run is done
  // stores the total and takes the next run, in run order.
  const run = new Int32Array(LANES).fill(-1);
  const at = new Int32Array(LANES);
  const end = new Int32Array(LANES);
  const sum = new Float64Array(LANES);
  let next = 0;
  let policy = 0;
  for (;;) {
    let steps = Number.POSITIVE_INFINITY;
    for (let l = 0; l < LANES; l++) {
      if (at[l] === end[l]) {
        if (run[l] >= 0) out[run[l]] = sum[l];
        run[l] = -1;
        if (next < nRuns) {
          while (next >= runPolicyStart[policy + 1]) policy++;
          run[l] = next;
          at[l] = unlabelledRuns[next];
          next++;
          end[l] = next < runPolicyStart[policy + 1] ? unlabelledRuns[next] : labelledStart[policy];
          sum[l] = 0;
        }
      }
      steps = Math.min(steps, end[l] - at[l]);
    }
    if (run[0] < 0 || run[1] < 0 || run[2] < 0 || run[3] < 0) break;
    let r0 = at[0];
    let r1 = at[1];
    let r2 = at[2];
    let r3 = at[3];
    let s0 = sum[0];
    let s1 = sum[1];
    let s2 = sum[2];
    let s3 = sum[3];
    for (const stop = r0 + steps; r0 < stop; r0++, r1++, r2++, r3++) {
      s0 += weights[cluster[r0]];
      s1 += weights[cluster[r1]];
      s2 += weights[cluster[r2]];
      s3 += weights[cluster[r3]];
    }
    at[0] = r0;
    at[1] = r1;
    at[2] = r2;
    at[3] = r3;
    sum[0] = s0;
    sum[1] = s1;
    sum[2] = s2;
    sum[3] = s3;
  }
  // Fewer than four runs left: finish them one after the other.
  for (let l = 0; l < LANES; l++) {
    if (run[l] < 0) continue;
    let s = sum[l];
    for (let r = at[l]; r < end[l]; r++) s += weights[cluster[r]];
    out[run[l]] = s;
  }
  return out;
}
