/**
 * The sources `cje view` shows, open: one run per campaign, result file or fresh-draw input, and for each
 * campaign its store, read again on every {@link ViewSources.refresh} to follow a running campaign.
 */
import { type AnalyzeOptions, CjeInputError, VERSION } from "@cjeval/core";
import { type CampaignStore, campaignStatus, openCampaignStore, type StoreOpener } from "@cjeval/runner";
import type { RunIdentity } from "./build-run.js";
import { analysisVersion, campaignProgress, campaignRun } from "./campaign-run.js";
import { freshDrawsRun, resultRun } from "./file-runs.js";
import { ACCEPTED_PATHS, CAMPAIGNS_DIR, type Located, locateDefault, locatePaths } from "./locate.js";
import { type CampaignProgress, VIEW_SCHEMA_VERSION, type ViewBundle, type ViewRun } from "./view-model.js";

/** Options of {@link openViewSources}. */
export interface ViewSourcesOptions {
  /** Folder that relative paths, the default campaign file and `.cje/` are resolved against (default: the working directory). */
  readonly cwd?: string;
  /**
   * Opens campaign stores read-only (default: `@cjeval/runner`'s `openCampaignStore`, SQLite only; pass
   * `@cjeval/postgres`'s for campaigns on PostgreSQL).
   */
  readonly openStore?: StoreOpener;
  /** Analysis options for fresh draws (as `cje analyze` takes them; default: analytic inference). */
  readonly analyze?: AnalyzeOptions;
}

/** A change seen by {@link ViewSources.refresh}: as the server sends it to the page (SSE event name and data). */
export type ViewChange =
  | { readonly event: "progress"; readonly data: { readonly run_id: string; readonly campaign: CampaignProgress } }
  | { readonly event: "run"; readonly data: ViewRun };

/** Open sources. */
export interface ViewSources {
  /** The current runs, in the order of the paths. */
  readonly runs: readonly ViewRun[];
  /** The bundle of the current runs. */
  bundle(): ViewBundle;
  /**
   * Reads every campaign's store again; resolves to what changed since the last read — a `progress` change for
   * a campaign whose progress moved, a `run` change (the whole run) for one whose stored analysis changed — and
   * the errors of the stores that could not be read (their runs stay as they were).
   */
  refresh(): Promise<{ readonly changes: ViewChange[]; readonly errors: Error[] }>;
  /** Closes the campaign stores. */
  close(): Promise<void>;
}

/**
 * Opens what `paths` name (see {@link ACCEPTED_PATHS}); without paths, the campaign of the campaign file in
 * `cwd` and every campaign under `cwd/.cje`. A path that names nothing `cje view` can show, bad input in a
 * file, or no campaign at all by default, is a `CjeInputError` naming the path and what is wrong.
 */
export async function openViewSources(paths: readonly string[], options: ViewSourcesOptions = {}): Promise<ViewSources> {
  const cwd = options.cwd ?? process.cwd();
  const located = paths.length === 0 ? await locateDefault(cwd) : await locatePaths(paths, cwd);
  if (located.length === 0) {
    throw new CjeInputError(
      `no campaign here to show (looked for a campaign file and for campaign folders under ${CAMPAIGNS_DIR}/). ` +
        `Create one with \`cje demo --out-dir ${CAMPAIGNS_DIR}/demo\` (offline, a minute) or \`cje init\` then \`cje run\`, ` +
        `or name what to show: ${ACCEPTED_PATHS}`,
      { file: cwd },
    );
  }
  const ids = new Set<string>();
  const entries: Entry[] = [];
  try {
    for (const l of located) {
      const identity: RunIdentity = { id: uniqueId(l.label, ids), label: l.label, kind: l.kind, source: l.source };
      entries.push(await openEntry(l, identity, options));
    }
  } catch (error) {
    await Promise.allSettled(entries.map((e) => e.close()));
    throw error;
  }
  return {
    get runs() {
      return entries.map((e) => e.run);
    },
    bundle: () => viewBundle(entries.map((e) => e.run)),
    async refresh() {
      const changes: ViewChange[] = [];
      const errors: Error[] = [];
      for (const e of entries) {
        try {
          changes.push(...(await e.refresh()));
        } catch (error) {
          errors.push(error instanceof Error ? error : new Error(String(error)));
        }
      }
      return { changes, errors };
    },
    async close() {
      const closed = await Promise.allSettled(entries.map((e) => e.close()));
      const failed = closed.find((c) => c.status === "rejected");
      if (failed !== undefined) throw failed.reason;
    },
  };
}

/** Opens what `paths` name, reads it once and closes it: the bundle `cje view --export` writes. */
export async function loadViewBundle(paths: readonly string[], options: ViewSourcesOptions = {}): Promise<ViewBundle> {
  const sources = await openViewSources(paths, options);
  try {
    return sources.bundle();
  } finally {
    await sources.close();
  }
}

/** A bundle of `runs`, stamped now with this version of CJE. */
export function viewBundle(runs: readonly ViewRun[]): ViewBundle {
  return { schema_version: VIEW_SCHEMA_VERSION, generated_at: new Date().toISOString(), cje_version: VERSION, runs: [...runs] };
}

interface Entry {
  readonly run: ViewRun;
  refresh(): Promise<ViewChange[]>;
  close(): Promise<void>;
}

async function openEntry(located: Located, identity: RunIdentity, options: ViewSourcesOptions): Promise<Entry> {
  switch (located.kind) {
    case "result":
      return staticEntry(await resultRun(identity, located.file));
    case "fresh_draws":
      return staticEntry(await freshDrawsRun(identity, located.input, options.analyze ?? {}));
    case "campaign":
      return CampaignEntry.open(identity, await (options.openStore ?? openCampaignStore)(located.store, { campaign: located.campaign, mode: "read" }));
  }
}

function staticEntry(run: ViewRun): Entry {
  return { run, refresh: async () => [], close: async () => {} };
}

/** A campaign and its store, open for reading while the viewer runs. */
class CampaignEntry implements Entry {
  private constructor(
    private readonly identity: RunIdentity,
    private readonly store: CampaignStore,
    public run: ViewRun,
    /** {@link analysisVersion} of the run's analysis. */
    private version: string,
  ) {}

  static async open(identity: RunIdentity, store: CampaignStore): Promise<CampaignEntry> {
    try {
      const status = await campaignStatus(store);
      return new CampaignEntry(identity, store, await campaignRun(identity, store, status), analysisVersion(status));
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  async refresh(): Promise<ViewChange[]> {
    try {
      return await this.read();
    } catch (error) {
      if (error instanceof CjeInputError) throw error; // it names the store
      throw new Error(`campaign ${this.identity.source}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async read(): Promise<ViewChange[]> {
    const status = await campaignStatus(this.store);
    const version = analysisVersion(status);
    if (version !== this.version) {
      this.run = await campaignRun(this.identity, this.store, status);
      this.version = version;
      return [{ event: "run", data: this.run }];
    }
    const progress = campaignProgress(this.identity.label, status);
    if (this.run.campaign !== null && sameProgress(progress, this.run.campaign)) return [];
    this.run = { ...this.run, campaign: progress };
    return [{ event: "progress", data: { run_id: this.identity.id, campaign: progress } }];
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** Equal but for the time they were read. */
function sameProgress(a: CampaignProgress, b: CampaignProgress): boolean {
  return JSON.stringify({ ...a, at: "" }) === JSON.stringify({ ...b, at: "" });
}

/** A URL-safe id from `label`, made unique among `taken` (which it joins). */
function uniqueId(label: string, taken: Set<string>): string {
  const base =
    label
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "run";
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  taken.add(id);
  return id;
}
