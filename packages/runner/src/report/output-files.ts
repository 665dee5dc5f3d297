/**
 * Writing a campaign's output files. Every file is written atomically (`writeFileAtomic` of @cjeval/provider-utils:
 * a temporary file, synced, then renamed over the target), so a reader — or a run killed half way — sees
 * the old file or the new one, never half of one. A kill between the write and the rename leaves the
 * temporary file behind; the next write of the same output removes those of processes no longer alive.
 *
 * Result files: `results.json` holds the Direct analysis (the `cje analyze` contract); each off-policy
 * estimator's analysis goes next to it as `results.<estimator>.json`.
 */
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import type { AnalysisResult } from "@cjeval/core";
import { writeFileAtomic, writeJsonAtomic } from "@cjeval/provider-utils";
import type { OffPolicyResult } from "../stages/off-policy.js";

/** Where the analysis of `estimator` goes, next to the Direct `json` file: `results.json` → `results.<estimator>.json`. */
export function estimatorResultPath(json: string, estimator: string): string {
  const ext = path.extname(json);
  return path.join(path.dirname(json), `${path.basename(json, ext)}.${estimator}${ext || ".json"}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the temporary files `writeFileAtomic` left next to `file` (`<file>.<pid>.<hex>.tmp`) when their
 * process is gone (killed between writing and renaming). Those of live processes are kept.
 */
export async function removeStaleTemps(file: string): Promise<string[]> {
  const dir = path.dirname(path.resolve(file));
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const pattern = new RegExp(`^${escapeRegExp(path.basename(file))}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  const removed: string[] = [];
  for (const entry of entries) {
    const match = pattern.exec(entry);
    if (match === null || isAlive(Number(match[1]))) continue;
    await rm(path.join(dir, entry), { force: true });
    removed.push(entry);
  }
  return removed;
}

/** Writes an output file atomically, clearing stale temporary files of earlier, killed writes first. */
export async function writeOutputFile(file: string, contents: string): Promise<void> {
  await removeStaleTemps(file);
  await writeFileAtomic(file, contents);
}

/** Writes a JSON output atomically (pretty-printed), clearing stale temporary files first. */
export async function writeJsonOutput(file: string, value: unknown): Promise<void> {
  await removeStaleTemps(file);
  await writeJsonAtomic(file, value);
}

/**
 * Writes the analyses: each off-policy estimator's to `results.<estimator>.json`, then the Direct one to
 * `json`. Resolves to the off-policy files written, by estimator.
 */
export async function writeResultFiles(json: string, direct: AnalysisResult, offPolicy: readonly OffPolicyResult[]): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const { estimator, analysis } of offPolicy) {
    files[estimator] = estimatorResultPath(json, estimator);
    await writeJsonOutput(files[estimator], analysis);
  }
  await writeJsonOutput(json, direct);
  return files;
}
