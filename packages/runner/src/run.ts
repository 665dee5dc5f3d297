/**
 * `runCampaign`: generate → judge → log-probs → sample → label → estimate → report, each stage
 * idempotent over the campaign store. A run resumes wherever the last one stopped; it stops early (status
 * `incomplete`) when a stage still has transient failures or human labels are pending, since the later
 * stages must see the complete data.
 */
import { CjeInputError, isProviderError, type AnalysisResult } from "@cjeval/core";
import type { ResolvedCampaign, CampaignPaths } from "./config/load.js";
import { estimateCost, type CostEstimate } from "./cost.js";
import { loadPrompts } from "./input/prompts.js";
import { SILENT_PROGRESS, type ProgressSink } from "./progress.js";
import { campaignProviders } from "./providers/registry.js";
import { localRateLimits } from "./providers/rate-limit.js";
import { writeReport } from "./report/write.js";
import { CAMPAIGN_SNAPSHOT_META, campaignSnapshot } from "./report/snapshot.js";
import type { StageContext } from "./stages/context.js";
import { executeUnits, type StageOutcome, type UnitExecutor } from "./stages/execute.js";
import { ESTIMATE, STAGES, StageResults, type StageDefinition, type StageResult } from "./stages/table.js";
import { openCampaignStore } from "./store/open-store.js";
import type { AttemptSummary, CampaignStore, FailedUnit } from "./store/store.js";

/** Options of {@link runCampaign}. */
export interface RunOptions {
  /** Spend without asking (otherwise billable calls need `confirm`). */
  readonly yes?: boolean;
  /** Stop after the cost estimate. */
  readonly dryRun?: boolean;
  /** Called with the cost estimate before anything is sent. */
  readonly onEstimate?: (estimate: CostEstimate) => void;
  /** Asked before billable calls when `yes` is not set; resolve `false` to stop. */
  readonly confirm?: (estimate: CostEstimate) => boolean | Promise<boolean>;
  readonly progress?: ProgressSink;
  /** Also retry units whose last failure was final. */
  readonly retryFailed?: boolean;
  /** Stops dispatching new calls; calls in flight finish and are stored. */
  readonly signal?: AbortSignal;
  /** A store to use instead of the campaign's own (`store`, or the SQLite file of `outputs`); it stays open. */
  readonly store?: CampaignStore;
  /** Runs each stage's units (default `executeUnits`, in this process). */
  readonly execute?: UnitExecutor;
}

/** How a run ended. */
export type RunStatus = "complete" | "incomplete" | "dry-run" | "declined";

/** What a run did. */
export interface RunSummary {
  readonly status: RunStatus;
  /** Why the run is incomplete. */
  readonly reason?: string;
  readonly cost: CostEstimate;
  readonly stages: readonly StageOutcome[];
  /** Units whose last attempt failed, over all stages. */
  readonly failures: readonly FailedUnit[];
  readonly attempts: AttemptSummary;
  /** The analysis, when the run got that far. */
  readonly analysis: AnalysisResult | null;
  readonly paths: CampaignPaths;
}

/** Runs (or resumes) a campaign; see the module comment. */
export async function runCampaign(campaign: ResolvedCampaign, options: RunOptions = {}): Promise<RunSummary> {
  const prompts = await loadPrompts(campaign.config.prompts, campaign.baseDir);
  const store = options.store ?? (await openCampaignStore(campaign.paths.store, { campaign: campaign.config.name }));
  try {
    await store.setMeta(CAMPAIGN_SNAPSHOT_META, JSON.stringify(campaignSnapshot(campaign.config)));
    const ctx: StageContext = {
      campaign,
      store,
      providers: campaignProviders(
        campaign.config,
        campaign.config.cache === true ? store.responseCache : undefined,
        store.coordination?.rateLimits() ?? localRateLimits,
        campaign.baseDir,
      ),
      prompts,
      progress: options.progress ?? SILENT_PROGRESS,
      retryFailed: options.retryFailed === true,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      execute: options.execute ?? executeUnits,
    };
    const cost = await estimateCost(ctx);
    options.onEstimate?.(cost);
    const finish = async (
      status: RunStatus,
      stages: StageOutcome[],
      extra: { reason?: string; analysis?: AnalysisResult | null } = {},
    ): Promise<RunSummary> => ({
      status,
      ...(extra.reason === undefined ? {} : { reason: extra.reason }),
      cost,
      stages,
      failures: await store.failures(),
      attempts: await store.attempts(),
      analysis: extra.analysis ?? null,
      paths: campaign.paths,
    });
    if (options.dryRun === true) return await finish("dry-run", []);
    if (cost.billableCalls > 0 && options.yes !== true) {
      if (options.confirm === undefined) {
        throw new CjeInputError(`this run makes ${cost.billableCalls} billable calls (estimated $${cost.totalUsd.toFixed(2)}): confirm or pass yes (--yes)`);
      }
      if (!(await options.confirm(cost))) return await finish("declined", []);
    }
    return await runStages(ctx, finish);
  } finally {
    if (options.store === undefined) await store.close();
  }
}

/** How {@link runStages} ends a run: with its status, the stages it ran, and why it stopped or what it found. */
export type Finish<T> = (status: RunStatus, stages: StageOutcome[], extra?: { reason?: string; analysis?: AnalysisResult | null }) => Promise<T>;

/**
 * The stages of the stage table in order, each fed by the ones before; stops early when a stage leaves
 * transient failures or human labels are pending, or on `ctx.signal`. Workers replay it to rebuild a
 * stage's units.
 */
export async function runStages<T>(ctx: StageContext, finish: Finish<T>): Promise<T> {
  const stages: StageOutcome[] = [];
  const stop = (outcome: StageOutcome | null): string | undefined => {
    if (outcome !== null) stages.push(outcome);
    if (ctx.signal?.aborted === true) return "interrupted: run again to continue";
    if (outcome !== null && outcome.retryableFailures > 0) {
      return `${outcome.retryableFailures} ${outcome.stage} calls failed with transient errors: run again to retry them`;
    }
    return undefined;
  };
  const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (isProviderError(error)) {
        throw new CjeInputError(`${error.message} (stopped: every further call would fail the same way)`, { field: `providers.${error.provider ?? ""}` });
      }
      throw error;
    }
  };
  const results = new StageResults();
  const table: readonly StageDefinition<string, unknown, StageResult>[] = STAGES;
  for (const stage of table.slice(0, -1)) {
    const result = await (stage.callsProviders ? guarded(() => stage.run(ctx, results)) : stage.run(ctx, results));
    results.set(stage, result);
    // A stage's own reason to wait counts only when none of its units failed transiently.
    const reason = stop(result.outcome) ?? stage.waitsFor?.(result);
    if (reason !== undefined) return finish("incomplete", stages, { reason });
  }
  // The last stage (the estimate) ends the run: it is complete once the analyses and the report are written.
  const estimated = await ESTIMATE.run(ctx, results);
  stages.push(estimated.outcome);
  const { paths } = ctx.campaign;
  await writeReport(ctx.store, { html: paths.html });
  return finish("complete", stages, { analysis: estimated.value?.analysis ?? null });
}
