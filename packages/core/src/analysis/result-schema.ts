/**
 * The JSON contract of `cje analyze` (and of {@link analyze} in code): a zod schema is the single
 * source of truth, the TypeScript type is inferred from it, and tests validate real outputs against
 * it. Field names are snake_case because this is the file format; numbers that cannot be computed
 * are `null` (JSON has no NaN).
 */
import { z } from "zod";
import { OffPolicyDiagnosticsSchema } from "./off-policy-schema.js";
import { TransportRecordSchema } from "../diagnostics/trust-schemas.js";
import { recordSchema } from "../data/dictionary.js";

const nullableNumber = z.number().nullable();
const interval = z.tuple([nullableNumber, nullableNumber]);
const scaleSchema = z.object({ min: z.number(), max: z.number(), origin: z.enum(["declared", "inferred"]) });

/** Flags a policy can carry (see `FLAG_REASONS` for their meaning). */
export const PolicyFlagSchema = z.enum([
  "REFUSE-LEVEL",
  "LOW-LABEL-SUPPORT",
  "UNCALIBRATED",
  "DEGENERATE-CALIBRATOR",
  "FEW-LABELLED-CLUSTERS",
  "INFERENCE-UNAVAILABLE",
  "TRANSPORT-FAIL",
  "LOW-ESS",
  "HEAVY-TAIL",
  "LOW-TTC",
  "LOW-OVERLAP",
  "OUTSIDE-PARAMETER-SPACE",
  "DIFFERENT-UNITS",
]);

/** One policy's estimate. */
export const PolicyResultSchema = z.object({
  policy: z.string(),
  /** Point estimate, in `units`. */
  estimate: nullableNumber,
  se: nullableNumber,
  ci: interval,
  /** Number of fresh draws. */
  n: z.number().int(),
  /** Number of those draws carrying an oracle label. */
  n_oracle: z.number().int(),
  flags: z.array(PolicyFlagSchema),
  /** How the estimate was formed. */
  route: z.enum(["direct_oracle", "augmented", "plug_in", "importance_weighted", "doubly_robust"]),
  /** `oracle`: oracle-scale value; `judge`: raw judge-score mean (uncalibrated). */
  units: z.enum(["oracle", "judge"]),
  /** Student-t degrees of freedom (analytic inference). */
  df: z.number().optional(),
});

/** A paired comparison estimate(policy_a) − estimate(policy_b) on shared prompts. */
export const ComparisonSchema = z.object({
  policy_a: z.string(),
  policy_b: z.string(),
  difference: z.number(),
  se: z.number(),
  ci: z.tuple([z.number(), z.number()]),
  p_value: z.number(),
  method: z.enum(["paired_bootstrap", "paired_analytic"]),
  df: z.number().optional(),
  /** Flags of either policy: the difference inherits their unreliability. */
  flagged: z.array(z.string()),
});

const rangeSupportSchema = z.object({
  status: z.enum(["OK", "CAUTION", "REFUSE-LEVEL"]),
  out_of_range: z.number(),
  out_below: z.number(),
  out_above: z.number(),
  saturation: z.number(),
  labelled_range: z.tuple([z.number(), z.number()]),
});

const labelSupportSchema = z.object({
  sparse_mass: z.number(),
  flagged: z.boolean(),
  window: z.number(),
  min_local_labels: z.number(),
  threshold: z.number(),
});

/** Per-policy diagnostics. */
export const PolicyDiagnosticsSchema = z.object({
  /** Calibrated mean before residual augmentation (raw judge mean when uncalibrated), in `units`. */
  plug_in: nullableNumber,
  /** Estimate minus plug-in. */
  residual_correction: nullableNumber,
  /** Raw judge-score mean with a cluster-robust 95% CI, in judge units: what naive evaluation reports. */
  naive: z.object({ estimate: z.number(), ci: interval }),
  n_clusters: z.number().int(),
  range_support: rangeSupportSchema.nullable(),
  label_support: labelSupportSchema.nullable(),
  /** Bootstrap path: whether the percentile interval or the (wider) analytic interval is reported. */
  interval_source: z.enum(["bootstrap", "analytic"]).optional(),
  /** Sampling and calibration variance components (analytic inference), in `units`². */
  variance_components: z.object({ sampling: nullableNumber, calibration: z.number() }).optional(),
  /** Residual transport audit of the policy (see `TransportRecordSchema`). */
  transport: TransportRecordSchema.optional(),
  /** Off-policy estimators: weight, overlap and typicality diagnostics of the target. */
  off_policy: OffPolicyDiagnosticsSchema.optional(),
});

/** How the oracle labels were selected (`diagnostics.label_design`). */
export const LabelDesignResultSchema = z.object({
  /** `known_propensity`: labelled rows carry their inclusion probability π (Horvitz–Thompson correction, 1/π calibrator weights). */
  kind: z.enum(["representative", "known_propensity"]),
  /** `rows`: read from the fresh draws' inclusion-probability field; `option`: passed by the caller; `default`: representative. */
  origin: z.enum(["rows", "option", "default"]),
  /** Labelled fresh draws the design applies to. */
  n_labelled: z.number().int(),
  /** Smallest and largest inclusion probability of those rows (known-propensity designs). */
  inclusion_range: z.tuple([z.number(), z.number()]).nullable(),
  /** The fresh-draw field π was read from. */
  field: z.string().optional(),
});

/** The whole result. */
export const AnalysisResultSchema = z.object({
  schema_version: z.literal("cje-ts.analysis/v1"),
  estimator: z.string(),
  policies: z.array(PolicyResultSchema),
  comparisons: z.array(ComparisonSchema),
  best_policy: z
    .object({
      /** The announced best policy; null when none can be named (every policy flagged — see `reason`). */
      best: z.string().nullable(),
      raw_best: z.string(),
      demoted: z.boolean(),
      raw_best_flags: z.array(PolicyFlagSchema),
      all_flagged: z.boolean(),
      /** Why no policy is named best (null when one is; absent in results written before it existed). */
      reason: z.string().nullable().optional(),
    })
    .nullable(),
  diagnostics: z.object({
    calibration: z
      .object({
        requested_mode: z.string(),
        selected_mode: z.string(),
        n_folds: z.number().int(),
        n_oracle: z.number().int(),
        n_labelled_clusters: z.number().int(),
        n_from_calibration_file: z.number().int(),
        rmse: z.number(),
        oof_rmse: z.number(),
        coverage_at_0_1: z.number(),
        oof_coverage_at_0_1: z.number(),
        covariates: z.array(z.string()),
        selection: z
          .object({
            rmse_monotone: z.number(),
            rmse_two_stage: z.number(),
            se_rmse: z.number(),
            regions_two_stage_better: z.number().int(),
          })
          .optional(),
      })
      .nullable(),
    inference: z.object({
      method: z.enum(["bootstrap", "analytic"]),
      alpha: z.number(),
      replicates: z.number().int().optional(),
      seed: z.number().int().optional(),
    }),
    scales: z.object({ judge: scaleSchema, oracle: scaleSchema.nullable() }),
    policies: recordSchema(PolicyDiagnosticsSchema),
    dropped: z.object({
      total: z.number().int(),
      by_policy: recordSchema(z.number().int()),
      rows: z.array(z.object({ file: z.string(), line: z.number().int(), field: z.string().optional(), reason: z.string() })),
    }),
    warnings: z.array(z.string()),
    label_design: LabelDesignResultSchema.optional(),
  }),
});

/** The result of an analysis, as written to JSON. */
export type AnalysisResult = z.infer<typeof AnalysisResultSchema>;
/** One policy's entry in {@link AnalysisResult}. */
export type PolicyResult = z.infer<typeof PolicyResultSchema>;
/** One comparison in {@link AnalysisResult}. */
export type ComparisonResult = z.infer<typeof ComparisonSchema>;
/** The label design entry of {@link AnalysisResult}. */
export type LabelDesignResult = z.infer<typeof LabelDesignResultSchema>;
