/**
 * Paired comparisons of off-policy estimates: ψ_a − ψ_b with the influence functions of both
 * targets on the shared logged rows (rows used by only one target contribute its term alone),
 * a cluster-robust variance by prompt, the OUA jackknife of the difference of replicates, and
 * Welch–Satterthwaite degrees of freedom.
 */
import type { ScaleResolution } from "../data/types.js";
import { scaleSpan } from "../data/scales.js";
import { analyticInterval } from "../numeric/analytic-interval.js";
import { clusterRobustVariance } from "../numeric/cluster-robust.js";
import { studentTSf } from "../numeric/distributions.js";
import type { OffPolicyEstimate } from "../off-policy/off-policy-inference.js";
import type { TargetProblem } from "../off-policy/off-policy-problem.js";
import type { ComparisonResult, PolicyResult } from "./result-schema.js";

/** A target's problem and estimate. */
export interface ComparedTarget {
  readonly problem: TargetProblem;
  readonly estimate: OffPolicyEstimate;
}

/** Every pair (a, b), a before b, reported in `scale` units (differences scale by its span). */
export function offPolicyComparisons(
  targets: readonly ComparedTarget[],
  policies: readonly PolicyResult[],
  alpha: number,
  scale: ScaleResolution,
): ComparisonResult[] {
  const span = scaleSpan(scale.scale);
  const out: ComparisonResult[] = [];
  for (let a = 0; a < targets.length; a++) {
    for (let b = a + 1; b < targets.length; b++) {
      if (policies[a].units !== policies[b].units) continue;
      const d = pairedDifference(targets[a], targets[b], alpha);
      out.push({
        policy_a: policies[a].policy,
        policy_b: policies[b].policy,
        difference: d.difference * span,
        se: d.se * span,
        ci: [d.ci[0] * span, d.ci[1] * span],
        p_value: d.pValue,
        method: "paired_analytic",
        df: d.df,
        flagged: [...policies[a].flags.map((f) => `${policies[a].policy}:${f}`), ...policies[b].flags.map((f) => `${policies[b].policy}:${f}`)],
      });
    }
  }
  return out;
}

/** The difference ψ_a − ψ_b with its analytic inference (internal units). */
export function pairedDifference(
  a: ComparedTarget,
  b: ComparedTarget,
  alpha: number,
): { difference: number; se: number; ci: [number, number]; pValue: number; df: number } {
  // Scaled IF contributions over the union of rows: Σφ_a/n_a − Σφ_b/n_b = (1/m)Σ v_r.
  const rowsA = a.problem.rows;
  const rowsB = b.problem.rows;
  const union = Int32Array.from(new Set([...rowsA, ...rowsB])).sort();
  const position = new Map<number, number>();
  union.forEach((r, i) => position.set(r, i));
  const m = union.length;
  const v = new Float64Array(m);
  const clusters = new Int32Array(m);
  rowsA.forEach((r, i) => {
    const at = position.get(r) as number;
    v[at] += (m / rowsA.length) * a.estimate.influence[i];
    clusters[at] = a.problem.clusters[i];
  });
  rowsB.forEach((r, i) => {
    const at = position.get(r) as number;
    v[at] -= (m / rowsB.length) * b.estimate.influence[i];
    clusters[at] = b.problem.clusters[i];
  });
  const crv = clusterRobustVariance(v, clusters, a.problem.nClusterCodes);
  const ra = a.estimate.replicates;
  const rb = b.estimate.replicates;
  const reps = ra !== null && rb !== null && ra.length === rb.length ? Float64Array.from(ra, (x, k) => x - rb[k]) : null;
  const difference = a.estimate.estimate - b.estimate.estimate;
  const { se, ci, df } = analyticInterval({
    estimate: difference,
    samplingVariance: crv.variance,
    samplingDf: crv.df,
    jackknife: reps,
    jackknifeDf: a.problem.jackknifeDf,
    alpha,
  });
  return { difference, se, ci: [ci[0], ci[1]], pValue: se > 0 ? 2 * studentTSf(Math.abs(difference) / se, df) : 1, df };
}
