/** Stage 2: the judge scores every response. */
import type { JudgeResult } from "@cjeval/core";
import { z } from "zod";
import { configuredJudge, type ConfiguredJudge } from "../providers/judges.js";
import { resultsFor, type StageContext, unitKey, unitUsage } from "./context.js";
import type { StageOutcome, UnitJob } from "./execute.js";
import type { GeneratedRow } from "./generate.js";

/** A stored verdict. */
export interface JudgeValue {
  /** Score in [0, 1]. */
  readonly score: number;
  /** Score on the rubric's scale. */
  readonly native: number;
  readonly raw: string;
  /** Probability-weighted score in [0, 1], when the provider returned score-token log-probs. */
  readonly expected?: number;
  /** Probability mass of the score tokens, with `expected`. */
  readonly mass?: number;
}

/** Schema of a stored verdict (checked when read back). */
export const JudgeValueSchema: z.ZodType<JudgeValue> = z.object({
  score: z.number(),
  native: z.number(),
  raw: z.string(),
  expected: z.number().optional(),
  mass: z.number().optional(),
});

/** What the stage leaves for the next ones. */
export interface JudgeStageResult {
  readonly outcome: StageOutcome;
  /** Verdicts by row id. */
  readonly verdicts: Map<string, JudgeValue>;
}

/** The stored form of a judge result. */
function judgeValue(result: JudgeResult): JudgeValue {
  return {
    score: result.score,
    native: result.nativeScore,
    raw: result.raw,
    ...(result.distribution === undefined ? {} : { expected: result.distribution.expected, mass: result.distribution.coveredMass }),
  };
}

/** The idempotency key of a verdict on a row by the judge with `fingerprint`. */
export function judgeKey(fingerprint: ConfiguredJudge["fingerprint"], row: GeneratedRow): string {
  return unitKey("judge", { judge: fingerprint, policy: row.policy, promptId: row.prompt.id, prompt: row.prompt.text, response: row.response });
}

/** Runs (or resumes) judging of every generated row. */
export async function judgeStage(ctx: StageContext, rows: ReadonlyMap<string, GeneratedRow>): Promise<JudgeStageResult> {
  const { config, baseDir } = ctx.campaign;
  const judge = await configuredJudge(config.judge, ctx.providers, baseDir, "judge");
  const keys = new Map<string, string>();
  const jobs: UnitJob[] = [];
  for (const [id, row] of rows) {
    const key = judgeKey(judge.fingerprint, row);
    keys.set(id, key);
    jobs.push({
      spec: { key, stage: "judge", policy: row.policy, promptId: row.prompt.id, descriptor: { provider: config.judge.provider, model: config.judge.model } },
      provider: judge.provider,
      run: async () => {
        const result = await (await judge.judge()).judge({ prompt: row.prompt.text, response: row.response });
        return { value: judgeValue(result), usage: unitUsage(judge.provider, judge.model, result.usage, result.cached) };
      },
    });
  }
  const outcome = await ctx.execute(jobs, { store: ctx.store, stage: "judge", progress: ctx.progress, retryFailed: ctx.retryFailed, signal: ctx.signal });
  return { outcome, verdicts: await resultsFor(ctx.store, "judge", keys, JudgeValueSchema) };
}
