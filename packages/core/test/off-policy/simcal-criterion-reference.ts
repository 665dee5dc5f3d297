/**
 * The SIMCal-W MSE criterion computed row by row, the slow obvious way, as the tests' reference: per
 * fold, isotonic maps fitted on the other folds, candidates [baseline, increasing, decreasing] floored
 * at ε and made mean-one on the fold, mixed by π and shrunk toward 1 by γ.
 */
import { fitIsotonic } from "../../src/calibration/isotonic.js";
import type { SimcalMseTerms } from "../../src/off-policy/simcal-mse-criterion.js";

/** Inputs: mean-one raw weights `base`, index `s`, IF target `t`, fold ids, ε, the shrinkage γ and the mixture π. */
export interface ReferenceCriterionInputs {
  readonly base: ArrayLike<number>;
  readonly s: ArrayLike<number>;
  readonly t: ArrayLike<number>;
  readonly folds: ArrayLike<number>;
  readonly epsilon: number;
  readonly gamma: number;
  readonly pi: ArrayLike<number>;
}

const mean = (a: readonly number[]) => a.reduce((x, y) => x + y, 0) / a.length;

/** The criterion's terms at π, computed row by row. */
export function referenceCriterion({ base, s, t, folds, epsilon, gamma, pi }: ReferenceCriterionInputs): SimcalMseTerms {
  const n = base.length;
  const rows = [...Array(n).keys()];
  let d = 0;
  let ssA = 0;
  let ssD = 0;
  for (const f of [...new Set(Array.from(folds))].sort((a, b) => a - b)) {
    const te = rows.filter((i) => folds[i] === f);
    const tr = rows.filter((i) => folds[i] !== f);
    const baseline = te.map((i) => base[i]);
    const cands = [baseline.map((v) => v / mean(baseline))];
    for (const increasing of [true, false]) {
      const model = fitIsotonic(
        tr.map((i) => s[i]),
        tr.map((i) => base[i]),
        null,
        { increasing, yMin: -Infinity, yMax: Infinity },
      );
      const p = te.map((i) => Math.max(model.predictOne(s[i]), epsilon));
      cands.push(p.map((v) => v / mean(p)));
    }
    const w = te.map((_, r) => gamma + (1 - gamma) * (pi[0] * cands[0][r] + pi[1] * cands[1][r] + pi[2] * cands[2][r]));
    const psi = mean(w.map((v, r) => v * t[te[r]]));
    const psiBase = mean(cands[0].map((v, r) => v * t[te[r]]));
    d += te.length * (psi - psiBase);
    te.forEach((i, r) => {
      const a = w[r] * (t[i] - psi);
      const b = cands[0][r] * (t[i] - psiBase);
      ssA += a * a;
      ssD += (a - b) ** 2;
    });
  }
  const bias = d / n;
  const biasVariance = ssD / n ** 2;
  const variance = ssA / n ** 2;
  return { bias, biasVariance, variance, mse: Math.max(bias * bias - biasVariance, 0) + variance };
}
