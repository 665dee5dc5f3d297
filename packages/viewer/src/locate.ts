/**
 * What each path given to `cje view` is: a campaign (its folder, its campaign file or its `.sqlite` store),
 * a folder holding campaign folders (such as `.cje/`), a result JSON file, or fresh draws (a folder of JSONL
 * files, or one file). Anything else is an error naming the path and what is accepted.
 */
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { CjeInputError } from "@cjeval/core";
import { discoverDrawFiles } from "@cjeval/core/node";
import { redactUrl } from "@cjeval/provider-utils";
import { DEFAULT_CAMPAIGN_FILES, findCampaignStore, isPostgresUrl, loadCampaign } from "@cjeval/runner";

/** Folder under which the runner writes each campaign's outputs (`.cje/<name>`), and `cje view` looks by default. */
export const CAMPAIGNS_DIR = ".cje";

/** The store's file name in a campaign's outputs folder. */
export const CAMPAIGN_STORE_FILE = "campaign.sqlite";

/** What `cje view` accepts, for messages. */
export const ACCEPTED_PATHS =
  "a campaign folder (holding campaign.sqlite or a cje.config.* file), a campaign's .sqlite store, a folder of campaign folders (.cje), " +
  "a result JSON file (cje analyze --out), or fresh draws (a folder of <policy>_responses.jsonl files, or one .jsonl file)";

/** A path resolved to one thing to show. */
export type Located =
  | { readonly kind: "campaign"; readonly label: string; readonly source: string; readonly store: string; readonly campaign: string }
  | { readonly kind: "result"; readonly label: string; readonly source: string; readonly file: string }
  | { readonly kind: "fresh_draws"; readonly label: string; readonly source: string; readonly input: string };

/** Folder names too generic to name a run on their own: the parent's name is put before them. */
const GENERIC_NAMES = new Set(["fresh_draws", "responses", "draws", "data"]);

/** Resolves every path (relative to `cwd`), in order; a path given twice is an error. */
export async function locatePaths(paths: readonly string[], cwd: string): Promise<Located[]> {
  const out: Located[] = [];
  const seen = new Map<string, string>();
  for (const given of paths) {
    for (const located of await locatePath(given, cwd)) {
      const key = identityOf(located, cwd);
      const earlier = seen.get(key);
      if (earlier !== undefined) throw new CjeInputError(`shown twice (also given as ${earlier})`, { file: located.source });
      seen.set(key, located.source);
      out.push(located);
    }
  }
  return out;
}

/**
 * What `cje view` shows without paths: the campaign of the campaign file in `cwd` when its store exists,
 * and every campaign folder under `cwd/.cje`.
 */
export async function locateDefault(cwd: string): Promise<Located[]> {
  const out: Located[] = [];
  const file = campaignFileIn(cwd);
  if (file !== undefined) {
    // A campaign not run yet (no store) has nothing to show.
    const { config, paths } = await loadCampaign(file);
    if (isPostgresUrl(paths.store) || existsSync(paths.store)) out.push(campaignOf(paths.store, config.name, relative(cwd, file), config.name));
  }
  const dir = path.join(cwd, CAMPAIGNS_DIR);
  if (existsSync(dir)) out.push(...(await campaignFolders(dir, CAMPAIGNS_DIR)));
  const seen = new Set<string>();
  return out.filter((l) => {
    const key = identityOf(l, cwd);
    if (seen.has(key)) return false; // the campaign file's store is one of the .cje folders
    seen.add(key);
    return true;
  });
}

async function locatePath(given: string, cwd: string): Promise<Located[]> {
  if (isPostgresUrl(given)) {
    throw new CjeInputError("a PostgreSQL store is shown through its campaign: give the campaign file (or its folder) whose store it is", {
      file: redactUrl(given),
    });
  }
  const absolute = path.resolve(cwd, given);
  let kind: "folder" | "file";
  try {
    kind = (await stat(absolute)).isDirectory() ? "folder" : "file";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CjeInputError(code === "ENOENT" ? "no such file or folder" : `cannot read it (${code ?? String(error)})`, { file: given });
  }
  if (kind === "folder") {
    if (existsSync(path.join(absolute, CAMPAIGN_STORE_FILE))) {
      return [campaignOf(path.join(absolute, CAMPAIGN_STORE_FILE), "", given, path.basename(absolute))];
    }
    const file = campaignFileIn(absolute);
    if (file !== undefined) return [await campaignOfFile(file, given)];
    const nested = await campaignFolders(absolute, given);
    if (nested.length > 0) return nested;
    if (!(await holdsJsonl(absolute))) throw new CjeInputError(`nothing to show in this folder: expected ${ACCEPTED_PATHS}`, { file: given });
    // Core's discovery names what is wrong with a folder of fresh draws (a dangling link, reserved names only).
    await discoverDrawFiles([absolute]);
    return [{ kind: "fresh_draws", label: labelOf(absolute), source: given, input: absolute }];
  }
  const base = path.basename(absolute);
  if (/\.(sqlite|db)$/i.test(base)) {
    const label = base.toLowerCase() === CAMPAIGN_STORE_FILE ? path.basename(path.dirname(absolute)) : base.replace(/\.(sqlite|db)$/i, "");
    return [campaignOf(absolute, "", given, label)];
  }
  if ((DEFAULT_CAMPAIGN_FILES as readonly string[]).includes(base) || /\.(m?ts|m?js|ya?ml)$/i.test(base)) return [await campaignOfFile(absolute, given)];
  if (/\.json$/i.test(base)) return [{ kind: "result", label: base, source: given, file: absolute }];
  if (/\.jsonl$/i.test(base)) return [{ kind: "fresh_draws", label: base, source: given, input: absolute }];
  throw new CjeInputError(`cje view does not know this kind of file: expected ${ACCEPTED_PATHS}`, { file: given });
}

/** Whether `dir` holds JSONL files, directly or in the subfolders core reads fresh draws from (`responses/`, `fresh_draws/`). */
async function holdsJsonl(dir: string): Promise<boolean> {
  for (const folder of [dir, path.join(dir, "responses"), path.join(dir, "fresh_draws")]) {
    const names = await readdir(folder).catch(() => [] as string[]);
    if (names.some((name) => name.toLowerCase().endsWith(".jsonl"))) return true;
  }
  return false;
}

/** The first of the runner's campaign file names present in `dir`. */
function campaignFileIn(dir: string): string | undefined {
  return DEFAULT_CAMPAIGN_FILES.map((name) => path.join(dir, name)).find((file) => existsSync(file));
}

/** The campaign of a campaign file: its store as the runner finds it (an error when it has not run yet). */
async function campaignOfFile(file: string, given: string): Promise<Located> {
  const found = await findCampaignStore(file);
  return campaignOf(found.location, found.campaign, given, found.campaign);
}

/** Every subfolder of `dir` holding a campaign store, sorted by name. */
async function campaignFolders(dir: string, shownAs: string): Promise<Located[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, CAMPAIGN_STORE_FILE)))
    .map((e) => e.name)
    .sort()
    .map((name) => campaignOf(path.join(dir, name, CAMPAIGN_STORE_FILE), "", path.join(shownAs, name), name));
}

function campaignOf(store: string, campaign: string, source: string, label: string): Located {
  return { kind: "campaign", label: label === "" ? "campaign" : label, source, store, campaign };
}

/** What makes two located things the same: a campaign's store, a file or folder's absolute path. */
function identityOf(located: Located, cwd: string): string {
  if (located.kind === "campaign") return isPostgresUrl(located.store) ? `${located.store}#${located.campaign}` : path.resolve(cwd, located.store);
  return path.resolve(cwd, located.kind === "result" ? located.file : located.input);
}

/** A folder's name, with its parent's before a generic one (`arena_sample/fresh_draws`). */
function labelOf(folder: string): string {
  const name = path.basename(folder);
  return GENERIC_NAMES.has(name.toLowerCase()) ? `${path.basename(path.dirname(folder))}/${name}` : name;
}

function relative(cwd: string, file: string): string {
  return path.relative(cwd, file) || file;
}
