/** Stage 1: every policy answers every prompt. */
import type { Generator } from "@cjeval/core";
import { z } from "zod";
import type { PolicyConfig } from "../config/schema.js";
import { providerNamed } from "../providers/registry.js";
import { resultsFor, rowId, type RowRef, type StageContext, unitKey, unitUsage } from "./context.js";
import type { StageOutcome, UnitJob } from "./execute.js";

/** A stored generation. */
export interface GenerateValue {
  readonly text: string;
  readonly finishReason?: string;
}

/** Schema of a stored generation (checked when read back). */
export const GenerateValueSchema: z.ZodType<GenerateValue> = z.object({ text: z.string(), finishReason: z.string().optional() });

/** A row with its response. */
export interface GeneratedRow extends RowRef {
  readonly response: string;
}

/** What the stage leaves for the next ones. */
export interface GenerateStageResult {
  readonly outcome: StageOutcome;
  /** Rows with a stored response, by {@link rowId}, in policy then prompt order. */
  readonly rows: Map<string, GeneratedRow>;
}

/** The idempotency key of a policy's answer to a prompt. */
export function generateKey(policy: PolicyConfig, row: RowRef): string {
  return unitKey("generate", {
    policy: policy.name,
    provider: policy.provider,
    model: policy.model,
    system: policy.system,
    temperature: policy.temperature,
    maxTokens: policy.maxTokens,
    seed: policy.seed,
    promptId: row.prompt.id,
    prompt: row.prompt.text,
  });
}

/** Runs (or resumes) generation and returns every stored response. */
export async function generateStage(ctx: StageContext): Promise<GenerateStageResult> {
  const jobs: UnitJob[] = [];
  const keys = new Map<string, string>();
  const refs = new Map<string, RowRef>();
  for (const policy of ctx.campaign.config.policies) {
    const provider = providerNamed(ctx.providers, policy.provider);
    let generator: Generator | undefined;
    for (const prompt of ctx.prompts) {
      const ref = { policy: policy.name, prompt };
      const key = generateKey(policy, ref);
      keys.set(rowId(policy.name, prompt.id), key);
      refs.set(rowId(policy.name, prompt.id), ref);
      jobs.push({
        spec: { key, stage: "generate", policy: policy.name, promptId: prompt.id, descriptor: { provider: policy.provider, model: policy.model } },
        provider,
        run: async () => {
          generator ??= (await provider.built()).generator(policy.model);
          const result = await generator.generate({
            prompt: prompt.text,
            ...(policy.system === undefined ? {} : { system: policy.system }),
            ...(policy.temperature === undefined ? {} : { temperature: policy.temperature }),
            ...(policy.maxTokens === undefined ? {} : { maxTokens: policy.maxTokens }),
            ...(policy.seed === undefined ? {} : { seed: policy.seed }),
          });
          const value: GenerateValue = { text: result.text, ...(result.finishReason === undefined ? {} : { finishReason: result.finishReason }) };
          return { value, usage: unitUsage(provider, policy.model, result.usage, result.cached) };
        },
      });
    }
  }
  const outcome = await ctx.execute(jobs, { store: ctx.store, stage: "generate", progress: ctx.progress, retryFailed: ctx.retryFailed, signal: ctx.signal });
  const stored = await resultsFor(ctx.store, "generate", keys, GenerateValueSchema);
  const rows = new Map<string, GeneratedRow>();
  for (const [id, ref] of refs) {
    const value = stored.get(id);
    if (value !== undefined) rows.set(id, { ...ref, response: value.text });
  }
  return { outcome, rows };
}
