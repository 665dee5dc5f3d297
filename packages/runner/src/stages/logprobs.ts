/**
 * Stage 3 (optional): teacher-forced log-probabilities of the logging policy's responses under every
 * target policy (model + system prompt), for off-policy estimation. The logging policy's own log-prob is
 * `base_policy_logprob`, the others go to `target_policy_logprobs` in the exported fresh draws.
 */
import { CjeInputError, type LogprobScorer } from "@cjeval/core";
import { z } from "zod";
import type { Campaign, PolicyConfig } from "../config/schema.js";
import { providerNamed, type CampaignProvider } from "../providers/registry.js";
import { resultsFor, rowId, type StageContext, unitKey, unitUsage } from "./context.js";
import type { StageOutcome, UnitJob } from "./execute.js";
import type { GeneratedRow } from "./generate.js";

/** A stored log-probability. */
export interface LogprobValue {
  readonly total: number;
  readonly method: string;
}

/** Schema of a stored log-probability (checked when read back). */
export const LogprobValueSchema: z.ZodType<LogprobValue> = z.object({ total: z.number(), method: z.string() });

/** Log-probs of the logging policy's rows: row id → target policy → value. */
export type LogprobTable = Map<string, Map<string, LogprobValue>>;

/** What the stage leaves for the next ones. */
export interface LogprobStageResult {
  readonly outcome: StageOutcome | null;
  /** The logging policy, when the stage is configured. */
  readonly logging: string | null;
  readonly logprobs: LogprobTable;
}

async function scorerOf(provider: CampaignProvider, model: string, settings: NonNullable<Campaign["logprobs"]>): Promise<LogprobScorer> {
  return (await provider.built()).logprobScorer(model, {
    ...(settings.chatTemplate === undefined ? {} : { chatTemplate: settings.chatTemplate }),
    ...(settings.method === undefined ? {} : { method: settings.method }),
  });
}

/** What determines a target policy's log-probs: the scoring provider, model, system prompt and method. */
export function scorerFingerprint(settings: NonNullable<Campaign["logprobs"]>, target: PolicyConfig): Record<string, unknown> {
  const model = settings.models?.[target.name] ?? target.model;
  return { provider: settings.provider, model, system: target.system, chatTemplate: settings.chatTemplate, method: settings.method };
}

/** The idempotency key of the log-prob of `row` under `target`. */
export function logprobKey(target: string, fingerprint: Record<string, unknown>, row: GeneratedRow): string {
  return unitKey("logprobs", { target, scorer: fingerprint, policy: row.policy, promptId: row.prompt.id, prompt: row.prompt.text, response: row.response });
}

/** The logging policy and the target policies of the stage. */
export function logprobPolicies(campaign: Campaign): { logging: string; targets: PolicyConfig[] } {
  const settings = campaign.logprobs;
  const logging = settings?.logging ?? campaign.policies[0].name;
  return { logging, targets: campaign.policies.filter((p) => settings?.targets === undefined || settings.targets.includes(p.name)) };
}

/** Runs (or resumes) the log-prob stage; a campaign without `logprobs` skips it. */
export async function logprobsStage(ctx: StageContext, rows: ReadonlyMap<string, GeneratedRow>): Promise<LogprobStageResult> {
  const settings = ctx.campaign.config.logprobs;
  if (settings === undefined) return { outcome: null, logging: null, logprobs: new Map() };
  const { logging, targets } = logprobPolicies(ctx.campaign.config);
  const provider = providerNamed(ctx.providers, settings.provider);
  if (provider.config.type === "anthropic") {
    throw new CjeInputError("Anthropic models return no log-probs: use an OpenAI-compatible server (vLLM, Together) for the logprobs stage", {
      field: "logprobs.provider",
      value: settings.provider,
    });
  }
  const keys = new Map<string, string>();
  const jobs: UnitJob[] = [];
  for (const target of targets) {
    const fingerprint = scorerFingerprint(settings, target);
    const model = fingerprint.model as string;
    let scorer: LogprobScorer | undefined;
    for (const [id, row] of rows) {
      if (row.policy !== logging) continue;
      const key = logprobKey(target.name, fingerprint, row);
      keys.set(`${id}\u0000${target.name}`, key);
      jobs.push({
        spec: { key, stage: "logprobs", policy: row.policy, promptId: row.prompt.id, descriptor: { target: target.name, provider: settings.provider, model } },
        provider,
        run: async () => {
          scorer ??= await scorerOf(provider, model, settings);
          const result = await scorer.score({
            prompt: row.prompt.text,
            response: row.response,
            ...(target.system === undefined ? {} : { system: target.system }),
          });
          const value: LogprobValue = { total: result.total, method: result.method };
          return { value, usage: unitUsage(provider, model, result.usage, result.cached) };
        },
      });
    }
  }
  const outcome = await ctx.execute(jobs, { store: ctx.store, stage: "logprobs", progress: ctx.progress, retryFailed: ctx.retryFailed, signal: ctx.signal });
  const stored = await resultsFor(ctx.store, "logprobs", keys, LogprobValueSchema);
  const logprobs: LogprobTable = new Map();
  for (const [compound, value] of stored) {
    const [policy, promptId, target] = compound.split("\u0000");
    const id = rowId(policy, promptId);
    const entry = logprobs.get(id) ?? new Map<string, LogprobValue>();
    entry.set(target, value);
    logprobs.set(id, entry);
  }
  return { outcome, logging, logprobs };
}
