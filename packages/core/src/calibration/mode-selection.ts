/**
 * The `auto` rule of AutoCal-R (method-direct §2.3.4): choose between the monotone and the
 * two-stage calibrator from their out-of-fold predictions on the labelled rows.
 *
 * Two-stage wins when its OOF RMSE beats monotone's by more than one standard error of monotone's
 * RMSE (the 1-SE rule), or when it has strictly lower RMSE in at least two of the three score
 * regions (rows sorted by judge score, split into thirds).
 */

/** Outcome of the `auto` selection, kept for diagnostics. */
export interface ModeSelection {
  readonly selected: "monotone" | "two_stage";
  /** OOF RMSE of the monotone calibrator. */
  readonly rmseMonotone: number;
  /** OOF RMSE of the two-stage calibrator. */
  readonly rmseTwoStage: number;
  /** Standard error of the monotone OOF RMSE used by the 1-SE rule. */
  readonly seRmse: number;
  /** Number of score thirds (0–3) where two-stage has strictly lower RMSE. */
  readonly regionsTwoStageBetter: number;
}

/** Floor on the RMSE in the delta-method SE, to avoid division by zero. */
const RMSE_FLOOR = 1e-12;

/**
 * Applies the selection rule.
 *
 * @param scores judge score of each labelled row (defines the regions)
 * @param labels oracle label of each labelled row
 * @param oofMonotone out-of-fold monotone prediction of each row
 * @param oofTwoStage out-of-fold two-stage prediction of each row
 * @param weights row weights (`null` = unweighted)
 * @param order optional precomputed ascending order of `scores` (stable), reused across refits
 */
export function selectCalibrationMode(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  oofMonotone: ArrayLike<number>,
  oofTwoStage: ArrayLike<number>,
  weights: ArrayLike<number> | null,
  order: Int32Array = stableOrder(scores),
): ModeSelection {
  const n = labels.length;
  let sw = 0;
  let sw2 = 0;
  let ssm = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === null ? 1 : weights[i];
    const rm = labels[i] - oofMonotone[i];
    const rt = labels[i] - oofTwoStage[i];
    sw += w;
    sw2 += w * w;
    ssm += w * rm * rm;
    sst += w * rt * rt;
  }
  const mseM = ssm / sw;
  const rmseM = Math.sqrt(mseM);
  const rmseT = Math.sqrt(sst / sw);
  // SE of the monotone MSE: unweighted sd(r², n−1)/√n, or weighted variance over Kish n_eff.
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === null ? 1 : weights[i];
    const r = labels[i] - oofMonotone[i];
    const d = r * r - mseM;
    acc += w * d * d;
  }
  let seMse: number;
  if (weights === null) {
    seMse = n > 1 ? Math.sqrt(acc / (n - 1)) / Math.sqrt(n) : 0;
  } else {
    const nEff = Math.max((sw * sw) / sw2, 1);
    seMse = Math.sqrt(acc / sw / nEff);
  }
  const seRmse = seMse / (2 * Math.max(rmseM, RMSE_FLOOR));

  const third = Math.floor(n / 3);
  const bounds = [0, third, 2 * third, n];
  let better = 0;
  for (let region = 0; region < 3; region++) {
    let rw = 0;
    let em = 0;
    let et = 0;
    for (let r = bounds[region]; r < bounds[region + 1]; r++) {
      const i = order[r];
      const w = weights === null ? 1 : weights[i];
      const dm = labels[i] - oofMonotone[i];
      const dt = labels[i] - oofTwoStage[i];
      rw += w;
      em += w * dm * dm;
      et += w * dt * dt;
    }
    if (rw > 0 && Math.sqrt(et / rw) < Math.sqrt(em / rw)) better++;
  }
  const twoStage = rmseT < rmseM - seRmse || better >= 2;
  return {
    selected: twoStage ? "two_stage" : "monotone",
    rmseMonotone: rmseM,
    rmseTwoStage: rmseT,
    seRmse,
    regionsTwoStageBetter: better,
  };
}

/** Stable ascending order of `values`. */
export function stableOrder(values: ArrayLike<number>): Int32Array {
  const order = new Int32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => values[a] - values[b] || a - b);
}
