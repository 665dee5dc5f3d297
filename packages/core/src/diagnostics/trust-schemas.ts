/**
 * JSON contracts of the trust layer: transport-audit records (inside `cje analyze` output and in
 * `cje audit`), the `cje plan` report and the `cje validate` report. As for the analysis result, a
 * zod schema is the single source of truth, TypeScript types are inferred from it, field names are
 * snake_case and numbers that cannot be computed are `null`.
 */
import { z } from "zod";
import { recordSchema } from "../data/dictionary.js";

const nullableNumber = z.number().nullable();
const scaleSchema = z.object({ min: z.number(), max: z.number(), origin: z.enum(["declared", "inferred"]) });

/** Transport-audit states (method-direct §2.10). */
export const TransportStatusSchema = z.enum(["PASS", "FAIL", "INCONCLUSIVE", "NOT_GRADED", "NOT_CHECKED"]);

/** Why an audit is not PASS. */
export const TransportReasonSchema = z.enum([
  "margin_not_declared",
  "unacceptable_mean_residual",
  "insufficient_effective_clusters",
  "interval_crosses_margin",
  "probe_not_provided",
  "calibrator_unavailable",
]);

const transportCommon = {
  /** Recommended next step. */
  recommended_action: z.string(),
  /** `policy:<name>`. */
  group_label: z.string(),
  /** Declared margin in oracle units, or `null` (⇒ NOT_GRADED). */
  delta_max: nullableNumber,
  /** Number of probe rows used. */
  n_probe: z.number().int(),
};

/** A policy whose audit could not run: no probe was supplied, or there is no calibrator to audit. */
export const TransportNotCheckedSchema = z.object({
  status: z.literal("NOT_CHECKED"),
  performed: z.literal(false),
  graded: z.literal(false),
  reason_code: z.enum(["probe_not_provided", "calibrator_unavailable"]),
  ...transportCommon,
});

/** One residual display bin: probe-score quantile bin (judge units), count, mean residual (oracle units). */
export const TransportBinSchema = z.object({
  lower: z.number(),
  upper: z.number(),
  count: z.number().int(),
  mean_residual: nullableNumber,
});

/** A performed audit. Residual quantities are in oracle units. */
export const TransportPerformedSchema = z.object({
  status: z.enum(["PASS", "FAIL", "INCONCLUSIVE", "NOT_GRADED"]),
  performed: z.literal(true),
  /** True for PASS, FAIL and INCONCLUSIVE (a margin was declared). */
  graded: z.boolean(),
  /** `null` for PASS. */
  reason_code: TransportReasonSchema.nullable(),
  ...transportCommon,
  /** False when the policy's estimate does not use the calibrator (fully labelled: direct oracle mean). */
  applies_to_current_estimate: z.boolean(),
  /** Weighted mean residual E[Y − f(S, X)]. */
  delta_hat: z.number(),
  /** Cluster-robust SE (`null` with fewer than two clusters). */
  delta_se: nullableNumber,
  /** Simultaneous (Bonferroni) Student-t interval of the mean residual. */
  delta_ci: z.tuple([nullableNumber, nullableNumber]),
  ci_half_width: nullableNumber,
  df: z.number(),
  n_clusters: z.number().int(),
  /** Kish effective clusters W² / Σ_g W_g². */
  effective_clusters: z.number(),
  min_effective_clusters: z.number(),
  weighted: z.boolean(),
  alpha: z.number(),
  family_size: z.number().int(),
  per_audit_confidence_level: z.number(),
  simultaneous_confidence_level: z.number(),
  /** Smallest margin this interval would PASS. */
  min_margin_for_pass: nullableNumber,
  /** Mean residual detectable with 80% power at this SE. */
  detectable_bias_80: nullableNumber,
  bins: z.array(TransportBinSchema),
  /** Share of bins with at least 3 probes. */
  probe_bin_occupancy: z.number(),
  /** Calibrator covariates evaluated on the probes. */
  covariates: z.array(z.string()),
});

/** A per-policy transport-audit record (`diagnostics.policies[p].transport` and `cje audit`). */
export const TransportRecordSchema = z.discriminatedUnion("performed", [TransportNotCheckedSchema, TransportPerformedSchema]);

/** The JSON written by `cje audit`. */
export const AuditReportSchema = z.object({
  schema_version: z.literal("cje-ts.audit/v1"),
  /** Worst state over the policies: FAIL, INCONCLUSIVE, NOT_GRADED, NOT_CHECKED, PASS in that order. */
  overall_status: TransportStatusSchema,
  alpha: z.number(),
  family_size: z.number().int(),
  min_effective_clusters: z.number(),
  scales: z.object({ judge: scaleSchema, oracle: scaleSchema.nullable() }),
  calibration: z
    .object({
      selected_mode: z.string(),
      n_oracle: z.number().int(),
      n_labelled_clusters: z.number().int(),
    })
    .nullable(),
  policies: recordSchema(TransportRecordSchema),
  warnings: z.array(z.string()),
});

/** A transport-audit record. */
export type TransportRecord = z.infer<typeof TransportRecordSchema>;
/** The `cje audit` report. */
export type AuditReport = z.infer<typeof AuditReportSchema>;

/** An allocation of n judge-scored prompts and m oracle labels, and what it buys (oracle units). */
export const PlanSchema = z.object({
  n: z.number().int(),
  m: z.number().int(),
  total_cost: z.number(),
  /** SE of one policy's estimate √(σ²_eval/n + σ²_cal/m). */
  se_level: z.number(),
  /** z(1 − α/2)·se_level. */
  half_width: z.number(),
  /** SE of a difference of two policies: from the comparison model (`paired`), or √2·se_level (`independent`). */
  se_comparison: z.number(),
  comparison_basis: z.enum(["paired", "independent"]),
  /** Minimum detectable difference between two policies at `power`. */
  mde: z.number(),
  power: z.number(),
  alpha: z.number(),
  oracle_fraction: z.number(),
  eval_variance_fraction: z.number(),
  cal_variance_fraction: z.number(),
});

/** The JSON written by `cje plan`. */
export const PlanReportSchema = z.object({
  schema_version: z.literal("cje-ts.plan/v1"),
  /** Where the variance model was measured: a pilot of real draws, or a synthetic world (no pilot yet). */
  source: z.enum(["pilot", "simulation"]),
  pilot: z
    .object({
      policy: z.string(),
      n_prompts: z.number().int(),
      n_labelled_prompts: z.number().int(),
      n_rows: z.number().int(),
      oracle_scale: scaleSchema,
      /**
       * Informational: do the labelled draws' judge scores look like the unlabelled ones' (two-sample
       * Kolmogorov–Smirnov, α = 0.05)? Not rejecting balance does not make the labelling random or ignorable.
       */
      balance: z.object({
        status: z.enum(["BALANCE_NOT_REJECTED", "SHIFT_DETECTED", "INSUFFICIENT_DATA"]),
        ks_statistic: nullableNumber,
        p_value: nullableNumber,
        n_labelled: z.number().int(),
        n_unlabelled: z.number().int(),
      }),
    })
    .nullable(),
  /** The synthetic world of a plan without a pilot (method-direct §2.15); oracle units are [0, 1]. */
  scenario: z
    .object({
      dgp: z.string(),
      /** Share of the oracle's variance the judge explains (isotonic R²). */
      r2: z.number(),
      /** Judge = √w·oracle + √(1−w)·noise, w calibrated to r2. */
      mixing_weight: z.number(),
      n_prompts: z.number().int(),
      oracle_fraction: z.number(),
      seed: z.number().int(),
    })
    .nullable(),
  /** σ² components in oracle units², measured with the production estimator (analytic inference). */
  variance_model: z.object({
    sigma2_eval: z.number(),
    sigma2_cal: z.number(),
    r_squared: z.number(),
    fit_ok: z.boolean(),
    replicates: z.number().int(),
    seed: z.number().int(),
    measurements: z.array(
      z.object({
        n_requested: z.number().int(),
        m_requested: z.number().int(),
        n: z.number().int(),
        m: z.number().int(),
        variance: z.number(),
        valid_replicates: z.number().int(),
      }),
    ),
  }),
  /**
   * Variance model of paired comparisons on shared prompts (pilot policy labelled, the others through
   * its calibrator), measured like `variance_model` with a third term: V_Δ(n, m) = σ²_eval/n +
   * σ²_cal/m + σ²_small/m². `null` without a second pilot policy (and on a synthetic world). The σ² of
   * the model planned on are the largest over the well-fitted pairs, and `null` when no pair fits
   * (comparisons then fall back to the independent basis). `m_range` is the measured label counts.
   */
  comparison_model: z
    .object({
      shared_prompts: z.number().int(),
      sigma2_eval: nullableNumber,
      sigma2_cal: nullableNumber,
      sigma2_small: nullableNumber,
      r_squared: nullableNumber,
      m_range: z.tuple([z.number().int(), z.number().int()]).nullable(),
      pairs: z.array(
        z.object({
          a: z.string(),
          b: z.string(),
          sigma2_eval: z.number(),
          sigma2_cal: z.number(),
          sigma2_small: z.number(),
          r_squared: z.number(),
          fit_ok: z.boolean(),
        }),
      ),
    })
    .nullable(),
  costs: z.object({ judge: z.number(), oracle: z.number() }),
  alpha: z.number(),
  power: z.number(),
  m_min: z.number().int(),
  target_half_width: nullableNumber,
  /** (a) Oracle labels needed for the target half-width with `n` prompts. */
  labels_for_target: z
    .object({
      n: z.number().int(),
      m: z.number().int().nullable(),
      half_width: z.number(),
      min_prompts: z.number().int(),
      reason: z.string().nullable(),
    })
    .nullable(),
  /** (b) Cheapest (n, m) reaching the target half-width. */
  cheapest_plan: PlanSchema.nullable(),
  /** Variance-minimising allocation of a budget. */
  budget_plan: PlanSchema.nullable(),
  /** Cheapest plan detecting a target difference between two policies. */
  mde_plan: PlanSchema.nullable(),
  /** (c) Power of the headline plan (cheapest, else budget, else MDE plan). */
  power_analysis: z.object({
    plan: z.enum(["cheapest", "budget", "mde"]),
    se_comparison: z.number(),
    comparison_basis: z.enum(["paired", "independent"]),
    mde: z.number(),
    detect: z.object({ difference: z.number(), power: z.number() }).nullable(),
  }),
  /** Simulation check of the headline plan: re-sample the pilot at (n, m), refit, measure the realised half-width. */
  check: z
    .object({
      n: z.number().int(),
      m: z.number().int(),
      replicates: z.number().int(),
      predicted_half_width: z.number(),
      realised_half_width: z.number(),
      mean_reported_half_width: z.number(),
      /**
       * Paired comparisons re-sampled at (n, m) on the shared prompts (`null` without a comparison
       * model): the SE predicted by the pair's own model (`null` when it fits poorly), the SD of the
       * re-sampled differences, and the mean SE the comparisons reported (`null` when fewer than two
       * re-samples gave the pair a comparison).
       */
      comparisons: z
        .array(z.object({ a: z.string(), b: z.string(), predicted_se: nullableNumber, realised_se: nullableNumber, mean_reported_se: nullableNumber }))
        .nullable(),
    })
    .nullable(),
  warnings: z.array(z.string()),
});

/** One plan in {@link PlanReport}. */
export type PlanJson = z.infer<typeof PlanSchema>;
/** The `cje plan` report. */
export type PlanReport = z.infer<typeof PlanReportSchema>;

/** A finding of `cje validate`: `error` blocks the analysis, `warning` and `note` do not. */
export const ValidationIssueSchema = z.object({
  severity: z.enum(["error", "warning", "note"]),
  /** The message `cje analyze` would print (file:line: field 'x' = value: reason). */
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  field: z.string().optional(),
});

/** The JSON written by `cje validate`. */
export const ValidationReportSchema = z.object({
  schema_version: z.literal("cje-ts.validate/v1"),
  /** True when `cje analyze` with the same inputs and options can run. */
  valid: z.boolean(),
  inputs: z.array(z.string()),
  calibration_file: z.string().nullable(),
  on_invalid: z.enum(["error", "drop"]),
  /** Per policy (empty when the inputs could not be read). Ranges are in the scale's own units. */
  policies: z.array(
    z.object({
      policy: z.string(),
      file: z.string(),
      n: z.number().int(),
      n_oracle: z.number().int(),
      labelled_share: z.number(),
      n_prompts: z.number().int(),
      n_prompts_with_several_draws: z.number().int(),
      judge_range: z.tuple([z.number(), z.number()]),
      oracle_range: z.tuple([z.number(), z.number()]).nullable(),
    }),
  ),
  calibration: z
    .object({
      n_labelled: z.number().int(),
      /** Rows repeating a labelled fresh draw (same prompt_id, judge_score and oracle_label): each label counts once. */
      n_repeating_fresh_draws: z.number().int(),
      n_unlabelled_skipped: z.number().int(),
    })
    .nullable(),
  scales: z.object({ judge: scaleSchema, oracle: scaleSchema.nullable() }).nullable(),
  labels: z
    .object({
      n_fresh: z.number().int(),
      n_calibration_file: z.number().int(),
      n_labelled_clusters: z.number().int(),
    })
    .nullable(),
  /** Prompt overlap of every pair of policies (paired comparisons use shared prompts). */
  overlap: z.array(
    z.object({
      policy_a: z.string(),
      policy_b: z.string(),
      shared_prompts: z.number().int(),
      prompts_a: z.number().int(),
      prompts_b: z.number().int(),
    }),
  ),
  dropped: z.object({ total: z.number().int(), by_policy: recordSchema(z.number().int()) }),
  issues: z.array(ValidationIssueSchema),
});

/** One validation finding. */
export type ValidationIssue = z.infer<typeof ValidationIssueSchema>;
/** The `cje validate` report. */
export type ValidationReport = z.infer<typeof ValidationReportSchema>;
