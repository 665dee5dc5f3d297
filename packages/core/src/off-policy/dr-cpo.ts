/**
 * DR-CPO (method-ope §7.1): the doubly-robust functional with the cross-fitted reward calibrator as
 * outcome model, ĝ_i = f^(−fold_i)(S_i) at the logged rows and f^(−fold_i)(S′) at the row's fresh
 * draws; without a calibrator, the cross-fitted isotonic outcome model.
 */
import { drEstimate, requireFresh } from "./dr-shared.js";
import type { OffPolicyEstimate } from "./off-policy-inference.js";
import type { TargetProblem } from "./off-policy-problem.js";
import { IsotonicOutcomeFitter } from "./outcome-model.js";

/**
 * DR-CPO estimate with the given (mean-one) weights. `outcome`, used without a calibrator, may be the
 * problem's outcome fitter shared with other estimators.
 */
export function estimateDrCpo(problem: TargetProblem, weights: Float64Array, calibrated: boolean, outcome?: IsotonicOutcomeFitter): OffPolicyEstimate {
  const fresh = requireFresh(problem);
  const predictions = calibrated ? { logged: problem.oofCalibrated, draws: fresh.oof } : (outcome ?? new IsotonicOutcomeFitter(problem)).predict();
  return drEstimate(problem, weights, predictions);
}
