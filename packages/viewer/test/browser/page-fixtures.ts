/**
 * What the page tests share: the built page, view bundles made in Node the way the Node side makes them (core's
 * `loadEvaluationData` + `buildRun`), a site folder (the page next to its `view-data.js`) and headless Chromium
 * (Debian's, installed by scripts/install-browser.sh).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { evaluationDataFromRecords } from "@cjeval/core";
import { simulateWorld } from "@cjeval/core/advanced";
import { loadEvaluationData, loadTransportProbes } from "@cjeval/core/node";
import type { Browser, Page } from "playwright-core";
import { buildRun, type CampaignProgress, VIEW_SCHEMA_VERSION, type ViewBundle, type ViewRun } from "../../src/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../../..");

/** The built page (`npm run build`). */
export const PAGE = path.resolve(here, "../../dist/app/index.html");
/** Where the tests save screenshots (gitignored). */
export const ARTIFACTS = path.resolve(here, "../../test-artifacts");
/** The Arena sample (`../shared` next to the repository, or `CJE_SHARED_DIR`). */
export const ARENA = path.join(process.env.CJE_SHARED_DIR ?? path.resolve(repoRoot, "../shared"), "data", "arena_sample");
/** The Arena fresh draws. */
export const ARENA_DRAWS = path.join(ARENA, "fresh_draws");
/** Policies of the Arena sample with held-out transport probes. */
export const PROBED = ["clone", "parallel_universe_prompt", "unhelpful"] as const;

/** The Arena run as `cje view` builds it for the fresh-draws folder, with transport audits on the probe slice. */
export async function arenaRun(): Promise<ViewRun> {
  const data = await loadEvaluationData([ARENA_DRAWS]);
  const files = Object.fromEntries(PROBED.map((p) => [p, path.join(ARENA, "probe_slice", `${p}_probe.jsonl`)]));
  const probes = await loadTransportProbes(files, data);
  return buildRun({ id: "arena", label: "arena", kind: "fresh_draws", source: ARENA_DRAWS }, data, { transport: { probes, deltaMax: 0.05 } });
}

/** A second Arena run ("after"): only the first half of the prompts, so its estimates differ. */
export async function arenaHalfRun(): Promise<ViewRun> {
  const data = await loadEvaluationData([ARENA_DRAWS]);
  const prompts = new Set([...new Set(data.draws.map((d) => d.promptId))].slice(0, 500));
  const records = data.draws
    .filter((d) => prompts.has(d.promptId))
    .map((d) => ({
      policy: d.policy,
      prompt_id: d.promptId,
      judge_score: d.judgeScore,
      ...(d.oracleLabel === null ? {} : { oracle_label: d.oracleLabel }),
      ...(d.prompt === undefined ? {} : { prompt: d.prompt }),
      ...(d.response === undefined ? {} : { response: d.response }),
    }));
  return buildRun({ id: "arena-half", label: "arena (first 500 prompts)", kind: "fresh_draws", source: "half" }, evaluationDataFromRecords(records));
}

/** A campaign run that has no result yet. */
export function campaignRun(campaign: CampaignProgress): ViewRun {
  return {
    id: "campaign",
    label: "demo campaign",
    kind: "campaign",
    source: "campaign.yaml",
    result: null,
    calibration: null,
    rows: null,
    campaign,
    notes: [],
  };
}

/** A campaign's progress: generate done, judge under way. */
export function progress(judgeDone: number): CampaignProgress {
  return {
    name: "demo",
    at: "2025-01-01T12:00:00.000Z",
    running: true,
    cost_usd: 0.5 + judgeDone / 1000,
    stages: [
      { stage: "generate", done: 400, failed: 2, pending: 0, per_second: 0, cost_usd: 0.5 },
      { stage: "judge", done: judgeDone, failed: 0, pending: 400 - judgeDone, per_second: 3.5, cost_usd: judgeDone / 1000 },
    ],
  };
}

/** A synthetic run of `prompts` × 4 policies (100k rows at 25 000 prompts). */
export function syntheticRun(prompts: number): ViewRun {
  const policies = [
    { name: "base", shift: 0 },
    { name: "a", shift: 0.2 },
    { name: "b", shift: -0.1 },
    { name: "c", shift: 0.1 },
  ];
  const world = simulateWorld({ policies, prompts, oracleShare: 0.1, seed: 7 });
  return buildRun({ id: "synthetic", label: "synthetic", kind: "fresh_draws", source: "simulated" }, evaluationDataFromRecords(world.records));
}

/** A bundle of `runs`. */
export function bundleOf(runs: ViewRun[]): ViewBundle {
  return { schema_version: VIEW_SCHEMA_VERSION, generated_at: "2025-01-01T12:00:00.000Z", cje_version: "test", runs };
}

/**
 * A fresh folder holding the page and, unless `viewData` is null, its `view-data.js` with `viewData` as its text.
 * Returns the folder.
 */
export function site(viewData: string | null): string {
  if (!existsSync(PAGE)) throw new Error(`${PAGE} is missing: run npm run build in packages/viewer`);
  const dir = mkdtempSync(path.join(tmpdir(), "cje-view-"));
  copyFileSync(PAGE, path.join(dir, "index.html"));
  if (viewData !== null) writeFileSync(path.join(dir, "view-data.js"), viewData);
  return dir;
}

/** The `view-data.js` of an exported site. */
export function embedded(bundle: unknown): string {
  return `globalThis.__CJE_VIEW__ = ${JSON.stringify(bundle)};\n`;
}

/** The `file://` address of `dir`'s page with `hash`. */
export function pageUrl(dir: string, hash = ""): string {
  return `${pathToFileURL(path.join(dir, "index.html")).href}${hash}`;
}

/** A page of `browser` at `width` px that records uncaught errors in `errors`. */
export async function openPage(browser: Browser, width: number, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on("pageerror", (error) => errors.push(error.message));
  return page;
}

/** Saves a full-page screenshot as `<name>.png` under {@link ARTIFACTS}. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** `x` as the page prints it: `digits` decimals and a true minus sign. */
export function shown(x: number | null, digits = 3): string {
  if (x === null) return "–";
  const text = x.toFixed(digits);
  return text.startsWith("-") ? `−${text.slice(1)}` : text;
}

/** An interval as the page prints it. */
export function shownInterval(ci: readonly [number | null, number | null], digits = 3): string {
  return `[${shown(ci[0], digits)}, ${shown(ci[1], digits)}]`;
}
