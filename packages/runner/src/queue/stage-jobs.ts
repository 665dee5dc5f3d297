/**
 * A worker's view of the campaign's units: the calls of a stage, rebuilt from the campaign definition and
 * the store exactly as the process running the campaign built them. The stages are replayed in order with
 * an executor that runs nothing: stages before the wanted one only read their stored results (they are
 * complete before the wanted stage is queued), the wanted stage's units are captured, and nothing after it
 * runs (so a worker never samples, writes label files or estimates).
 */
import { runStages } from "../run.js";
import type { StageContext } from "../stages/context.js";
import type { UnitExecutor, UnitJob } from "../stages/execute.js";
import type { StageName } from "../store/store.js";

/** The stages in the order `runStages` runs them. */
export const STAGE_ORDER: readonly StageName[] = ["generate", "judge", "logprobs", "sample", "label", "estimate"];

/** Thrown by the replaying executor to end the replay. */
class ReplayEnd extends Error {}

/** The units of `wanted`, by key, as `runStages` would build them on the store's current contents. */
export async function stageJobs(ctx: Omit<StageContext, "execute">, wanted: StageName): Promise<Map<string, UnitJob>> {
  const target = STAGE_ORDER.indexOf(wanted);
  let captured: readonly UnitJob[] = [];
  const execute: UnitExecutor = async (jobs, options) => {
    const at = STAGE_ORDER.indexOf(options.stage);
    if (at === target) captured = jobs;
    if (at >= target) throw new ReplayEnd();
    return { stage: options.stage, total: jobs.length, alreadyDone: 0, completed: 0, retryableFailures: 0, finalFailures: 0 };
  };
  try {
    await runStages({ ...ctx, execute }, async () => undefined);
  } catch (error) {
    if (!(error instanceof ReplayEnd)) throw error;
  }
  return new Map(captured.map((job) => [job.spec.key, job]));
}

/** Finds units by stage and key, rebuilding a stage's units when a key is new (a later run queued more). */
export class StageJobIndex {
  private readonly stages = new Map<StageName, Promise<Map<string, UnitJob>>>();

  constructor(private readonly ctx: Omit<StageContext, "execute">) {}

  /** The unit `key` of `stage`, or `undefined` when the campaign (as this process loaded it) has no such unit. */
  async find(stage: StageName, key: string): Promise<UnitJob | undefined> {
    const cached = this.stages.get(stage);
    const found = (await (cached ?? this.rebuild(stage))).get(key);
    if (found !== undefined || cached === undefined) return found;
    // Rebuild once for all the jobs that miss together: whoever comes first replaces the cached promise.
    const latest = this.stages.get(stage);
    return (await (latest === cached ? this.rebuild(stage) : (latest as Promise<Map<string, UnitJob>>))).get(key);
  }

  private rebuild(stage: StageName): Promise<Map<string, UnitJob>> {
    const built = stageJobs(this.ctx, stage);
    this.stages.set(stage, built);
    built.catch(() => {
      if (this.stages.get(stage) === built) this.stages.delete(stage);
    });
    return built;
  }
}
