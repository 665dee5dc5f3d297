/**
 * The view bundle: everything `cje view` shows, as one JSON document. The Node side builds it from
 * campaign folders, result files and fresh-draw folders; the page builds the same shape from files
 * dropped on it (in-browser analysis); `cje view --export` writes it next to the static page.
 *
 * Columnar where it can be long (rows: up to 100k and more), so that it parses and renders fast.
 */
import { AnalysisResultSchema } from "@cjeval/core";
import { z } from "zod";

/** Version of the bundle's JSON contract. */
export const VIEW_SCHEMA_VERSION = "cje-ts.view/v1";

/** A point of the fitted calibration function (judge score → oracle value), both in internal [0, 1] units. */
export const CurvePointSchema = z.object({ x: z.number(), y: z.number() });

/**
 * The calibration behind a run: curve, labelled points and label density along the score axis. The
 * transport audits are in the result (`diagnostics.policies[p].transport`).
 */
export const ViewCalibrationSchema = z.object({
  /** Selected calibration mode (e.g. "monotone", "two_stage"). */
  mode: z.string(),
  /** Fitted function of the judge score alone over the labelled score range (a note says when the analysis also used covariates). */
  curve: z.array(CurvePointSchema),
  /** Labelled points: judge score, oracle label (internal units) and the policy they came from. */
  labelled: z.object({ score: z.array(z.number()), oracle: z.array(z.number()), policy: z.array(z.string()) }),
  /**
   * Label density along the score axis: equal-width bins over [0, 1]; `all` counts every scored
   * row, `labelled` the labelled ones (where LOW-LABEL-SUPPORT comes from).
   */
  density: z.object({ edges: z.array(z.number()), all: z.array(z.number()), labelled: z.array(z.number()) }),
});

/**
 * The rows behind the numbers, columnar: row i is prompt `prompt[i]` (index into `prompts`) answered
 * by policy `policy[i]` (index into the result's policies, in its order). Values are in internal
 * [0, 1] units; `oracle` and `residual` are null where the row has no label.
 */
export const ViewRowsSchema = z.object({
  prompts: z.object({ id: z.array(z.string()), text: z.array(z.string().nullable()) }),
  policies: z.array(z.string()),
  prompt: z.array(z.number().int()),
  policy: z.array(z.number().int()),
  response: z.array(z.string().nullable()),
  judge: z.array(z.number()),
  calibrated: z.array(z.number().nullable()),
  oracle: z.array(z.number().nullable()),
  residual: z.array(z.number().nullable()),
});

/** Progress of one campaign stage. */
export const StageProgressSchema = z.object({
  stage: z.string(),
  done: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int(),
  /** Results per second over the recent window. */
  per_second: z.number(),
  cost_usd: z.number(),
});

/** A campaign's live state, re-sent on every change while `cje view` serves it. */
export const CampaignProgressSchema = z.object({
  name: z.string(),
  /** ISO time the progress was read. */
  at: z.string(),
  running: z.boolean(),
  stages: z.array(StageProgressSchema),
  cost_usd: z.number(),
});

/** One source shown by the viewer. */
export const ViewRunSchema = z.object({
  /** Stable, URL-safe identifier. */
  id: z.string(),
  /** Display name (folder or file name). */
  label: z.string(),
  kind: z.enum(["campaign", "result", "fresh_draws", "dropped"]),
  /** The path as the user gave it (never a credential). */
  source: z.string(),
  /** The analysis (core's JSON contract); null while a campaign has none yet. */
  result: AnalysisResultSchema.nullable(),
  calibration: ViewCalibrationSchema.nullable(),
  rows: ViewRowsSchema.nullable(),
  campaign: CampaignProgressSchema.nullable(),
  /** Why a part is missing (e.g. a result file alone has no rows), shown to the user. */
  notes: z.array(z.string()),
});

/** The whole bundle. */
export const ViewBundleSchema = z.object({
  schema_version: z.literal(VIEW_SCHEMA_VERSION),
  generated_at: z.string(),
  cje_version: z.string(),
  runs: z.array(ViewRunSchema),
});

export type CurvePoint = z.infer<typeof CurvePointSchema>;
export type ViewCalibration = z.infer<typeof ViewCalibrationSchema>;
export type ViewRows = z.infer<typeof ViewRowsSchema>;
export type StageProgress = z.infer<typeof StageProgressSchema>;
export type CampaignProgress = z.infer<typeof CampaignProgressSchema>;
export type ViewRun = z.infer<typeof ViewRunSchema>;
export type ViewBundle = z.infer<typeof ViewBundleSchema>;
