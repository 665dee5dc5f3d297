import { type Judge, type JudgeRequest, type JudgeResult, ProviderError, type TokenUsage } from "@cjeval/core";
import type { ResolvedJudgeSettings } from "./judge-settings.js";
import { renderJudgePrompt } from "./judge-template.js";
import type { CallOutcome } from "./pipeline.js";
import { JudgeOutputSchema, parseJudgeScore } from "./score-parser.js";
import { scoreDistribution, type TokenTopLogprobs } from "./score-distribution.js";

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
