/**
 * A campaign as the viewer shows it, read from its store alone: the stored analysis, the calibration and
 * rows rebuilt from the stored judged draws and the design's labels, and the live progress of its stages.
 */
import { CjeInputError, evaluationDataFromRecords, type EvaluationData } from "@cjeval/core";
import { type CampaignStatus, type CampaignStore, type LabelledPoint, reportData } from "@cjeval/runner";
import { z } from "zod";
import { runOfAnalysis, type RunIdentity } from "./build-run.js";
import type { CampaignProgress, ViewRun } from "./view-model.js";

/**
 * The parts of the runner's stored values the rows need: a generation's text, a verdict's score in [0, 1]
 * (the runner checks the whole value when it writes and reads it; extra fields are ignored here).
 */
const StoredResponseSchema = z.object({ text: z.string() });
const StoredVerdictSchema = z.object({ score: z.number() });

/** The store's judge scores and labels are in internal units: read them on [0, 1], never inferred. */
const UNIT_SCALE = { min: 0, max: 1 } as const;

/** The campaign's live state, as the page shows it. */
export function campaignProgress(name: string, status: CampaignStatus): CampaignProgress {
  return {
    name,
    at: status.at,
    running: status.runner !== null || (status.queue !== null && status.queue.active > 0),
    stages: status.stages.map((s) => ({
      stage: s.stage,
      done: s.done,
      failed: s.failed,
      pending: s.pending,
      per_second: s.recentPerSecond,
      cost_usd: s.costUsd ?? 0,
    })),
    cost_usd: status.costUsd,
  };
}

/**
 * What tells that the campaign's stored analysis may have changed: the estimate stage's unit counts (a new
 * analysis is a new estimate unit).
 */
export function analysisVersion(status: CampaignStatus): string {
  const estimate = status.stages.find((s) => s.stage === "estimate");
  return estimate === undefined ? "none" : `${estimate.done}/${estimate.failed}`;
}

/**
 * The run of the campaign in `store`: its stored Direct analysis (null before the estimate stage), the
 * calibration and rows of its judged responses with the label design's oracle labels, and its progress.
 */
export async function campaignRun(identity: RunIdentity, store: CampaignStore, status: CampaignStatus): Promise<ViewRun> {
  const report = await reportData(store);
  const notes: string[] = [];
  if (report === null) notes.push("no analysis stored yet: the campaign has not reached its estimate stage (cje run)");
  if (status.unpriced.length > 0) notes.push(`the cost leaves out calls to models without a known price (${status.unpriced.join(", ")})`);
  const judged = await judgedDraws(store, report?.labelled ?? []);
  if (judged.duplicates > 0) {
    notes.push(`${judged.duplicates} responses have more than one stored verdict or generation (the campaign changed between runs): the rows show the latest`);
  }
  const progress = campaignProgress(identity.label, status);
  if (judged.data === null) {
    notes.push("no judged responses yet: rows and calibration appear once the judge stage has stored verdicts");
    return { ...identity, result: report?.analysis ?? null, calibration: null, rows: null, campaign: progress, notes };
  }
  const run = runOfAnalysis(identity, judged.data, report?.analysis ?? null);
  return { ...run, campaign: progress, notes: [...notes, ...run.notes] };
}

/** The judged draws of the store as evaluation data (`null` before the first verdict). */
async function judgedDraws(store: CampaignStore, labelled: readonly LabelledPoint[]): Promise<{ data: EvaluationData | null; duplicates: number }> {
  const rowKey = (policy: string, promptId: string) => `${policy}\u0000${promptId}`;
  let duplicates = 0;
  const responses = new Map<string, string>();
  for (const r of await store.results("generate")) {
    const value = storedValue(store, "generate", r.key, r.value, StoredResponseSchema);
    if (r.policy === null || r.promptId === null) throw storeError(store, "generate", r.key, "has no policy or prompt");
    const key = rowKey(r.policy, r.promptId);
    if (responses.has(key)) duplicates++;
    responses.set(key, value.text);
  }
  // Results come in the order they were stored: a later verdict of the same row replaces an earlier one.
  const verdicts = new Map<string, { policy: string; promptId: string; score: number }>();
  for (const r of await store.results("judge")) {
    const value = storedValue(store, "judge", r.key, r.value, StoredVerdictSchema);
    if (r.policy === null || r.promptId === null) throw storeError(store, "judge", r.key, "has no policy or prompt");
    const key = rowKey(r.policy, r.promptId);
    if (verdicts.has(key)) duplicates++;
    verdicts.set(key, { policy: r.policy, promptId: r.promptId, score: value.score });
  }
  if (verdicts.size === 0) return { data: null, duplicates };
  const labels = new Map(labelled.map((p) => [rowKey(p.policy, p.prompt_id), p]));
  const records: Record<string, Record<string, unknown>[]> = {};
  for (const [key, v] of verdicts) {
    const label = labels.get(key);
    labels.delete(key);
    const response = responses.get(key);
    (records[v.policy] ??= []).push({
      prompt_id: v.promptId,
      judge_score: v.score,
      ...(response === undefined ? {} : { response }),
      ...(label === undefined ? {} : { oracle_label: label.oracle_label }),
    });
  }
  // A label whose verdict is no longer stored still calibrates the stored analysis: shown as a calibration row.
  const calibration = [...labels.values()].map((p) => ({ prompt_id: p.prompt_id, judge_score: p.judge_score, oracle_label: p.oracle_label }));
  try {
    const data = evaluationDataFromRecords(records, {
      judgeScale: UNIT_SCALE,
      oracleScale: UNIT_SCALE,
      ...(calibration.length === 0 ? {} : { calibration }),
    });
    return { data, duplicates };
  } catch (error) {
    if (!(error instanceof CjeInputError)) throw error;
    throw new CjeInputError(`the judged responses stored in the campaign do not load (${error.message})`, { file: store.location });
  }
}

function storedValue<T>(store: CampaignStore, stage: string, key: string, value: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw storeError(store, stage, key, `is not a ${stage} result (${issue.path.join(".") || "value"}: ${issue.message})`);
  }
  return parsed.data;
}

function storeError(store: CampaignStore, stage: string, key: string, what: string): CjeInputError {
  return new CjeInputError(`the stored ${stage} result ${key} ${what}`, { file: store.location });
}
