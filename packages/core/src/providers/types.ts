import type { Scale } from "../data/types.js";

/** Tokens billed for one call. */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** Options every provider call accepts. */
export interface CallOptions {
  /** Cancels the call (and its retries) when aborted. */
  readonly signal?: AbortSignal;
}

/** Ask a policy for a response to `prompt`. */
export interface GenerateRequest extends CallOptions {
  readonly prompt: string;
  /** System prompt of the policy. */
  readonly system?: string;
  readonly temperature?: number;
  readonly maxTokens?: number;
  /** Sampling seed, where the provider honours one. */
  readonly seed?: number;
}

/** A policy's response. */
export interface GenerateResult {
  readonly text: string;
  /** The provider's stop reason, e.g. `stop`, `length`, `end_turn`. */
  readonly finishReason?: string;
  readonly usage?: TokenUsage;
  /** True when the result came from a response cache (no tokens were billed). */
  readonly cached?: boolean;
}

/** Ask a judge to score `response` as an answer to `prompt`. */
export interface JudgeRequest extends CallOptions {
  readonly prompt: string;
  readonly response: string;
}

/**
 * The judge's probability distribution over score tokens at the position where it wrote its score, read
 * from top log-probs. Probabilities are renormalised over the score tokens present; `coveredMass` is the
 * raw probability those tokens had before renormalising (low values mean the judge hesitated between a
 * score and something else, or the top-k cut the distribution off).
 */
export interface ScoreDistribution {
  /** Native scores with their renormalised probabilities, ascending by score. */
  readonly probabilities: ReadonlyArray<{ readonly score: number; readonly probability: number }>;
  /** Raw probability mass of the score tokens present, in (0, 1]. */
  readonly coveredMass: number;
  /** Probability-weighted expected score, on the rubric's native scale. */
  readonly expectedNative: number;
  /** The expected score mapped to [0, 1]. */
  readonly expected: number;
  /** The most probable score, on the native scale. */
  readonly argmaxNative: number;
}

/** A judge's verdict on one response. */
export interface JudgeResult {
  /** Score mapped to [0, 1] (`(native - scale.min) / (scale.max - scale.min)`). */
  readonly score: number;
  /** Score on the rubric's native scale, as the judge wrote it. */
  readonly nativeScore: number;
  /** The rubric's native scale. */
  readonly scale: Scale;
  /** The judge's raw output text. */
  readonly raw: string;
  /** Present when the provider returned top log-probs at the score token. */
  readonly distribution?: ScoreDistribution;
  readonly usage?: TokenUsage;
  readonly cached?: boolean;
}

/** Ask for the log-probability of `response` given `prompt` under a policy's model. */
export interface LogprobRequest extends CallOptions {
  readonly prompt: string;
  readonly response: string;
  /** System prompt of the policy (applied through the policy's chat template). */
  readonly system?: string;
}

/** One token of a teacher-forced response with its log-probability (natural log). */
export interface TokenLogprob {
  readonly token: string;
  readonly logprob: number;
}

/** Log-probability of a response under a policy: the sum over its tokens. */
export interface LogprobResult {
  /** Log P(response | prompt), ≤ 0: Σ of `tokens[i].logprob` (for a `*_two_call` method, the difference of two sums). */
  readonly total: number;
  readonly tokens: readonly TokenLogprob[];
  /** How it was computed, e.g. `echo` or `prompt_logprobs`. */
  readonly method: string;
  readonly usage?: TokenUsage;
  readonly cached?: boolean;
}
