/**
 * The per-policy off-policy diagnostics of an `analyzeOffPolicy` result
 * (`diagnostics.policies[p].off_policy`): importance-weight health, overlap, target-typicality
 * coverage, DR orthogonality, the stack's mixing weights and the gate statuses.
 */
import { z } from "zod";
import { recordSchema } from "../data/dictionary.js";

const nullableNumber = z.number().nullable();
const gateStatus = z.enum(["GOOD", "WARNING", "CRITICAL"]).nullable();

/** Off-policy diagnostics of one target policy. */
export const OffPolicyDiagnosticsSchema = z.object({
  /** Logged rows used for the target. */
  n_logged: z.number().int(),
  /** Mean of the unnormalised ratios exp(lp′ − lp0): 1 in expectation when the log-probs share a footing (Horvitz–Thompson relies on it). */
  raw_ratio_mean: z.number(),
  /** ESS share of the raw (Hájek) weights. */
  ess_raw: z.number(),
  /** ESS share of the SIMCal-W weights (null when the estimator does not stabilise weights). */
  ess_stabilised: nullableNumber,
  /** Largest weight the estimator applied, on the mean-one scale. */
  max_weight: z.number(),
  /** Hill tail index of the applied weights (null: not estimable, or +∞ for a flat tail — see `gates.tail`). */
  hill_tail_index: nullableNumber,
  /** Share of the applied weights' total held by the top 1% of rows. */
  top_1pct_mass: z.number(),
  /** Action-space affinity E[√w] of the raw weights. */
  hellinger_affinity: nullableNumber,
  /** Judge-space Bhattacharyya affinity A_B: logged vs the target's fresh-draw scores, else importance-weighted. */
  judge_overlap: z.object({ affinity: nullableNumber, mode: z.enum(["fresh_draws", "weights"]) }),
  /** Target-typicality coverage: the value used (`normalizer`) and the alternatives. */
  ttc: z.object({
    value: z.number(),
    normalizer: z.enum(["total", "per_char", "per_token"]),
    total: z.number(),
    per_char: z.number(),
    per_token: nullableNumber,
  }),
  /** Coverage-limited efficiency of the region behind `ttc.value`. */
  cle: z.object({ factor: nullableNumber, coverage_penalty: nullableNumber, shape_mismatch: nullableNumber, target_mass: z.number() }),
  /** DR orthogonality score mean w(R − ĝ) (DR estimators). */
  orthogonality: z.object({ score: z.number(), se: z.number(), ci: z.tuple([z.number(), z.number()]), p_value: z.number(), passes: z.boolean() }).nullable(),
  /** Stacked DR: mixing weights and component estimates (internal units). */
  stacking: z.object({ weights: recordSchema(z.number()), estimates: recordSchema(z.number()) }).nullable(),
  /** TMLE fluctuation (tmle). */
  tmle: z.object({ epsilon: z.number(), converged: z.boolean(), iterations: z.number().int() }).nullable(),
  /** Gate statuses (method-ope §10); null = no verdict. */
  gates: z.object({ ess: gateStatus, tail: gateStatus, ttc: gateStatus, judge_overlap: gateStatus }),
});

/** Off-policy diagnostics of one target (see {@link OffPolicyDiagnosticsSchema}). */
export type OffPolicyDiagnostics = z.infer<typeof OffPolicyDiagnosticsSchema>;
