import { readdir, readlink, stat } from "node:fs/promises";
import path from "node:path";
import { CjeInputError } from "../errors/input-error.js";
import { type DrawSourceLayout, drawFileLayout, isReservedPolicy, POLICY_FILE_PATTERNS, policyFromStem } from "./policy-files.js";

const POLICY_SUBFOLDERS: ReadonlySet<string> = new Set(["responses", "fresh_draws"]);

/**
 * One fresh-draw file to read and how its rows map to policies: files found in a folder are `per-policy`;
 * an explicitly given file is laid out by its name ({@link drawFileLayout}: `per-policy` for
 * `<policy>_responses.jsonl`, else `by-content`).
 */
export type DrawFileSource = { readonly file: string } & DrawSourceLayout;

/** Result of {@link discoverDrawFiles}. */
export interface Discovery {
  readonly sources: DrawFileSource[];
  readonly warnings: string[];
}

/**
 * Turns the user's inputs (folders and files, in order) into fresh-draw files. In a folder every
 * `*.jsonl` file and every `*.jsonl` in its `responses/` and `fresh_draws/` subfolders becomes a
 * policy named by its stem without a trailing `_responses`; files sorted by policy. Reserved
 * stems are skipped with a warning and `exclude` (the calibration file) is skipped silently.
 *
 * A dangling symbolic link among them (`<policy>.jsonl` pointing at nothing) is an error naming the link and
 * its target — it would otherwise silently remove a policy. With `onInvalid: "drop"` it is skipped and
 * counted in a warning instead.
 */
export async function discoverDrawFiles(
  inputs: readonly string[],
  exclude: readonly string[] = [],
  options: { readonly onInvalid?: "error" | "drop" } = {},
): Promise<Discovery> {
  if (inputs.length === 0) throw new CjeInputError("no fresh-draw input given (expected folders or JSONL files)");
  const excluded = new Set(exclude.map((file) => path.resolve(file)));
  const sources: DrawFileSource[] = [];
  const warnings: string[] = [];
  for (const input of inputs) {
    const kind = await pathKind(input);
    if (kind === "missing") throw new CjeInputError("fresh-draw input not found", { file: input });
    if (kind === "folder") {
      sources.push(...(await scanFolder(input, excluded, warnings, options.onInvalid ?? "error")));
    } else if (excluded.has(path.resolve(input))) {
      throw new CjeInputError("given both as fresh draws and as the calibration file", { file: input });
    } else {
      sources.push(explicitFile(input));
    }
  }
  const seen = new Map<string, string>();
  for (const { file } of sources) {
    const known = seen.get(path.resolve(file));
    if (known !== undefined) throw new CjeInputError(`the same file is given twice (also as ${known})`, { file });
    seen.set(path.resolve(file), file);
  }
  return { sources, warnings };
}

function explicitFile(file: string): DrawFileSource {
  return { file, ...drawFileLayout(path.basename(file)) };
}

async function scanFolder(dir: string, excluded: ReadonlySet<string>, warnings: string[], onInvalid: "error" | "drop"): Promise<DrawFileSource[]> {
  const found: { file: string; layout: "per-policy"; policy: string }[] = [];
  const skipped: string[] = [];
  const dangling: string[] = [];
  const consider = async (file: string): Promise<void> => {
    if (excluded.has(path.resolve(file))) return;
    const kind = await pathKind(file);
    if (kind === "missing") {
      // readdir listed it, so it exists as a name: a symbolic link whose target is missing.
      const target = await readlink(file).catch(() => "?");
      if (onInvalid === "error") {
        throw new CjeInputError(
          `dangling symbolic link (its target ${target} does not exist): policy '${policyFromStem(path.basename(file, ".jsonl"))}' would be ` +
            "silently missing; fix or remove the link, or pass --on-invalid drop to skip it",
          { file },
        );
      }
      dangling.push(`${file} → ${target}`);
      return;
    }
    if (kind !== "file") return;
    const policy = policyFromStem(path.basename(file, ".jsonl"));
    if (isReservedPolicy(policy)) {
      skipped.push(file);
      warnings.push(`skipped ${file}: '${policy}' is a reserved name, not a policy (pass it with --calibration if it holds calibration labels)`);
      return;
    }
    found.push({ file, layout: "per-policy", policy });
  };
  for (const name of (await readdir(dir)).sort()) {
    const entry = path.join(dir, name);
    if (name.endsWith(".jsonl")) {
      await consider(entry);
    } else if (POLICY_SUBFOLDERS.has(name) && (await pathKind(entry)) === "folder") {
      for (const inner of (await readdir(entry)).sort()) {
        if (inner.endsWith(".jsonl")) await consider(path.join(entry, inner));
      }
    }
  }
  if (dangling.length > 0) {
    warnings.push(`skipped ${dangling.length} dangling symbolic link${dangling.length === 1 ? "" : "s"} (onInvalid: "drop"): ${dangling.join(", ")}`);
  }
  if (found.length === 0) {
    const also = skipped.length > 0 ? ` (skipped reserved: ${skipped.join(", ")})` : "";
    throw new CjeInputError(`no fresh-draw files found; expected ${POLICY_FILE_PATTERNS.join(", ")}${also}`, { file: dir });
  }
  return found.sort((a, b) => compare(a.policy, b.policy) || compare(a.file, b.file));
}

async function pathKind(target: string): Promise<"file" | "folder" | "missing" | "other"> {
  try {
    const info = await stat(target);
    return info.isFile() ? "file" : info.isDirectory() ? "folder" : "other";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw new CjeInputError(`cannot read (${(error as Error).message})`, { file: target });
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
