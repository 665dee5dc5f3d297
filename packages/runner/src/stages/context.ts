/** What every stage works with, and the helpers they share: unit keys, row ids, usage records. */
import { CjeInputError, type TokenUsage } from "@cjeval/core";
import { requestKey } from "@cjeval/provider-utils";
import type { z } from "zod";
import type { ResolvedCampaign } from "../config/load.js";
import type { CampaignPrompt } from "../input/prompts.js";
import type { ProgressSink } from "../progress.js";
import type { CampaignProvider } from "../providers/registry.js";
import type { CampaignStore, StageName, StoredResult, UnitUsage } from "../store/store.js";
import type { UnitExecutor } from "./execute.js";

/** The state a stage runs in. */
export interface StageContext {
  readonly campaign: ResolvedCampaign;
  readonly store: CampaignStore;
  readonly providers: ReadonlyMap<string, CampaignProvider>;
  readonly prompts: readonly CampaignPrompt[];
  readonly progress: ProgressSink;
  /** Also retry units whose last failure was final. */
  readonly retryFailed: boolean;
  /** Stops dispatching new calls. */
  readonly signal?: AbortSignal;
  /** Runs the units of a stage (`executeUnits`, or a queue that workers take them from). */
  readonly execute: UnitExecutor;
}

/** One policy's answer slot for one prompt. */
export interface RowRef {
  readonly policy: string;
  readonly prompt: CampaignPrompt;
}

/** Identity of a (policy, prompt) row inside maps. */
export function rowId(policy: string, promptId: string): string {
  return `${policy}\u0000${promptId}`;
}

/**
 * Idempotency key of a unit: the hash of its stage and of everything that determines its answer (model,
 * settings, prompt and response texts). Change any of them and the unit is new; keep them and it is done.
 */
export function unitKey(stage: StageName, parts: Record<string, unknown>): string {
  return requestKey({ stage, ...parts });
}

/** The usage record of a call through `provider`. */
export function unitUsage(provider: CampaignProvider, model: string, usage: TokenUsage | undefined, cached: boolean | undefined): UnitUsage {
  return { provider: provider.name, model, inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0, cached: cached === true };
}

/**
 * Stored results of `stage` for the given keys (results of other keys, e.g. from an older config, are
 * ignored), each checked against `schema` — the stage's value schema in the stage table, or the member of it
 * these keys hold. A value that does not fit (a store written by another runner, edited by hand) is an
 * input error naming the store, the stage and the unit.
 */
export async function resultsFor<T>(store: CampaignStore, stage: StageName, keys: ReadonlyMap<string, string>, schema: z.ZodType<T>): Promise<Map<string, T>> {
  const byKey = new Map<string, StoredResult>((await store.results(stage)).map((r) => [r.key, r]));
  const out = new Map<string, T>();
  for (const [id, key] of keys) {
    const stored = byKey.get(key);
    if (stored !== undefined) out.set(id, checkedValue(store, stage, stored, schema));
  }
  return out;
}

/** `stored.value` as `schema` reads it (see {@link resultsFor}). */
export function checkedValue<T>(store: CampaignStore, stage: StageName, stored: StoredResult, schema: z.ZodType<T>): T {
  const checked = schema.safeParse(stored.value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const at = issue === undefined || issue.path.length === 0 ? "" : ` at ${issue.path.join(".")}`;
    throw new CjeInputError(`stored ${stage} result of unit ${stored.key} does not fit its stage's schema${at}: ${issue?.message ?? "invalid"}`, {
      file: store.location,
    });
  }
  return checked.data;
}
