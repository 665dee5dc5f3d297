/**
 * A campaign's judged draws: each policy's response to each prompt with the judge's score, and the oracle's label
 * on the rows the label design drew — joined from the stored values of the generate, judge, sample and label stages.
 * One assembly for the estimate stage (its fresh draws and probes, `estimate-records.ts`) and for a store read alone
 * (`campaignRows`).
 */
import { ORACLE_INCLUSION_FIELD } from "@cjeval/core/advanced";
import { rowId } from "./context.js";
import type { JudgeValue } from "./judge.js";
import type { LabelValue } from "./label.js";

/**
 * One judged draw of a campaign: a policy's response to a prompt with the judge's score, and the oracle's label
 * when the label design drew the row. Scores and labels are in the runner's internal units, [0, 1].
 */
export interface JudgedDraw {
  readonly policy: string;
  readonly promptId: string;
  /** The prompt's text, when known (a store alone records it only for prompts given inline, `prompts: { items }`). */
  readonly prompt?: string;
  readonly response: string;
  /** The judge's score in [0, 1]. */
  readonly judgeScore: number;
  /** The oracle's label in [0, 1], on a row the label design drew and the oracle labelled (never a transport probe's). */
  readonly oracleLabel?: number;
  /** The label design's inclusion probability of the row; set exactly when `oracleLabel` is. */
  readonly inclusion?: number;
}

/** The stored stage values draws are made of, each by row id (`rowId(policy, promptId)`). */
export interface DrawSources {
  /** Generated responses. */
  readonly rows: ReadonlyMap<string, { readonly response: string }>;
  readonly verdicts: ReadonlyMap<string, JudgeValue>;
  /** Oracle labels: the label design's rows and the transport probes. */
  readonly labels: ReadonlyMap<string, LabelValue>;
  /** Inclusion probability of each row the design drew: only these rows' labels are joined. */
  readonly inclusion: ReadonlyMap<string, number>;
}

/** A prompt as draws list it: its text when known. */
export interface DrawPrompt {
  readonly id: string;
  readonly text?: string;
}

/**
 * The judged draws of `policies` × `prompts`, in that order (policy by policy, each in prompt order): every row
 * with a response and a verdict, with its label when `sources.inclusion` has the row and the oracle labelled it.
 * Rows without a verdict are left out.
 */
export function judgedDraws(policies: readonly string[], prompts: readonly DrawPrompt[], sources: DrawSources): JudgedDraw[] {
  const draws: JudgedDraw[] = [];
  for (const policy of policies) {
    for (const prompt of prompts) {
      const id = rowId(policy, prompt.id);
      const row = sources.rows.get(id);
      const verdict = sources.verdicts.get(id);
      if (row === undefined || verdict === undefined) continue;
      const inclusion = sources.inclusion.get(id);
      const label = inclusion === undefined ? undefined : sources.labels.get(id);
      draws.push({
        policy,
        promptId: prompt.id,
        ...(prompt.text === undefined ? {} : { prompt: prompt.text }),
        response: row.response,
        judgeScore: verdict.score,
        ...(label === undefined ? {} : { oracleLabel: label.label, inclusion }),
      });
    }
  }
  return draws;
}

/** JSONL-ready rows per policy. */
export type PolicyRecords = Record<string, Record<string, unknown>[]>;

/** A draw as a fresh-draw record of `@cjeval/core` (a line of `<policy>_responses.jsonl`), without log-probs. */
export function drawRecord(draw: JudgedDraw): Record<string, unknown> {
  return {
    prompt_id: draw.promptId,
    ...(draw.prompt === undefined ? {} : { prompt: draw.prompt }),
    response: draw.response,
    judge_score: draw.judgeScore,
    ...(draw.oracleLabel === undefined ? {} : { oracle_label: draw.oracleLabel, [ORACLE_INCLUSION_FIELD]: draw.inclusion }),
  };
}

/**
 * `draws` as the fresh-draw records of `@cjeval/core`, by policy in the draws' order: the rows the estimate stage
 * writes to `fresh_draws/<policy>_responses.jsonl` (there with log-probs on the logging policy's rows), read on the
 * unit scales — `evaluationDataFromRecords(records, { judgeScale: { min: 0, max: 1 }, oracleScale: { min: 0, max: 1 } })`.
 */
export function judgedDrawRecords(draws: readonly JudgedDraw[]): PolicyRecords {
  const records: PolicyRecords = {};
  for (const draw of draws) (records[draw.policy] ??= []).push(drawRecord(draw));
  return records;
}
