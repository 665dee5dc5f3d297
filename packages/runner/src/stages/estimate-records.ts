/**
 * The rows the estimators see, built from the other stages' stored results — exactly those, nothing else:
 * the judged draws (`judged-draws.ts`, the one assembly of a campaign's rows, which `campaignRows` runs on a store
 * alone too), written as fresh draws (calibration labels with their inclusion probabilities, log-probs on the
 * logging policy's rows), the transport probes (held-out labelled rows of the audited policies), and the logged
 * data of the off-policy estimators (the logging policy's rows with their log-probs).
 */
import type { CampaignPrompt } from "../input/prompts.js";
import type { Campaign } from "../config/schema.js";
import { rowId } from "./context.js";
import type { GeneratedRow } from "./generate.js";
import { type DrawSources, drawRecord, judgedDraws, type PolicyRecords } from "./judged-draws.js";
import type { LogprobStageResult } from "./logprobs.js";
import type { LabelSelection } from "./sample.js";

export type { PolicyRecords } from "./judged-draws.js";

/** Inputs of the estimate stage: the other stages' stored results. */
export interface EstimateInputs extends DrawSources {
  readonly rows: ReadonlyMap<string, GeneratedRow>;
  readonly logprobs: LogprobStageResult;
  /** The label sample and the transport probes, when labels were sampled. */
  readonly selection: LabelSelection | null;
}

/**
 * The fresh-draw rows of every policy: its judged draws in campaign order, with log-probs on the logging policy's
 * rows. Only the label design's labels are written, with their inclusion probability; probe labels never are.
 */
export function freshDrawRecords(campaign: Campaign, prompts: readonly CampaignPrompt[], inputs: EstimateInputs): PolicyRecords {
  const records: PolicyRecords = {};
  const { logging, logprobs } = inputs.logprobs;
  const draws = judgedDraws(
    campaign.policies.map((p) => p.name),
    prompts,
    inputs,
  );
  for (const draw of draws) {
    const lp = draw.policy === logging ? logprobs.get(rowId(draw.policy, draw.promptId)) : undefined;
    const targets = lp === undefined ? [] : [...lp].filter(([target]) => target !== logging);
    (records[draw.policy] ??= []).push({
      ...drawRecord(draw),
      ...(lp?.has(draw.policy) ? { base_policy_logprob: lp.get(draw.policy)?.total } : {}),
      ...(targets.length > 0 ? { target_policy_logprobs: Object.fromEntries(targets.map(([t, v]) => [t, v.total])) } : {}),
    });
  }
  return records;
}

/**
 * The labelled transport probes of every audited policy: the judged draws of its probe sample (drawn with their
 * inclusion probability, the sample's size over the policy's judged rows) that the oracle labelled, in prompt order.
 */
export function probeRecords(prompts: readonly CampaignPrompt[], inputs: EstimateInputs): PolicyRecords {
  const records: PolicyRecords = {};
  for (const probe of inputs.selection?.probes ?? []) {
    const inclusion = new Map(probe.selected.map((s) => [rowId(probe.policy, s.promptId), s.inclusion]));
    const labelled = judgedDraws([probe.policy], prompts, { ...inputs, inclusion }).filter((d) => d.oracleLabel !== undefined);
    if (labelled.length > 0) records[probe.policy] = labelled.map(drawRecord);
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
