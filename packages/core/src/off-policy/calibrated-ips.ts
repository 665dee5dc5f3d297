/**
 * Calibrated IPS (method-ope §6.3): SNIPS with SIMCal-W weights fitted with honest outer
 * cross-fitting. For each fold v, SIMCal is fitted on the other folds (ordering index = the
 * cross-fitted calibrated reward, or the judge score without a calibrator; inner folds = the
 * training rows' folds, IF target = the cross-fitted reward) and predicts fold v's weights, each fold mean-one; the assembled vector is
 * made mean-one. A fold whose training part has fewer than 10 rows or whose test part has fewer
 * than 2 keeps its Hájek weights.
 */
import { isotonicOrder, subsetOrder } from "../calibration/isotonic.js";
import { fitSimcal, type SimcalConfig } from "./simcal.js";
import { hajekWeights, meanOne } from "./importance-weights.js";
import { gatherCodes, gatherRows, rowsWith, rowsWithout } from "../numeric/rows.js";
import { centre, mean, weightedReplicates, type OffPolicyEstimate } from "./off-policy-inference.js";
import type { TargetProblem } from "./off-policy-problem.js";

/** SIMCal-W weights of a target plus what its influence function needs. */
export interface StabilisedWeights {
  /** Final mean-one weights. */
  readonly weights: Float64Array;
  /** Per outer fold: the training part's Hájek estimate ψ_L and mean raw weight m_L. */
  readonly foldPsi: Float64Array;
  readonly foldMeanWeight: Float64Array;
}

/** Fits SIMCal-W with outer cross-fitting over the problem's folds. */
export function stabiliseWeights(problem: TargetProblem, config: SimcalConfig = {}): StabilisedWeights {
  const w0 = hajekWeights(problem.logRatio);
  const n = w0.length;
  const { folds, nFolds, oofRewards, oofCalibrated, weightTarget } = problem;
  const out = new Float64Array(n);
  // Every fold's SIMCal fit sorts its rows by (index, weight): one sort of all rows serves them all.
  const order = isotonicOrder(oofCalibrated, w0);
  const foldPsi = new Float64Array(nFolds);
  const foldMeanWeight = new Float64Array(nFolds);
  for (let v = 0; v < nFolds; v++) {
    const test = rowsWith(folds, v);
    const train = rowsWithout(folds, v);
    let sw = 0;
    let swr = 0;
    for (const i of train) {
      sw += w0[i];
      swr += w0[i] * oofRewards[i];
    }
    foldPsi[v] = sw > 0 ? swr / sw : mean(gatherRows(oofRewards, train));
    foldMeanWeight[v] = train.length > 0 ? sw / train.length : 1;
    if (test.length === 0) continue;
    if (train.length < 10 || test.length < 2 || !(sw > 0)) {
      for (const i of test) out[i] = w0[i];
      continue;
    }
    // Typed columns throughout, so that SIMCal's code sees one array kind.
    const model = fitSimcal(
      gatherRows(w0, train),
      gatherRows(oofCalibrated, train),
      gatherRows(weightTarget, train),
      gatherCodes(folds, train),
      config,
      subsetOrder(order, train),
    );
    const predicted = model.predict(gatherRows(w0, test), gatherRows(oofCalibrated, test));
    test.forEach((i, j) => (out[i] = predicted[j]));
  }
  return { weights: meanOne(out), foldPsi, foldMeanWeight };
}

/** Calibrated-IPS estimate; influence w_i(R^oof_i − ψ_L(v))/m_L(v), centred (v = row i's fold). */
export function estimateCalibratedIps(problem: TargetProblem, config: SimcalConfig = {}): OffPolicyEstimate {
  const s = stabiliseWeights(problem, config);
  return calibratedIpsFromWeights(problem, s);
}

/** The calibrated-IPS functional on already stabilised weights (shared with the DR estimators). */
export function calibratedIpsFromWeights(problem: TargetProblem, s: StabilisedWeights): OffPolicyEstimate {
  const w = s.weights;
  const estimate = mean(Float64Array.from(w, (wi, i) => wi * problem.rewards[i]));
  const influence = centre(
    Float64Array.from(w, (wi, i) => {
      const v = problem.folds[i];
      const m = s.foldMeanWeight[v] > 0 ? s.foldMeanWeight[v] : 1;
      return (wi * (problem.oofRewards[i] - s.foldPsi[v])) / m;
    }),
  );
  return { estimate, influence, replicates: weightedReplicates(problem, w), weights: w };
}
