/**
 * The rows the estimators see, built from the other stages' stored results — exactly those, nothing else:
 * the fresh draws (calibration labels with their inclusion probabilities, log-probs on the logging
 * policy's rows), the transport probes (held-out labelled rows of the audited policies), and the logged
 * data of the off-policy estimators (the logging policy's rows with their log-probs).
 */
import { ORACLE_INCLUSION_FIELD } from "@cjeval/core/advanced";
import type { CampaignPrompt } from "../input/prompts.js";
import type { Campaign } from "../config/schema.js";
import { rowId } from "./context.js";
import type { GeneratedRow } from "./generate.js";
import type { JudgeValue } from "./judge.js";
import type { LabelValue } from "./label.js";
import type { LogprobStageResult } from "./logprobs.js";
import type { LabelSelection } from "./sample.js";

/** Inputs of the estimate stage: the other stages' stored results. */
export interface EstimateInputs {
  readonly rows: ReadonlyMap<string, GeneratedRow>;
  readonly verdicts: ReadonlyMap<string, JudgeValue>;
  /** Oracle labels by row id: the label design's rows and the transport probes. */
  readonly labels: ReadonlyMap<string, LabelValue>;
  /** Inclusion probability of each row the label design selected, by row id (only these labels calibrate). */
  readonly inclusion: ReadonlyMap<string, number>;
  readonly logprobs: LogprobStageResult;
  /** The label sample and the transport probes, when labels were sampled. */
  readonly selection: LabelSelection | null;
}

/** JSONL-ready rows per policy. */
export type PolicyRecords = Record<string, Record<string, unknown>[]>;

/**
 * The fresh-draw rows of every policy, in campaign order (rows without a verdict are left out). Only the
 * label design's labels are written, with their inclusion probability; probe labels never are.
 */
export function freshDrawRecords(campaign: Campaign, prompts: readonly CampaignPrompt[], inputs: EstimateInputs): PolicyRecords {
  const records: PolicyRecords = {};
  const { logging, logprobs } = inputs.logprobs;
  for (const policy of campaign.policies) {
    const rows: Record<string, unknown>[] = [];
    for (const prompt of prompts) {
      const id = rowId(policy.name, prompt.id);
      const row = inputs.rows.get(id);
      const verdict = inputs.verdicts.get(id);
      if (row === undefined || verdict === undefined) continue;
      const inclusion = inputs.inclusion.get(id);
      const label = inclusion === undefined ? undefined : inputs.labels.get(id);
      const lp = policy.name === logging ? logprobs.get(id) : undefined;
      const targets = lp === undefined ? [] : [...lp].filter(([target]) => target !== logging);
      rows.push({
        prompt_id: prompt.id,
        prompt: prompt.text,
        response: row.response,
        judge_score: verdict.score,
        ...(label === undefined ? {} : { oracle_label: label.label, [ORACLE_INCLUSION_FIELD]: inclusion }),
        ...(lp?.has(policy.name) ? { base_policy_logprob: lp.get(policy.name)?.total } : {}),
        ...(targets.length > 0 ? { target_policy_logprobs: Object.fromEntries(targets.map(([t, v]) => [t, v.total])) } : {}),
      });
    }
    if (rows.length > 0) records[policy.name] = rows;
  }
  return records;
}

/**
 * The labelled transport probes of every audited policy, in prompt order, each with its inclusion
 * probability (the probe sample's size over the policy's judged rows) for the record.
 */
export function probeRecords(prompts: readonly CampaignPrompt[], inputs: EstimateInputs): PolicyRecords {
  const records: PolicyRecords = {};
  for (const probe of inputs.selection?.probes ?? []) {
    const inclusion = new Map(probe.selected.map((s) => [s.promptId, s.inclusion]));
    const rows: Record<string, unknown>[] = [];
    for (const prompt of prompts) {
      const pi = inclusion.get(prompt.id);
      const id = rowId(probe.policy, prompt.id);
      const row = inputs.rows.get(id);
      const verdict = inputs.verdicts.get(id);
      const label = inputs.labels.get(id);
      if (pi === undefined || row === undefined || verdict === undefined || label === undefined) continue;
      rows.push({
        prompt_id: prompt.id,
        prompt: prompt.text,
        response: row.response,
        judge_score: verdict.score,
        oracle_label: label.label,
        [ORACLE_INCLUSION_FIELD]: pi,
      });
    }
    if (rows.length > 0) records[probe.policy] = rows;
  }
  return records;
}

/**
 * The logged data of the off-policy estimators: the logging policy's fresh-draw rows as they are, with their
 * log-probs (`base_policy_logprob`, `target_policy_logprobs`) and calibration labels with their inclusion
 * probabilities (the same labels as the fresh draws', which the off-policy analysis counts once). Rows whose
 * log-probs are missing (a failed call) are passed on: the off-policy analysis drops and reports them.
 */
export function loggedRecords(records: PolicyRecords, logging: string): Record<string, unknown>[] {
  return records[logging] ?? [];
}
