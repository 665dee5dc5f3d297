/**
 * Stage 6: the fresh draws the earlier stages stored — exactly those, nothing else — go through
 * `analyze` from @cjeval/core. The analysis is stored as a unit keyed by its inputs (a report can be
 * rebuilt from the store alone), and the draws are written out as `<policy>_responses.jsonl` so that
 * `cje analyze` on them reproduces it.
 */
import path from "node:path";
import { analyze, evaluationDataFromRecords, ORACLE_INCLUSION_FIELD, writeFileAtomic, writeJsonAtomic, type AnalysisResult, type AnalyzeOptions } from "@cjeval/core";
import { requestKey } from "@cjeval/provider-utils";
import { resultsFor, rowId, type StageContext, unitKey } from "./context.js";
import type { StageOutcome } from "./execute.js";
import type { GeneratedRow } from "./generate.js";
import type { JudgeValue } from "./judge.js";
import type { LabelValue } from "./label.js";
import type { LogprobStageResult } from "./logprobs.js";
import type { SampleValue } from "./sample.js";

/** A labelled point of the calibration: judge score → oracle label (both in [0, 1]). */
export interface LabelledPoint {
  readonly policy: string;
  readonly prompt_id: string;
  readonly judge_score: number;
  readonly oracle_label: number;
}

/** The stored analysis with what the report needs besides it. */
export interface EstimateValue {
  readonly analysis: AnalysisResult;
  readonly labelled: readonly LabelledPoint[];
  /** The label design, when labels were sampled. */
  readonly design: { readonly name: string; readonly eligible: number; readonly selected: number; readonly labelled: number } | null;
}

/** Inputs of the stage: the other stages' stored results. */
export interface EstimateInputs {
  readonly rows: ReadonlyMap<string, GeneratedRow>;
  readonly verdicts: ReadonlyMap<string, JudgeValue>;
  readonly labels: ReadonlyMap<string, LabelValue>;
  /** Inclusion probability of each row the design selected, by row id. */
  readonly inclusion: ReadonlyMap<string, number>;
  readonly logprobs: LogprobStageResult;
  readonly selection: SampleValue | null;
}

/** What the stage leaves behind. */
export interface EstimateStageResult {
  readonly outcome: StageOutcome;
  /** The unit key of the analysis (the store's current estimate). */
  readonly key: string;
  readonly value: EstimateValue | null;
}

/** Store metadata key naming the current analysis unit. */
export const CURRENT_ESTIMATE_META = "current_estimate";

/** The fresh-draw rows of every policy, in campaign order (rows without a verdict are left out). */
function freshDrawRecords(ctx: StageContext, inputs: EstimateInputs): Record<string, Record<string, unknown>[]> {
  const records: Record<string, Record<string, unknown>[]> = {};
  const { logging, logprobs } = inputs.logprobs;
  for (const policy of ctx.campaign.config.policies) {
    const rows: Record<string, unknown>[] = [];
    for (const prompt of ctx.prompts) {
      const id = rowId(policy.name, prompt.id);
      const row = inputs.rows.get(id);
      const verdict = inputs.verdicts.get(id);
      if (row === undefined || verdict === undefined) continue;
      const label = inputs.labels.get(id);
      const lp = policy.name === logging ? logprobs.get(id) : undefined;
      const targets = lp === undefined ? [] : [...lp].filter(([target]) => target !== logging);
      rows.push({
        prompt_id: prompt.id,
        prompt: prompt.text,
        response: row.response,
        judge_score: verdict.score,
        ...(label === undefined ? {} : { oracle_label: label.label, [ORACLE_INCLUSION_FIELD]: inputs.inclusion.get(id) }),
        ...(lp?.has(policy.name) ? { base_policy_logprob: lp.get(policy.name)?.total } : {}),
        ...(targets.length > 0 ? { target_policy_logprobs: Object.fromEntries(targets.map(([t, v]) => [t, v.total])) } : {}),
      });
    }
    if (rows.length > 0) records[policy.name] = rows;
  }
  return records;
}

/** Runs (or reuses) the analysis and writes the fresh draws and the JSON result. */
export async function estimateStage(ctx: StageContext, inputs: EstimateInputs): Promise<EstimateStageResult> {
  const settings = ctx.campaign.config.estimate ?? {};
  const options: AnalyzeOptions = {
    ...(settings.inference === undefined ? {} : { inference: settings.inference }),
    ...(settings.bootstrap === undefined ? {} : { replicates: settings.bootstrap }),
    ...(settings.seed === undefined ? {} : { seed: settings.seed }),
    ...(settings.covariates === undefined ? {} : { covariates: settings.covariates }),
  };
  const records = freshDrawRecords(ctx, inputs);
  const key = unitKey("estimate", { options, records: requestKey(records) });
  const run = async () => {
    const data = evaluationDataFromRecords(records, { judgeScale: { min: 0, max: 1 }, oracleScale: { min: 0, max: 1 } });
    const labelled: LabelledPoint[] = [];
    for (const [policy, rows] of Object.entries(records)) {
      for (const r of rows) {
        if (r.oracle_label !== undefined) labelled.push({ policy, prompt_id: r.prompt_id as string, judge_score: r.judge_score as number, oracle_label: r.oracle_label as number });
      }
    }
    const { selection } = inputs;
    const value: EstimateValue = {
      analysis: analyze(data, options),
      labelled,
      design: selection === null ? null : { name: selection.design, eligible: selection.eligible, selected: selection.selected.length, labelled: labelled.length },
    };
    return { value };
  };
  const outcome = await ctx.execute([{ spec: { key, stage: "estimate", policy: null, promptId: null, descriptor: options }, provider: null, run }], {
    store: ctx.store,
    stage: "estimate",
    progress: ctx.progress,
    retryFailed: true,
    signal: ctx.signal,
  });
  const value = (await resultsFor<EstimateValue>(ctx.store, "estimate", new Map([["estimate", key]]))).get("estimate") ?? null;
  if (value !== null) {
    await ctx.store.setMeta(CURRENT_ESTIMATE_META, key);
    const { paths } = ctx.campaign;
    for (const [policy, rows] of Object.entries(records)) {
      await writeFileAtomic(path.join(paths.draws, `${policy}_responses.jsonl`), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    }
    await writeJsonAtomic(paths.json, value.analysis);
  }
  return { outcome, key, value };
}
