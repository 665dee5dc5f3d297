/**
 * Stage 4: choose the rows to label, by a probability design that records each row's inclusion
 * probability. The selection is one unit: once stored it is reused by every later run with the same
 * design, seed and judged rows, so labels already bought are never wasted on a redraw. With `audit`, each
 * policy outside the label design also gets its transport probes: a simple random sample of its judged rows
 * (its own unit, seeded from the audit seed and the policy's name), labelled by the same oracle and held
 * out of the calibration by the estimate stage.
 */
import { requestKey } from "@cjeval/provider-utils";
import { z } from "zod";
import type { Campaign } from "../config/schema.js";
import { auditedPolicies, type AuditSettings } from "../config/trust-settings.js";
import { rowId, resultsFor, type StageContext, unitKey } from "./context.js";
import type { StageOutcome, UnitJob } from "./execute.js";
import type { JudgeValue } from "./judge.js";
import { DEFAULT_DESIGN, designIdentity, drawLabelSample, type SampleCandidate, type SampledRow } from "./sample-design.js";

/** Default seed of the label sample. */
export const DEFAULT_SAMPLE_SEED = 1;

/** Design of the transport probes: a simple random sample of each audited policy's judged rows. */
export const PROBE_DESIGN = "simple-random" as const;

/** A stored selection. */
export interface SampleValue {
  /** The design, in words. */
  readonly design: string;
  /** Rows the design chose from. */
  readonly eligible: number;
  readonly selected: readonly SampledRow[];
  readonly warnings: readonly string[];
}

/** A stored probe sample of one audited policy (each row with its inclusion probability size / eligible). */
export interface ProbeValue {
  readonly policy: string;
  /** The design, in words. */
  readonly design: string;
  /** The policy's judged rows the probes were drawn from. */
  readonly eligible: number;
  readonly selected: readonly SampledRow[];
}

const SampledRowSchema = z.object({ policy: z.string(), promptId: z.string(), inclusion: z.number() });

/** Schema of a stored selection (checked when read back). */
export const SampleValueSchema: z.ZodType<SampleValue> = z.object({
  design: z.string(),
  eligible: z.number(),
  selected: z.array(SampledRowSchema),
  warnings: z.array(z.string()),
});

/** Schema of a stored probe sample (checked when read back). */
export const ProbeValueSchema: z.ZodType<ProbeValue> = z.object({
  policy: z.string(),
  design: z.string(),
  eligible: z.number(),
  selected: z.array(SampledRowSchema),
});

/** The label sample with the transport probes drawn beside it (one per audited policy that has judged rows). */
export interface LabelSelection extends SampleValue {
  readonly probes: readonly ProbeValue[];
}

/** What the stage leaves for the next ones. */
export interface SampleStageResult {
  readonly outcome: StageOutcome | null;
  readonly selection: LabelSelection | null;
}

/** Number of labels to draw among `eligibleRows`: the budget, or the share of them (at least one). */
export function labelBudget(labels: NonNullable<Campaign["labels"]>, eligibleRows: number): number {
  return labels.budget ?? Math.max(1, Math.round((labels.share as number) * eligibleRows));
}

/** Number of probes of a policy with `rows` judged rows: `probesPerPolicy`, or all of them when it has fewer. */
export function probeSize(audit: AuditSettings, rows: number): number {
  return Math.min(audit.probesPerPolicy, rows);
}

/** The seed of `policy`'s probe sample: derived from the audit seed and the policy's name, so policies get independent samples. */
export function probeSeed(seed: number, policy: string): number {
  return Number.parseInt(requestKey({ probeSeed: seed, policy }).slice(0, 8), 16);
}

/** The audit seed: `audit.seed`, else the label sample's. */
function auditSeed(campaign: Campaign): number {
  return campaign.audit?.seed ?? campaign.labels?.seed ?? DEFAULT_SAMPLE_SEED;
}

/** The probe units of the audited policies, and the keys of their selections by policy. */
function probeJobs(campaign: Campaign, judged: readonly SampleCandidate[]): { jobs: UnitJob[]; keys: Map<string, string> } {
  const jobs: UnitJob[] = [];
  const keys = new Map<string, string>();
  const audit = campaign.audit;
  if (audit === undefined) return { jobs, keys };
  for (const policy of auditedPolicies(campaign)) {
    const candidates = judged.filter((c) => c.policy === policy);
    if (candidates.length === 0) continue;
    const size = probeSize(audit, candidates.length);
    const seed = probeSeed(auditSeed(campaign), policy);
    const key = unitKey("sample", { probe: policy, design: designIdentity(PROBE_DESIGN), size, seed, judged: candidates });
    keys.set(policy, key);
    jobs.push({
      spec: {
        key,
        stage: "sample",
        policy,
        promptId: null,
        descriptor: { probe: policy, design: designIdentity(PROBE_DESIGN), size, eligible: candidates.length },
      },
      provider: null,
      run: async () => {
        const sample = drawLabelSample(candidates, [policy], PROBE_DESIGN, size, seed);
        const value: ProbeValue = { policy, design: sample.description, eligible: candidates.length, selected: sample.selected };
        return { value };
      },
    });
  }
  return { jobs, keys };
}

/** Runs (or reuses) the label selection and the transport probes; a campaign without labels skips it. */
export async function sampleStage(ctx: StageContext, verdicts: ReadonlyMap<string, JudgeValue>): Promise<SampleStageResult> {
  const { config } = ctx.campaign;
  const { labels, policies } = config;
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
  const probes = probeJobs(config, judged);
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
      ...probes.jobs,
    ],
    { store: ctx.store, stage: "sample", progress: ctx.progress, retryFailed: true, signal: ctx.signal },
  );
  const stored = (await resultsFor(ctx.store, "sample", new Map([["selection", key]]), SampleValueSchema)).get("selection");
  const probeValues = await resultsFor(ctx.store, "sample", probes.keys, ProbeValueSchema);
  for (const warning of stored?.warnings ?? []) ctx.progress.note(`label design: ${warning}`);
  const selection = stored === undefined ? null : { ...stored, probes: [...probes.keys.keys()].flatMap((policy) => probeValues.get(policy) ?? []) };
  return { outcome, selection };
}
