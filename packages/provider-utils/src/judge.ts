import { CjeInputError, type Judge, type JudgeRequest, type JudgeResult, ProviderError, type Scale, type TokenUsage } from "@cjeval/core";
import {
  DEFAULT_JSON_JUDGE_TEMPLATE,
  DEFAULT_JUDGE_SCALE,
  DEFAULT_JUDGE_TEMPLATE,
  renderJudgePrompt,
  validateJudgeTemplate,
} from "./judge-template.js";
import type { CallOutcome } from "./pipeline.js";
import { JudgeOutputSchema, parseJudgeScore } from "./score-parser.js";
import { scoreDistribution, type TokenTopLogprobs } from "./score-distribution.js";

/** How a judge prompts and reads its model; the same settings for every provider. */
export interface JudgeSettings {
  /** Rubric with `{prompt}` and `{response}` slots (default: the 0–100 rubric for the output mode). */
  readonly template?: string;
  /** The rubric's native scale (default 0–100). */
  readonly scale?: Scale;
  /** System prompt for the judge model. */
  readonly system?: string;
  /** `text` (default): parse the answer text; `json`: ask for structured output `{ reasoning, score }`. */
  readonly output?: "text" | "json";
  /** Sampling temperature (default: the provider's, 0 for OpenAI; not sent to Anthropic unless set). */
  readonly temperature?: number;
  /** Output token limit (default 16 for text, 512 for json). */
  readonly maxTokens?: number;
  /** Top log-probs per token to request for the score distribution (0 disables; default 20 where supported). */
  readonly topLogprobs?: number;
}

/** {@link JudgeSettings} with every default filled in. */
export interface ResolvedJudgeSettings {
  readonly template: string;
  readonly scale: Scale;
  readonly system: string | undefined;
  readonly output: "text" | "json";
  readonly temperature: number | undefined;
  readonly maxTokens: number;
  readonly topLogprobs: number;
}

/** What a provider's wire call returns for a judge prompt. */
export interface JudgeCompletion {
  /** The answer text (for JSON mode, the JSON text when the provider returns text). */
  readonly text: string;
  /** Structured output the provider returned as an object (e.g. a forced tool call's input). */
  readonly structured?: unknown;
  /** Generated tokens with top log-probs, when the provider returned them. */
  readonly tokens?: readonly TokenTopLogprobs[];
  /** True when the provider flagged the answer as a refusal. */
  readonly refused?: boolean;
  readonly usage?: TokenUsage;
}

/** The prompt a judge sends: optional system prompt and the rendered rubric. */
export interface JudgePrompt {
  readonly system: string | undefined;
  readonly user: string;
}

/** A provider's defaults for the settings whose best value depends on the provider. */
export interface JudgeDefaults {
  readonly topLogprobs?: number;
  readonly temperature?: number;
}

/** Fills in defaults and validates the template and scale (throws {@link CjeInputError}). */
export function resolveJudgeSettings(settings: JudgeSettings = {}, defaults: JudgeDefaults = {}): ResolvedJudgeSettings {
  const output = settings.output ?? "text";
  const template = settings.template ?? (output === "json" ? DEFAULT_JSON_JUDGE_TEMPLATE : DEFAULT_JUDGE_TEMPLATE);
  validateJudgeTemplate(template);
  const scale = settings.scale ?? DEFAULT_JUDGE_SCALE;
  if (!(Number.isFinite(scale.min) && Number.isFinite(scale.max) && scale.min < scale.max)) {
    throw new CjeInputError("judge scale needs finite min < max", { field: "scale", value: scale });
  }
  return {
    template,
    scale,
    system: settings.system,
    output,
    temperature: settings.temperature ?? defaults.temperature,
    maxTokens: settings.maxTokens ?? (output === "json" ? 512 : 16),
    topLogprobs: settings.topLogprobs ?? defaults.topLogprobs ?? 0,
  };
}

function excerpt(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 197)}...` : text);
}

/**
 * Turns a judge completion into a {@link JudgeResult}: structured output is validated with zod, text goes
 * through the table-driven parser, and top log-probs at the score token give the score distribution.
 * Throws a non-retryable {@link ProviderError} (`refusal` or `invalid_output`, with the raw text) when
 * there is no valid score.
 */
export function interpretJudgeCompletion(
  completion: JudgeCompletion,
  settings: ResolvedJudgeSettings,
  provider: string,
): Omit<JudgeResult, "usage" | "cached"> {
  const { scale } = settings;
  const raw = completion.structured !== undefined ? JSON.stringify(completion.structured) : completion.text;
  const fail = (code: "refusal" | "invalid_output", detail: string): never => {
    throw new ProviderError(`judge gave no valid score (${detail}); raw output: ${excerpt(raw)}`, { code, provider, raw });
  };
  if (completion.refused === true) fail("refusal", "the provider flagged a refusal");
  let nativeScore: number;
  let distribution: JudgeResult["distribution"];
  if (completion.structured !== undefined) {
    const parsed = JudgeOutputSchema.safeParse(completion.structured);
    if (!parsed.success) return fail("invalid_output", "structured output has no numeric 'score'");
    nativeScore = parsed.data.score;
    if (!(nativeScore >= scale.min && nativeScore <= scale.max)) {
      fail("invalid_output", `score ${nativeScore} is outside ${scale.min}-${scale.max}`);
    }
  } else {
    const parsed = parseJudgeScore(completion.text, scale);
    if (!parsed.ok) return fail(parsed.reason === "refusal" ? "refusal" : "invalid_output", `${parsed.reason}: ${parsed.detail}`);
    nativeScore = parsed.value;
    if (completion.tokens !== undefined) {
      distribution = scoreDistribution(completion.tokens, completion.text, parsed.index, parsed.literal, scale);
    }
  }
  const score = (nativeScore - scale.min) / (scale.max - scale.min);
  return distribution === undefined ? { score, nativeScore, scale, raw } : { score, nativeScore, scale, raw, distribution };
}

/** What {@link createJudge} needs from a provider package. */
export interface CreateJudgeOptions {
  readonly provider: string;
  readonly modelId: string;
  readonly settings: ResolvedJudgeSettings;
  /** Sends the judge prompt over the provider's wire (through a {@link CallPipeline}). */
  readonly complete: (prompt: JudgePrompt, signal: AbortSignal | undefined) => Promise<CallOutcome<JudgeCompletion>>;
}

/**
 * A {@link Judge} from a provider's wire call: the rubric templating, score parsing and score
 * distribution are shared by every provider; only `complete` differs.
 */
export function createJudge(options: CreateJudgeOptions): Judge {
  const { settings } = options;
  return {
    modelId: options.modelId,
    async judge(request: JudgeRequest): Promise<JudgeResult> {
      const user = renderJudgePrompt(settings.template, request);
      const { value, cached } = await options.complete({ system: settings.system, user }, request.signal);
      const result = interpretJudgeCompletion(value, settings, options.provider);
      return value.usage === undefined ? { ...result, cached } : { ...result, usage: value.usage, cached };
    },
  };
}
