/**
 * Mapping between CJE's provider types and the AI SDK's `generateText` / `generateObject` calls: the call
 * settings (which also make the cache key), and the reading of results — text, finish reason, usage, and top
 * log-probs from provider metadata. Written against the fields AI SDK 5 and 6 share.
 *
 * @module
 */
import { ProviderError, type TokenUsage } from "@cjeval/core";
import type { TokenTopLogprobs } from "@cjeval/provider-utils";
import type { LanguageModel } from "ai";
import { z } from "zod";
import type { AiSdkContext } from "./context.js";
import type { CallProviderOptions } from "./options.js";

/** Which provider and model a `LanguageModel` is (a string model id goes to the AI SDK's global provider, the AI Gateway by default). */
export interface ModelIdentity {
  readonly provider: string;
  readonly modelId: string;
}

/** The identity of `model`, part of every cache key. */
export function modelIdentity(model: LanguageModel): ModelIdentity {
  if (typeof model === "string") return { provider: "global", modelId: model };
  return { provider: String(model.provider), modelId: String(model.modelId) };
}

/** The call settings of one `generateText` / `generateObject` call that determine its answer (no headers, no secrets). */
export interface CallSettings {
  readonly system?: string;
  readonly prompt: string;
  readonly temperature?: number;
  readonly maxOutputTokens?: number;
  readonly seed?: number;
  readonly providerOptions?: CallProviderOptions;
}

/** Deep-merges `providerOptions` per provider name (later wins); `undefined` when empty. */
export function mergeProviderOptions(...all: ReadonlyArray<CallProviderOptions | undefined>): CallProviderOptions | undefined {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const options of all) {
    for (const [name, values] of Object.entries(options ?? {})) merged[name] = { ...merged[name], ...values };
  }
  return Object.keys(merged).length === 0 ? undefined : merged;
}

/** The settings with `undefined` fields left out. */
export function callSettings(context: AiSdkContext, fields: CallSettings): CallSettings {
  const providerOptions = mergeProviderOptions(context.providerOptions, fields.providerOptions);
  return {
    prompt: fields.prompt,
    ...(fields.system === undefined ? {} : { system: fields.system }),
    ...(fields.temperature === undefined ? {} : { temperature: fields.temperature }),
    ...(fields.maxOutputTokens === undefined ? {} : { maxOutputTokens: fields.maxOutputTokens }),
    ...(fields.seed === undefined ? {} : { seed: fields.seed }),
    ...(providerOptions === undefined ? {} : { providerOptions }),
  };
}

/** What `generateText` and `generateObject` results (and their errors) carry in both AI SDK majors. */
export interface AiSdkUsage {
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
}

/** Usage in CJE units; `undefined` when the provider reported none. */
export function readUsage(usage: AiSdkUsage | undefined): TokenUsage | undefined {
  if (usage === undefined || (usage.inputTokens === undefined && usage.outputTokens === undefined)) return undefined;
  return { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 };
}

const TopSchema = z.array(z.object({ token: z.string(), logprob: z.number() }).loose());
const TokenSchema = z.object({ token: z.string(), logprob: z.number(), top_logprobs: TopSchema.nullish(), topLogprobs: TopSchema.nullish() }).loose();
const TokensSchema = z.array(TokenSchema).min(1);

/**
 * The generated tokens with their top log-probs, from the result's provider metadata: the first provider
 * entry whose `logprobs` is the OpenAI shape (`[{ token, logprob, top_logprobs: [{ token, logprob }] }]`, as
 * `@ai-sdk/openai` returns under `openai`, one such list per output part, or `{ content: [...] }`). `undefined` when there is none.
 */
export function readTopLogprobs(providerMetadata: unknown): TokenTopLogprobs[] | undefined {
  if (typeof providerMetadata !== "object" || providerMetadata === null) return undefined;
  for (const entry of Object.values(providerMetadata)) {
    if (typeof entry !== "object" || entry === null) continue;
    const logprobs = (entry as { logprobs?: unknown }).logprobs;
    let candidate = typeof logprobs === "object" && logprobs !== null && !Array.isArray(logprobs) ? (logprobs as { content?: unknown }).content : logprobs;
    // The Responses API gives one list per output text part.
    if (Array.isArray(candidate) && candidate.every(Array.isArray)) candidate = candidate.flat();
    const parsed = TokensSchema.safeParse(candidate);
    if (!parsed.success) continue;
    return parsed.data.map((t) => ({
      token: t.token,
      logprob: t.logprob,
      top: (t.top_logprobs ?? t.topLogprobs ?? []).map((a) => ({ token: a.token, logprob: a.logprob })),
    }));
  }
  return undefined;
}

/** A generation as stored in the cache. */
export interface Generation {
  readonly text: string;
  readonly finishReason?: string;
  readonly usage?: TokenUsage;
}

/** The warnings of a result that say `setting` was not applied (AI SDK 5: `unsupported-setting`; 6: `unsupported`). */
export function ignoredSetting(warnings: readonly unknown[] | undefined, setting: string): boolean {
  return (warnings ?? []).some((warning) => {
    const w = warning as { type?: unknown; setting?: unknown; feature?: unknown };
    return (w.type === "unsupported-setting" || w.type === "unsupported") && (w.setting === setting || w.feature === setting);
  });
}

/** The error of a seed the model ignored: a policy that asks for reproducible sampling must not silently get another. */
export function seedUnsupported(provider: string, modelId: string): ProviderError {
  return new ProviderError(`${provider} model ${modelId} has no sampling seed (the AI SDK reported it unsupported); remove 'seed' from the policy`, {
    code: "unsupported",
    provider,
  });
}
