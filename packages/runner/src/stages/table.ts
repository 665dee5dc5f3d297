/**
 * The stage table: the one list of a campaign's stages, in the order they run. Each stage has its name
 * (the units it registers carry it), the zod schema of the values its units store (results are checked
 * against it when read back), and its run function, which reads what the stages before it left. `runStages`
 * iterates the table; resuming, the worker's replay of a stage's units and the store's `StageName` all read
 * from it.
 */
import { z } from "zod";
import type { StageContext } from "./context.js";
import { EstimateValueSchema, estimateStage, type EstimateStageResult } from "./estimate.js";
import type { StageOutcome } from "./execute.js";
import { GenerateValueSchema, generateStage } from "./generate.js";
import { JudgeValueSchema, judgeStage } from "./judge.js";
import { LabelValueSchema, labelStage } from "./label.js";
import { LogprobValueSchema, logprobsStage } from "./logprobs.js";
import { OffPolicyResultSchema } from "./off-policy.js";
import { ProbeValueSchema, SampleValueSchema, sampleStage } from "./sample.js";

/** What every stage leaves: how its units went (`null` when the campaign skips it). */
export interface StageResult {
  readonly outcome: StageOutcome | null;
}

/** The results of the stages that ran before the current one. */
export interface EarlierStages {
  /** The result `stage` left; an error when it has not run yet (a stage table out of order). */
  of<R extends StageResult>(stage: StageDefinition<string, unknown, R>): R;
}

/** One stage of the table. */
export interface StageDefinition<N extends string, V, R extends StageResult> {
  readonly name: N;
  /** Schema of every value the stage's units store. */
  readonly value: z.ZodType<V>;
  /** Whether the stage calls providers (a provider error that every further call would repeat stops the run). */
  readonly callsProviders: boolean;
  /** Runs (or resumes) the stage on what the stages before it left. */
  run(ctx: StageContext, earlier: EarlierStages): Promise<R>;
  /**
   * Why the run must stop after this stage although none of its units failed transiently: human labels
   * pending, or nothing left for the next stages to work on.
   */
  waitsFor?(result: R): string | undefined;
}

/**
 * The reason to stop when a stage that had work left no result at all (every unit failed for good): the
 * stages after it would have nothing to sample, label or estimate.
 */
function nothingLeft(results: number, outcome: StageOutcome, what: string, calls: string): string | undefined {
  if (results > 0 || outcome.total === 0) return undefined;
  return `no ${what}: all ${outcome.finalFailures} ${calls} calls failed (cje status lists the errors); fix the cause and run again with --retry-failed (retryFailed: true)`;
}

/** A stage definition with its name's literal type. */
function defineStage<const N extends string, V, R extends StageResult>(stage: StageDefinition<N, V, R>): StageDefinition<N, V, R> {
  return stage;
}

/** Stage 1: every policy answers every prompt. */
export const GENERATE = defineStage({
  name: "generate",
  value: GenerateValueSchema,
  callsProviders: true,
  run: (ctx) => generateStage(ctx),
  waitsFor: (generated) => nothingLeft(generated.rows.size, generated.outcome, "response was generated", "generation"),
});

/** Stage 2: the judge scores every response. */
export const JUDGE = defineStage({
  name: "judge",
  value: JudgeValueSchema,
  callsProviders: true,
  run: (ctx, earlier) => judgeStage(ctx, earlier.of(GENERATE).rows),
  waitsFor: (judged) => nothingLeft(judged.verdicts.size, judged.outcome, "response was judged", "judge"),
});

/** Stage 3 (optional): teacher-forced log-probs of the logging policy's responses. */
export const LOGPROBS = defineStage({
  name: "logprobs",
  value: LogprobValueSchema,
  callsProviders: true,
  run: (ctx, earlier) => logprobsStage(ctx, earlier.of(GENERATE).rows),
});

/** Stage 4: the rows to label, and the transport probes. */
export const SAMPLE = defineStage({
  name: "sample",
  value: z.union([SampleValueSchema, ProbeValueSchema]),
  callsProviders: false,
  run: (ctx, earlier) => sampleStage(ctx, earlier.of(JUDGE).verdicts),
});

/** Stage 5: oracle labels of the selected rows and probes. */
export const LABEL = defineStage({
  name: "label",
  value: LabelValueSchema,
  callsProviders: true,
  run: (ctx, earlier) => labelStage(ctx, earlier.of(SAMPLE).selection, earlier.of(GENERATE).rows, earlier.of(JUDGE).verdicts),
  waitsFor: (labelled) =>
    labelled.pending > 0 ? `${labelled.pending} oracle labels pending: fill in the oracle_label column of ${labelled.todoFile} and run again` : undefined,
});

/** Stage 6: the Direct and off-policy analyses of exactly the stored rows. */
export const ESTIMATE = defineStage({
  name: "estimate",
  value: z.union([EstimateValueSchema, OffPolicyResultSchema]),
  callsProviders: false,
  run: (ctx, earlier): Promise<EstimateStageResult> => {
    const labelled = earlier.of(LABEL);
    return estimateStage(ctx, {
      rows: earlier.of(GENERATE).rows,
      verdicts: earlier.of(JUDGE).verdicts,
      labels: labelled.labels,
      inclusion: labelled.inclusion,
      logprobs: earlier.of(LOGPROBS),
      selection: earlier.of(SAMPLE).selection,
    });
  },
});

/** Every stage, in the order a run goes through them. */
export const STAGES = [GENERATE, JUDGE, LOGPROBS, SAMPLE, LABEL, ESTIMATE] as const;

/** A stage's name: the stage of a unit in the store. */
export type StageName = (typeof STAGES)[number]["name"];

/** The stage names in order. */
export const STAGE_NAMES: readonly StageName[] = STAGES.map((stage) => stage.name);

/** The results of the stages run so far, by stage (see {@link EarlierStages}). */
export class StageResults implements EarlierStages {
  private readonly results = new Map<string, StageResult>();

  /** Records what `stage` left. */
  set(stage: StageDefinition<string, unknown, StageResult>, result: StageResult): void {
    this.results.set(stage.name, result);
  }

  /** The result `stage` left; an error when it has not run yet. */
  of<R extends StageResult>(stage: StageDefinition<string, unknown, R>): R {
    const result = this.results.get(stage.name);
    if (result === undefined) throw new Error(`stage ${stage.name} has not run yet: the stage table is out of order`);
    return result as R;
  }
}
