/**
 * Loading the model factory of a campaign's `ai-sdk` provider given by `module` and `factory`: the module is
 * resolved from the campaign's folder (where the user installed the provider package), the way Node resolves
 * an ESM import there (`exports` with the `import` / `node` / `default` conditions, else `module` / `main`),
 * or taken as a file relative to that folder; then imported, and its factory called with the options.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { LanguageModelFactory } from "@cjeval/ai-sdk";
import { CjeInputError } from "@cjeval/core";

const CONDITIONS = ["import", "node", "default"];

function conditional(target: unknown): string | undefined {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) {
    for (const entry of target) {
      const found = conditional(entry);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof target !== "object" || target === null) return undefined;
  for (const [condition, value] of Object.entries(target)) {
    if (!CONDITIONS.includes(condition)) continue;
    const found = conditional(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The file `subpath` (`.` or `./x`) of a package maps to, by its package.json. */
function packageEntry(manifest: { exports?: unknown; module?: unknown; main?: unknown }, subpath: string): string | undefined {
  const { exports } = manifest;
  if (exports !== undefined && exports !== null) {
    const bySubpath = typeof exports === "object" && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith("."));
    if (bySubpath) return conditional((exports as Record<string, unknown>)[subpath]);
    return subpath === "." ? conditional(exports) : undefined;
  }
  if (subpath !== ".") return subpath;
  return typeof manifest.module === "string" ? manifest.module : typeof manifest.main === "string" ? manifest.main : "index.js";
}

/** The URL of `specifier` imported from a file in `baseDir`; `undefined` when no package or file provides it. */
export function resolveModuleFrom(specifier: string, baseDir: string): URL | undefined {
  if (specifier.startsWith(".") || path.isAbsolute(specifier)) {
    const file = path.resolve(baseDir, specifier);
    return existsSync(file) ? pathToFileURL(file) : undefined;
  }
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  const subpath = specifier === name ? "." : `./${specifier.slice(name.length + 1)}`;
  for (let dir = path.resolve(baseDir); ; dir = path.dirname(dir)) {
    const root = path.join(dir, "node_modules", name);
    const manifestFile = path.join(root, "package.json");
    if (existsSync(manifestFile)) {
      const entry = packageEntry(JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, unknown>, subpath);
      return entry === undefined ? undefined : pathToFileURL(path.join(root, entry));
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Where the campaign names the module, for errors. */
export interface ModuleSource {
  readonly module: string;
  readonly factory: string;
  readonly options?: Readonly<Record<string, unknown>>;
  /** Provider name, for errors (`providers.<name>`). */
  readonly name: string;
}

/**
 * The model factory of an `ai-sdk` provider given by module: `module[factory]({ ...options, apiKey })`, which
 * must be an AI SDK provider (callable with a model id, or with `languageModel(modelId)`).
 *
 * @throws CjeInputError naming the field when the module cannot be found or loaded, or the factory is not a function.
 */
export async function loadModuleModelFactory(source: ModuleSource, baseDir: string, apiKey: string | undefined): Promise<LanguageModelFactory> {
  const field = `providers.${source.name}`;
  const url = resolveModuleFrom(source.module, baseDir);
  if (url === undefined) {
    throw new CjeInputError(`cannot find module '${source.module}' from ${baseDir}: install it there (npm install ${source.module})`, {
      field: `${field}.module`,
      value: source.module,
    });
  }
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(url.href)) as Record<string, unknown>;
  } catch (error) {
    throw new CjeInputError(`module '${source.module}' failed to load: ${(error as Error).message}`, { field: `${field}.module`, value: source.module });
  }
  const factory = loaded[source.factory];
  if (typeof factory !== "function") {
    const functions = Object.keys(loaded).filter((key) => typeof loaded[key] === "function" && /^create/.test(key));
    throw new CjeInputError(`module '${source.module}' has no function '${source.factory}'${functions.length > 0 ? ` (it has ${functions.join(", ")})` : ""}`, {
      field: `${field}.factory`,
      value: source.factory,
    });
  }
  const provider = (factory as (options: Record<string, unknown>) => unknown)({ ...source.options, ...(apiKey === undefined ? {} : { apiKey }) });
  if (typeof provider === "function") return provider as LanguageModelFactory;
  const languageModel = (provider as { languageModel?: unknown } | null)?.languageModel;
  if (typeof languageModel === "function") return (modelId) => (languageModel as LanguageModelFactory).call(provider, modelId);
  throw new CjeInputError(
    `${source.module}.${source.factory}(options) did not return an AI SDK provider (a function of the model id, or one with languageModel())`,
    {
      field: `${field}.factory`,
      value: source.factory,
    },
  );
}
