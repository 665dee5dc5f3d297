/**
 * A worker's view of the campaign's units: the calls of a stage, rebuilt from the campaign definition and
 * the store exactly as the process running the campaign built them. The stages are replayed in order with
 * an executor that runs nothing: stages before the wanted one only read their stored results (they are
 * complete before the wanted stage is queued), the wanted stage's units are captured, and nothing after it
 * runs (so a worker never samples, writes label files or estimates).
 */
import type { ResolvedCampaign } from "../config/load.js";
import type { Campaign } from "../config/schema.js";
import { loadPrompts } from "../input/prompts.js";
import { SILENT_PROGRESS } from "../progress.js";
import { localRateLimits } from "../providers/rate-limit.js";
import { campaignProviders } from "../providers/registry.js";
import { runStages } from "../run.js";
import type { CampaignStore } from "../store/store.js";
import type { StageContext } from "./context.js";
import type { UnitExecutor, UnitJob } from "./execute.js";
import { STAGE_NAMES, type StageName } from "./table.js";

/** Thrown by the replaying executor to end the replay. */
class ReplayEnd extends Error {}

/** The units of `wanted`, by key, as `runStages` would build them on the store's current contents. */
export async function stageJobs(ctx: Omit<StageContext, "execute">, wanted: StageName): Promise<Map<string, UnitJob>> {
  const target = STAGE_NAMES.indexOf(wanted);
  let captured: readonly UnitJob[] = [];
  const execute: UnitExecutor = async (jobs, options) => {
    const at = STAGE_NAMES.indexOf(options.stage);
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

/** A campaign's units as a worker finds them: by stage and key, with the calls in flight each provider allows. */
export interface CampaignUnits {
  /** Calls in flight per provider (the campaign's `concurrency`, or the one asked for). */
  readonly concurrency: ReadonlyMap<string, number>;
  /** The unit `key` of `stage`, or `undefined` when the campaign (as this process loaded it) has no such unit. */
  find(stage: StageName, key: string): Promise<UnitJob | undefined>;
}

/**
 * The units of `campaign` on `store`, rebuilt on demand by replaying the stages on the stored results (see
 * the module comment); providers call with the store's shared rate limits when it has them. `concurrency`
 * sets every provider's calls in flight in this process (the campaign's fingerprint stays the same).
 */
export async function campaignUnits(campaign: ResolvedCampaign, store: CampaignStore, options: { readonly concurrency?: number } = {}): Promise<CampaignUnits> {
  const { config } = campaign;
  const prompts = await loadPrompts(config.prompts, campaign.baseDir);
  const providers = campaignProviders(
    withConcurrency(config, options.concurrency),
    config.cache === true ? store.responseCache : undefined,
    store.coordination?.rateLimits() ?? localRateLimits,
    campaign.baseDir,
  );
  const index = new StageJobIndex({ campaign, store, providers, prompts, progress: SILENT_PROGRESS, retryFailed: false });
  return { concurrency: new Map([...providers].map(([name, provider]) => [name, provider.concurrency])), find: (stage, key) => index.find(stage, key) };
}

/** `config` with every provider's concurrency set to `concurrency`. */
function withConcurrency(config: Campaign, concurrency: number | undefined): Campaign {
  if (concurrency === undefined) return config;
  return { ...config, providers: Object.fromEntries(Object.entries(config.providers).map(([name, provider]) => [name, { ...provider, concurrency }])) };
}
