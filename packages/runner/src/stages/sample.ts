/**
 * Stage 4: choose the rows to label, by a probability design that records each row's inclusion
 * probability. The selection is one unit: once stored it is reused by every later run with the same
 * design, seed and judged rows, so labels already bought are never wasted on a redraw.
 */
import type { Campaign } from "../config/schema.js";
import { rowId, resultsFor, type StageContext, unitKey } from "./context.js";
import type { StageOutcome } from "./execute.js";
import type { JudgeValue } from "./judge.js";
import { DEFAULT_DESIGN, designIdentity, drawLabelSample, type SampleCandidate, type SampledRow } from "./sample-design.js";

/** Default seed of the label sample. */
export const DEFAULT_SAMPLE_SEED = 1;

/** A stored selection. */
export interface SampleValue {
  /** The design, in words. */
  readonly design: string;
  /** Rows the design chose from. */
  readonly eligible: number;
  readonly selected: readonly SampledRow[];
  readonly warnings: readonly string[];
}

/** What the stage leaves for the next ones. */
export interface SampleStageResult {
  readonly outcome: StageOutcome | null;
  readonly selection: SampleValue | null;
}

/** Number of labels to draw among `eligibleRows`: the budget, or the share of them (at least one). */
export function labelBudget(labels: NonNullable<Campaign["labels"]>, eligibleRows: number): number {
  return labels.budget ?? Math.max(1, Math.round((labels.share as number) * eligibleRows));
}

/** Runs (or reuses) the selection; a campaign without labels skips it. */
export async function sampleStage(ctx: StageContext, verdicts: ReadonlyMap<string, JudgeValue>): Promise<SampleStageResult> {
  const { labels, policies } = ctx.campaign.config;
  if (labels === undefined) return { outcome: null, selection: null };
  const eligible = labels.policies ?? policies.map((p) => p.name);
  const judged: SampleCandidate[] = [];
  for (const policy of policies) {
    for (const prompt of ctx.prompts) {
      const verdict = verdicts.get(rowId(policy.name, prompt.id));
      if (verdict !== undefined) judged.push({ policy: policy.name, promptId: prompt.id, judgeScore: verdict.score });
    }
  }
  const eligibleRows = judged.filter((c) => eligible.includes(c.policy)).length;
  const design = labels.design ?? DEFAULT_DESIGN;
  const size = labelBudget(labels, eligibleRows);
  const seed = labels.seed ?? DEFAULT_SAMPLE_SEED;
  const key = unitKey("sample", { design: designIdentity(design), size, seed, eligible, judged });
  const outcome = await ctx.execute(
    [
      {
        spec: { key, stage: "sample", policy: null, promptId: null, descriptor: { design: designIdentity(design), size, eligible: eligibleRows } },
        provider: null,
        run: async () => {
          const sample = drawLabelSample(judged, eligible, design, size, seed);
          const value: SampleValue = { design: sample.description, eligible: eligibleRows, selected: sample.selected, warnings: sample.warnings };
          return { value };
        },
      },
    ],
    { store: ctx.store, stage: "sample", progress: ctx.progress, retryFailed: true, signal: ctx.signal },
  );
  const selection = (await resultsFor<SampleValue>(ctx.store, "sample", new Map([["selection", key]]))).get("selection") ?? null;
  for (const warning of selection?.warnings ?? []) ctx.progress.note(`label design: ${warning}`);
  return { outcome, selection };
}
