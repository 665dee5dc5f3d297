/**
 * A campaign as the viewer shows it, read from its store alone: the stored analysis, the calibration and
 * rows rebuilt from the stored judged draws and the design's labels, and the live progress of its stages.
 */
import { CjeInputError, evaluationDataFromRecords, type EvaluationData } from "@cjeval/core";
import { type CampaignStatus, type CampaignStore, campaignRows, type JudgedDraw, judgedDrawRecords, type LabelledPoint, reportData } from "@cjeval/runner";
import { runOfAnalysis, type RunIdentity } from "./build-run.js";
import type { CampaignProgress, ViewRun } from "./view-model.js";

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
 * calibration and rows of its judged draws with the label design's oracle labels (`campaignRows` of the runner),
 * and its progress.
 */
export async function campaignRun(identity: RunIdentity, store: CampaignStore, status: CampaignStatus): Promise<ViewRun> {
  const report = await reportData(store);
  const notes: string[] = [];
  if (report === null) notes.push("no analysis stored yet: the campaign has not reached its estimate stage (cje run)");
  if (status.unpriced.length > 0) notes.push(`the cost leaves out calls to models without a known price (${status.unpriced.join(", ")})`);
  const { draws, superseded } = await campaignRows(store);
  if (superseded > 0) {
    notes.push(
      `${superseded} stored generations, verdicts or labels were replaced by later ones of the same responses (the campaign changed between runs): the rows show the latest`,
    );
  }
  const progress = campaignProgress(identity.label, status);
  if (draws.length === 0) {
    notes.push("no judged responses yet: rows and calibration appear once the judge stage has stored verdicts");
    return { ...identity, result: report?.analysis ?? null, calibration: null, rows: null, campaign: progress, notes };
  }
  if (report !== null && !sameLabels(report.labelled, draws)) {
    notes.push(
      "the stored analysis was made on other oracle labels than the store holds now (the campaign changed after its estimate stage): the calibration and rows show the labels stored now",
    );
  }
  const run = runOfAnalysis(identity, evaluationData(store, draws), report?.analysis ?? null);
  return { ...run, campaign: progress, notes: [...notes, ...run.notes] };
}

/** The draws as evaluation data on the unit scales, as the estimate stage reads its fresh draws. */
function evaluationData(store: CampaignStore, draws: readonly JudgedDraw[]): EvaluationData {
  try {
    return evaluationDataFromRecords(judgedDrawRecords(draws), { judgeScale: UNIT_SCALE, oracleScale: UNIT_SCALE });
  } catch (error) {
    if (!(error instanceof CjeInputError)) throw error;
    throw new CjeInputError(`the judged responses stored in the campaign do not load (${error.message})`, { file: store.location });
  }
}

/** Whether the labelled points of the stored analysis are those of the draws (the same rows, scores and labels). */
function sameLabels(analysed: readonly LabelledPoint[], draws: readonly JudgedDraw[]): boolean {
  const key = (policy: string, promptId: string, score: number, label: number) => JSON.stringify([policy, promptId, score, label]);
  const drawn = draws.flatMap((d) => (d.oracleLabel === undefined ? [] : [key(d.policy, d.promptId, d.judgeScore, d.oracleLabel)])).sort();
  const stored = analysed.map((p) => key(p.policy, p.prompt_id, p.judge_score, p.oracle_label)).sort();
  return drawn.length === stored.length && drawn.every((k, i) => k === stored[i]);
}
