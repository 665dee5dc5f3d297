/**
 * Stage 6: the fresh draws the earlier stages stored — exactly those, nothing else — go through `analyze`
 * from @cjeval/core (the Direct estimate, with the transport probes of the audited policies as held-out
 * probes), and, when the campaign lists them, through the off-policy estimators (`analyzeOffPolicy`, see
 * `off-policy.ts`). Each analysis is stored as a unit keyed by its inputs (a report can be rebuilt from the
 * store alone), and the rows are written out — `<policy>_responses.jsonl`, `<policy>_probe.jsonl`,
 * `logged_data.jsonl` — so that `cje analyze` on them reproduces the results.
 */
import path from "node:path";
import {
  VERSION,
  AnalysisResultSchema,
  analyze,
  evaluationDataFromRecords,
  transportProbesFromRecords,
  type AnalysisResult,
  type AnalyzeOptions,
  type TransportConfig,
} from "@cjeval/core";
import { requestKey } from "@cjeval/provider-utils";
import { z } from "zod";
import { offPolicyEstimators } from "../config/trust-settings.js";
import { writeOutputFile, writeResultFiles } from "../report/output-files.js";
import { resultsFor, type StageContext, unitKey } from "./context.js";
import { freshDrawRecords, loggedRecords, probeRecords, type EstimateInputs, type PolicyRecords } from "./estimate-records.js";
import type { StageOutcome, UnitJob } from "./execute.js";
import { logprobPolicies } from "./logprobs.js";
import {
  CURRENT_OFF_POLICY_META,
  offPolicyJob,
  offPolicyKey,
  OffPolicyResultSchema,
  UNIT_SCALES,
  type OffPolicyInputs,
  type OffPolicyResult,
} from "./off-policy.js";

export type { EstimateInputs } from "./estimate-records.js";

/** A labelled point of the calibration: judge score → oracle label (both in [0, 1]). */
export interface LabelledPoint {
  readonly policy: string;
  readonly prompt_id: string;
  readonly judge_score: number;
  readonly oracle_label: number;
}

/** The transport probes of one audited policy. */
export interface ProbeSummary {
  readonly policy: string;
  /** The policy's judged rows the probes were drawn from. */
  readonly eligible: number;
  /** Probes drawn. */
  readonly drawn: number;
  /** Probes with a judge score and an oracle label (those audited). */
  readonly labelled: number;
  /** Inclusion probability of each probe (simple random sample: drawn / eligible). */
  readonly inclusion: number;
}

/** The stored analysis with what the report needs besides it. */
export interface EstimateValue {
  readonly analysis: AnalysisResult;
  readonly labelled: readonly LabelledPoint[];
  /** The label design, when labels were sampled. */
  readonly design: { readonly name: string; readonly eligible: number; readonly selected: number; readonly labelled: number } | null;
  /** The transport probes and their points, when the campaign audits (absent in analyses stored before audits existed). */
  readonly audit?: { readonly probes: readonly ProbeSummary[]; readonly points: readonly LabelledPoint[] };
}

const LabelledPointSchema = z.object({ policy: z.string(), prompt_id: z.string(), judge_score: z.number(), oracle_label: z.number() });

/** Schema of a stored Direct analysis with what the report needs besides it (checked when read back). */
export const EstimateValueSchema: z.ZodType<EstimateValue> = z.object({
  analysis: AnalysisResultSchema,
  labelled: z.array(LabelledPointSchema),
  design: z.object({ name: z.string(), eligible: z.number(), selected: z.number(), labelled: z.number() }).nullable(),
  audit: z
    .object({
      probes: z.array(z.object({ policy: z.string(), eligible: z.number(), drawn: z.number(), labelled: z.number(), inclusion: z.number() })),
      points: z.array(LabelledPointSchema),
    })
    .optional(),
});

/** What a unit of the estimate stage stores: the Direct analysis, or one off-policy estimator's. */
export const EstimateStageValueSchema = z.union([EstimateValueSchema, OffPolicyResultSchema]);

/** What the stage leaves behind. */
export interface EstimateStageResult {
  readonly outcome: StageOutcome;
  /** The unit key of the Direct analysis (the store's current estimate). */
  readonly key: string;
  readonly value: EstimateValue | null;
  /** The off-policy analyses stored, in the campaign's order. */
  readonly offPolicy: readonly OffPolicyResult[];
}

/** Store metadata key naming the current analysis unit. */
export const CURRENT_ESTIMATE_META = "current_estimate";

/** The labelled points of `records` (all rows with an `oracle_label`). */
function labelledPoints(records: PolicyRecords): LabelledPoint[] {
  const points: LabelledPoint[] = [];
  for (const [policy, rows] of Object.entries(records)) {
    for (const r of rows) {
      if (r.oracle_label !== undefined)
        points.push({ policy, prompt_id: r.prompt_id as string, judge_score: r.judge_score as number, oracle_label: r.oracle_label as number });
    }
  }
  return points;
}

/** The Direct analysis unit: `analyze` on the fresh draws, auditing the probed policies. */
function directJob(ctx: StageContext, inputs: EstimateInputs, records: PolicyRecords, probes: PolicyRecords): UnitJob {
  const settings = ctx.campaign.config.estimate ?? {};
  const audit = ctx.campaign.config.audit;
  const options: AnalyzeOptions = {
    ...(settings.inference === undefined ? {} : { inference: settings.inference }),
    ...(settings.bootstrap === undefined ? {} : { replicates: settings.bootstrap }),
    ...(settings.seed === undefined ? {} : { seed: settings.seed }),
    ...(settings.covariates === undefined ? {} : { covariates: settings.covariates }),
  };
  const margins = audit === undefined ? undefined : { deltaMax: audit.deltaMax ?? null, deltaMaxByPolicy: audit.deltaMaxByPolicy ?? {} };
  // The core version is part of the key: a store keeps no estimate of older estimators (recomputing costs no call).
  const key = unitKey("estimate", {
    core: VERSION,
    options,
    records: requestKey(records),
    ...(margins === undefined ? {} : { transport: { ...margins, probes: requestKey(probes) } }),
  });
  const run = async () => {
    const data = evaluationDataFromRecords(records, UNIT_SCALES);
    const transport: TransportConfig | undefined =
      audit === undefined || Object.keys(probes).length === 0
        ? undefined
        : {
            probes: transportProbesFromRecords(probes, data),
            ...(audit.deltaMax === undefined ? {} : { deltaMax: audit.deltaMax }),
            ...(audit.deltaMaxByPolicy === undefined ? {} : { deltaMaxByPolicy: audit.deltaMaxByPolicy }),
          };
    const labelled = labelledPoints(records);
    const { selection } = inputs;
    const value: EstimateValue = {
      analysis: analyze(data, { ...options, ...(transport === undefined ? {} : { transport }) }),
      labelled,
      design:
        selection === null ? null : { name: selection.design, eligible: selection.eligible, selected: selection.selected.length, labelled: labelled.length },
      ...(audit === undefined
        ? {}
        : {
            audit: {
              probes: (selection?.probes ?? []).map((p) => ({
                policy: p.policy,
                eligible: p.eligible,
                drawn: p.selected.length,
                labelled: probes[p.policy]?.length ?? 0,
                inclusion: p.selected.length / p.eligible,
              })),
              points: labelledPoints(probes),
            },
          }),
    };
    return { value };
  };
  return { spec: { key, stage: "estimate", policy: null, promptId: null, descriptor: options }, provider: null, run };
}

/** Writes the rows the analyses saw: fresh draws, probes and (with log-probs) the logged data. */
async function writeRows(ctx: StageContext, records: PolicyRecords, probes: PolicyRecords, logging: string | null): Promise<void> {
  const { paths } = ctx.campaign;
  const jsonl = (rows: readonly Record<string, unknown>[]) => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;
  for (const [policy, rows] of Object.entries(records)) await writeOutputFile(path.join(paths.draws, `${policy}_responses.jsonl`), jsonl(rows));
  for (const [policy, rows] of Object.entries(probes)) await writeOutputFile(path.join(paths.probes, `${policy}_probe.jsonl`), jsonl(rows));
  const logged = logging === null ? [] : loggedRecords(records, logging);
  if (logged.length > 0) await writeOutputFile(paths.logged, jsonl(logged));
}

/** Runs (or reuses) the analyses and writes the rows and the JSON results. */
export async function estimateStage(ctx: StageContext, inputs: EstimateInputs): Promise<EstimateStageResult> {
  const { config } = ctx.campaign;
  const records = freshDrawRecords(config, ctx.prompts, inputs);
  const probes = probeRecords(ctx.prompts, inputs);
  const direct = directJob(ctx, inputs, records, probes);
  const estimators = offPolicyEstimators(config);
  const logging = inputs.logprobs.logging;
  const offPolicyInputs: OffPolicyInputs | null =
    logging === null || estimators.length === 0
      ? null
      : {
          records,
          logging,
          targets: logprobPolicies(config)
            .targets.map((t) => t.name)
            .filter((t) => t !== logging),
        };
  const offPolicyJobs = offPolicyInputs === null ? [] : estimators.map((e) => offPolicyJob(e, offPolicyInputs));
  // Direct first: a failing off-policy estimator stops the stage after the Direct analysis is stored.
  const outcome = await ctx.execute([direct, ...offPolicyJobs], {
    store: ctx.store,
    stage: "estimate",
    progress: ctx.progress,
    retryFailed: true,
    signal: ctx.signal,
  });
  const key = direct.spec.key;
  const offPolicyKeys = new Map(offPolicyInputs === null ? [] : estimators.map((e) => [e, offPolicyKey(e, offPolicyInputs)] as const));
  const value = (await resultsFor(ctx.store, "estimate", new Map([["estimate", key]]), EstimateValueSchema)).get("estimate") ?? null;
  const stored = await resultsFor(ctx.store, "estimate", offPolicyKeys, OffPolicyResultSchema);
  const offPolicy = estimators.flatMap((e) => stored.get(e) ?? []);
  if (value !== null) {
    await ctx.store.setMeta(CURRENT_ESTIMATE_META, key);
    await ctx.store.setMeta(CURRENT_OFF_POLICY_META, JSON.stringify(offPolicy.map((r) => [r.estimator, offPolicyKeys.get(r.estimator)])));
    await writeRows(ctx, records, probes, logging);
    await writeResultFiles(ctx.campaign.paths.json, value.analysis, offPolicy);
  }
  return { outcome, key, value, offPolicy };
}
