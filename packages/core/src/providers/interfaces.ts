import type { ProviderCapabilities } from "./capabilities.js";
import type { GenerateRequest, GenerateResult, JudgeRequest, JudgeResult, LogprobRequest, LogprobResult } from "./types.js";

/** Produces a policy's response to a prompt. */
export interface Generator {
  /** Model id as the provider knows it. */
  readonly modelId: string;
  generate(request: GenerateRequest): Promise<GenerateResult>;
}

/**
 * Scores a response to a prompt. Implementations throw a {@link ProviderError} (code `invalid_output` or
 * `refusal`, with the raw text) when no valid score can be read: a judge never makes a score up.
 */
export interface Judge {
  readonly modelId: string;
  judge(request: JudgeRequest): Promise<JudgeResult>;
}

/** Computes the teacher-forced log-probability of a given response under a policy's model. */
export interface LogprobScorer {
  readonly modelId: string;
  score(request: LogprobRequest): Promise<LogprobResult>;
}

/**
 * A model provider: a factory of {@link Generator}s, {@link Judge}s and {@link LogprobScorer}s with a
 * declaration of what it supports. Calling a factory method for a capability the provider lacks throws a
 * {@link ProviderError} with code `unsupported` that names the capability (see `requireCapability`).
 *
 * Implementing one for your own model takes a few lines; only the methods you need must do real work:
 *
 * @example
 * ```ts
 * import { ProviderError, requireCapability, type Provider } from "@cjeval/core";
 *
 * const capabilities = { generate: false, judge: true, scoreDistribution: false, logprobs: false };
 * export const myProvider: Provider = {
 *   id: "my-judge",
 *   capabilities,
 *   judge: (modelId) => ({
 *     modelId,
 *     async judge({ prompt, response, signal }) {
 *       const res = await fetch("http://127.0.0.1:9000/score", {
 *         method: "POST", body: JSON.stringify({ prompt, response }), signal });
 *       if (!res.ok) throw new ProviderError(`HTTP ${res.status}`, { code: "server_error", status: res.status });
 *       const { score } = (await res.json()) as { score: number }; // the judge's 1-10 score
 *       const scale = { min: 1, max: 10 };
 *       return { score: (score - 1) / 9, nativeScore: score, scale, raw: String(score) };
 *     },
 *   }),
 *   generator: () => { requireCapability(myProvider, "generate"); throw new Error("unreachable"); },
 *   logprobScorer: () => { requireCapability(myProvider, "logprobs"); throw new Error("unreachable"); },
 * };
 * ```
 */
export interface Provider {
  /** Short provider id, e.g. `openai`. */
  readonly id: string;
  readonly capabilities: ProviderCapabilities;
  generator(modelId: string): Generator;
  judge(modelId: string): Judge;
  logprobScorer(modelId: string): LogprobScorer;
}
