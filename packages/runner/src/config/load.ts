/**
 * Loading a campaign: `cje.config.ts` / `.mts` / `.js` (through jiti, since Node 20 cannot load
 * TypeScript itself), `.json`, `.yaml` / `.yml`; validation with the zod schema; relative paths resolved
 * against the campaign file's folder.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CjeInputError } from "@cjeval/core";
import { createJiti } from "jiti";
import type { z } from "zod";
import { readStructuredFile, type JsonPath } from "@cjeval/importers";
import { isPostgresUrl } from "../store/open-store.js";
import { CampaignSchema, DEPRECATED_JUDGE_FIELDS, type Campaign } from "./schema.js";

/** Files a campaign writes. */
export interface CampaignPaths {
  readonly dir: string;
  /** The store: a SQLite file, or a PostgreSQL URL (from the campaign's `store`; it may hold a password). */
  readonly store: string;
  readonly html: string;
  readonly json: string;
  readonly draws: string;
  /** Folder of the transport probes (`<policy>_probe.jsonl`). */
  readonly probes: string;
  /** The logging policy's rows with their log-probs (off-policy data). */
  readonly logged: string;
}

/** A validated campaign with absolute paths. */
export interface ResolvedCampaign {
  readonly config: Campaign;
  /** Folder relative paths are resolved against. */
  readonly baseDir: string;
  /** The campaign file, or `in-memory`. */
  readonly source: string;
  readonly paths: CampaignPaths;
}

/** Options of {@link resolveCampaign}. */
export interface ResolveOptions {
  /** Folder relative paths are resolved against (default: the working directory). */
  readonly baseDir?: string;
  /** Name of the campaign's source in error messages (default `in-memory`). */
  readonly source?: string;
  /** Locates a field in the source, for error messages. */
  readonly lineOf?: (path: JsonPath) => number | undefined;
  /**
   * Receives warnings about a campaign that still loads, such as a field under its deprecated name
   * (default: `process.emitWarning` as a `DeprecationWarning`, printed on stderr).
   */
  readonly onWarning?: (message: string) => void;
}

/** Code of the `DeprecationWarning` for a campaign field under its former name. */
export const DEPRECATED_FIELD_WARNING = "CJE_DEPRECATED_FIELD";

/** Names of the campaign files the CLI looks for, in order, when none is given. */
export const DEFAULT_CAMPAIGN_FILES = [
  "cje.config.ts",
  "cje.config.mts",
  "cje.config.js",
  "cje.config.mjs",
  "cje.config.json",
  "cje.config.yaml",
  "cje.config.yml",
] as const;

/** Validates a campaign object and resolves its paths; the first problem is a {@link CjeInputError}. */
export function resolveCampaign(input: unknown, options: ResolveOptions = {}): ResolvedCampaign {
  const source = options.source ?? "in-memory";
  const parsed = CampaignSchema.safeParse(input);
  if (!parsed.success) throw issueError(parsed.error.issues[0], input, source, options.lineOf);
  const config = parsed.data;
  const warn = options.onWarning ?? ((message: string) => process.emitWarning(message, { type: "DeprecationWarning", code: DEPRECATED_FIELD_WARNING }));
  for (const message of deprecationWarnings(input, source, options.lineOf)) warn(message);
  const baseDir = path.resolve(options.baseDir ?? process.cwd());
  const outputs = config.outputs ?? {};
  const dir = path.resolve(baseDir, outputs.dir ?? path.join(".cje", config.name));
  const inDir = (value: string | undefined, fallback: string) => (value === undefined ? path.join(dir, fallback) : path.resolve(baseDir, value));
  return {
    config,
    baseDir,
    source,
    paths: {
      dir,
      store: storeLocation(config, baseDir, source) ?? inDir(outputs.store, "campaign.sqlite"),
      html: inDir(outputs.html, "report.html"),
      json: inDir(outputs.json, "results.json"),
      draws: inDir(outputs.draws, "fresh_draws"),
      probes: inDir(outputs.probes, "probes"),
      logged: inDir(outputs.logged, "logged_data.jsonl"),
    },
  };
}

/** The location in the campaign's `store` setting, if it has one: a URL as given, a file resolved. */
function storeLocation(config: Campaign, baseDir: string, source: string): string | undefined {
  const store = config.store;
  if (store === undefined) return undefined;
  let url = store.url;
  if (store.urlEnv !== undefined) {
    url = process.env[store.urlEnv];
    if (url === undefined || url === "") {
      throw new CjeInputError(`environment variable ${store.urlEnv} (the campaign's store URL) is not set`, { file: source, field: "store.urlEnv" });
    }
  }
  return url === undefined || isPostgresUrl(url) ? url : path.resolve(baseDir, url);
}

/** Loads and validates a campaign file. */
export async function loadCampaign(file: string): Promise<ResolvedCampaign> {
  const absolute = path.resolve(file);
  const baseDir = path.dirname(absolute);
  if (/\.(json|ya?ml)$/i.test(file)) {
    const doc = await readStructuredFile(file);
    return resolveCampaign(doc.value, { baseDir, source: file, lineOf: doc.lineOf });
  }
  if (!/\.(c|m)?(t|j)s$/i.test(file)) {
    throw new CjeInputError("unknown campaign file type (use .ts, .js, .json, .yaml or .yml)", { file });
  }
  return resolveCampaign(await importModule(absolute, file), { baseDir, source: file });
}

/** The default export of a TypeScript or JavaScript campaign module. */
async function importModule(absolute: string, file: string): Promise<unknown> {
  const jiti = createJiti(import.meta.url, {
    fsCache: false,
    moduleCache: false,
    interopDefault: false,
    // The starter imports defineCampaign from @cjeval/runner: resolve it to this package wherever the file lives.
    alias: { "@cjeval/runner": fileURLToPath(new URL("../index.js", import.meta.url)) },
  });
  try {
    const module = await jiti.import<Record<string, unknown>>(absolute);
    if (module?.default === undefined) throw new CjeInputError("the module has no default export (export default defineCampaign({ ... }))", { file });
    return module.default;
  } catch (error) {
    if (error instanceof CjeInputError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || /Cannot find module/.test(String(error))) {
      throw new CjeInputError(`cannot load campaign module: ${(error as Error).message}`, { file });
    }
    throw new CjeInputError(`campaign module failed to load: ${(error as Error).message}`, { file });
  }
}

/** One message per field of `input` given under a deprecated name (see {@link DEPRECATED_JUDGE_FIELDS}). */
function deprecationWarnings(input: unknown, source: string, lineOf: ResolveOptions["lineOf"]): string[] {
  const messages: string[] = [];
  for (const section of ["judge", "oracle"] as const) {
    const fields = valueAt(input, [section]);
    if (typeof fields !== "object" || fields === null) continue;
    for (const [old, current] of Object.entries(DEPRECATED_JUDGE_FIELDS)) {
      if (!(old in fields)) continue;
      const line = lineOf?.([section, old]);
      const where = line === undefined ? source : `${source}:${line}`;
      messages.push(
        `${where}: '${section}.${old}' is deprecated and will be removed: rename it '${section}.${current}' (it is read as '${section}.${current}' for now)`,
      );
    }
  }
  return messages;
}

function issueError(issue: z.core.$ZodIssue, input: unknown, file: string, lineOf: ResolveOptions["lineOf"]): CjeInputError {
  const keys = issue.path.filter((k): k is string | number => typeof k !== "symbol");
  const line = lineOf?.(keys);
  return new CjeInputError(issue.message, {
    file,
    ...(line === undefined ? {} : { line }),
    ...(keys.length > 0 ? { field: keys.join(".") } : {}),
    value: valueAt(input, keys),
  });
}

function valueAt(root: unknown, keys: readonly (string | number)[]): unknown {
  let value = root;
  for (const key of keys) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}
