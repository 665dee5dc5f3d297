/**
 * Per-target off-policy diagnostics and the flags they raise: weight health (ESS raw and
 * stabilised, max weight, Hill tail index, top-1% mass), overlap (Hellinger, judge-space
 * Bhattacharyya), target-typicality coverage with its CLE factor, and DR orthogonality.
 *
 * Which gates become flags depends on the estimator family. Logs-only estimators (ips, snips,
 * calibrated-ips) rest entirely on the weights, so LOW-ESS, HEAVY-TAIL (on the weights actually
 * applied), LOW-TTC and LOW-OVERLAP flag them. Doubly-robust estimators take their level from the
 * fresh draws through the outcome model, and the weights only correct its residual, so their flags
 * come from label support of the fresh-draw scores (as in Direct mode) and from LOW-ESS of the
 * stabilised weights; their weight gates are still reported in `off_policy.gates`.
 */
import type { LoggedData } from "../off-policy/logged.js";
import { orthogonalityScore } from "../off-policy/orthogonality.js";
import { bhattacharyyaStatus, essStatus, tailStatus, ttcStatus } from "../off-policy/overlap-gates.js";
import { hellingerAffinity, judgeSpaceBhattacharyya } from "../off-policy/overlap.js";
import { targetTypicality, type SurprisalNormalizer } from "../off-policy/typicality.js";
import { effectiveSampleSize, hillTailIndex, massConcentration } from "../off-policy/weights.js";
import type { PolicyFlag } from "../diagnostics/gates.js";
import { CjeInputError } from "../errors/input-error.js";
import { hajekWeights, rawWeights } from "../off-policy/importance-weights.js";
import type { OffPolicyEstimate } from "../off-policy/off-policy-inference.js";
import type { TargetProblem } from "../off-policy/off-policy-problem.js";
import { finiteOrNull } from "./analyze.js";
import type { OffPolicyDiagnostics } from "./off-policy-schema.js";

/** What the diagnostics need besides the problem and the estimate. */
export interface DiagnosticInputs {
  readonly logged: LoggedData;
  /** The target's fresh-draw judge scores, when there are any. */
  readonly freshScores: Float64Array | null;
  /** Whether the estimator applies SIMCal-W weights. */
  readonly stabilised: boolean;
  /** Whether the estimator is doubly robust. */
  readonly doublyRobust: boolean;
  readonly normalizer: SurprisalNormalizer;
  readonly stacking: OffPolicyDiagnostics["stacking"];
  readonly tmle: OffPolicyDiagnostics["tmle"];
}

/** Computes the diagnostics of one target and the weight flags they raise. */
export function offPolicyDiagnostics(
  problem: TargetProblem,
  est: OffPolicyEstimate,
  inputs: DiagnosticInputs,
): { json: OffPolicyDiagnostics; flags: PolicyFlag[] } {
  const n = problem.rows.length;
  const raw = hajekWeights(problem.logRatio);
  const applied = est.weights;
  const appliedSum = applied.reduce((a, b) => a + b, 0);
  const essApplied = effectiveSampleSize(applied) / n;
  const hill = hillTailIndex(applied);
  const typicality = ttcDiagnostics(problem, inputs);
  const overlap =
    inputs.freshScores !== null && inputs.freshScores.length > 0
      ? { affinity: nullIfNaN(judgeSpaceBhattacharyya(problem.scores, { targetScores: inputs.freshScores })), mode: "fresh_draws" as const }
      : { affinity: nullIfNaN(judgeSpaceBhattacharyya(problem.scores, { weights: raw })), mode: "weights" as const };
  const gates = {
    ess: essStatus(essApplied),
    tail: tailStatus(hill, essApplied),
    ttc: ttcStatus(typicality.value),
    judge_overlap: overlap.affinity === null ? null : bhattacharyyaStatus(overlap.affinity),
  };
  const flags: PolicyFlag[] = [];
  if (gates.ess !== "GOOD" && gates.ess !== null) flags.push("LOW-ESS");
  if (!inputs.doublyRobust) {
    if (gates.tail === "WARNING" || gates.tail === "CRITICAL") flags.push("HEAVY-TAIL");
    if (gates.ttc !== "GOOD") flags.push("LOW-TTC");
    if (gates.judge_overlap !== null && gates.judge_overlap !== "GOOD") flags.push("LOW-OVERLAP");
  }
  const ortho = est.dr === undefined ? null : orthogonalityScore(applied, problem.rewards, est.dr.outcome);
  const json: OffPolicyDiagnostics = {
    n_logged: n,
    raw_ratio_mean: rawWeights(problem.logRatio).reduce((a, b) => a + b, 0) / n,
    ess_raw: effectiveSampleSize(raw) / n,
    ess_stabilised: inputs.stabilised ? essApplied : null,
    max_weight: appliedSum > 0 ? (applied.reduce((m, w) => Math.max(m, w), 0) * n) / appliedSum : 0,
    hill_tail_index: Number.isFinite(hill) ? hill : null,
    top_1pct_mass: massConcentration(applied),
    hellinger_affinity: nullIfNaN(hellingerAffinity(raw)),
    judge_overlap: overlap,
    ttc: typicality.json,
    cle: typicality.cle,
    orthogonality: ortho === null ? null : { score: ortho.score, se: ortho.se, ci: [ortho.ci[0], ortho.ci[1]], p_value: ortho.pValue, passes: ortho.passes },
    stacking: inputs.stacking,
    tmle: inputs.tmle,
    gates,
  };
  return { json, flags };
}

function ttcDiagnostics(
  problem: TargetProblem,
  inputs: DiagnosticInputs,
): { value: number; json: OffPolicyDiagnostics["ttc"]; cle: OffPolicyDiagnostics["cle"] } {
  const { logged } = inputs;
  const rows = problem.rows;
  const base = Float64Array.from(rows, (r) => logged.baseLogprobs[r]);
  const target = Float64Array.from(rows, (r) => logged.targetLogprobs[problem.target][r]);
  const total = targetTypicality(base, target, null);
  const perChar = targetTypicality(
    base,
    target,
    Float64Array.from(rows, (r) => logged.responseChars[r]),
  );
  const tokens = logged.tokenCounts;
  const perToken =
    tokens === null
      ? null
      : targetTypicality(
          base,
          target,
          Float64Array.from(rows, (r) => tokens[r]),
        );
  if (inputs.normalizer === "per_token" && perToken === null) {
    throw new CjeInputError("the per_token TTC normaliser needs a positive response_token_count on every logged row", {
      file: logged.file,
      field: "response_token_count",
    });
  }
  const used = inputs.normalizer === "total" ? total : inputs.normalizer === "per_char" ? perChar : (perToken as typeof total);
  return {
    value: used.ttc,
    json: { value: used.ttc, normalizer: inputs.normalizer, total: total.ttc, per_char: perChar.ttc, per_token: perToken === null ? null : perToken.ttc },
    cle: {
      factor: finiteOrNull(used.cleFactor),
      coverage_penalty: finiteOrNull(used.coveragePenalty),
      shape_mismatch: finiteOrNull(used.shapeMismatch),
      target_mass: used.targetMass,
    },
  };
}

function nullIfNaN(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}
