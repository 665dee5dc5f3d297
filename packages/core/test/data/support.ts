import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { CjeInputError } from "../../src/errors/input-error.js";

/** Folder holding the committed data fixtures. */
export const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/data");

/** Values computed by `fixtures/data/make_python_reference.py`. */
export const pythonReference = JSON.parse(readFileSync(path.join(fixturesDir, "python-reference.json"), "utf8")) as {
  wordCounts: { text: string; count: number }[];
  promptIds: { prompt: string; id: string }[];
  arena: {
    policies: Record<
      string,
      {
        n: number;
        nLabelled: number;
        nPrompts: number;
        meanJudge: number;
        meanOracle: number | null;
        meanWords: number;
        firstPromptId: string;
      }
    >;
    calibration: {
      nLabelled: number;
      nUnlabelled: number;
      meanJudge: number;
      meanOracle: number;
      meanBaseLogprob: number;
      firstPromptId: string;
    };
  };
};

/** The Python reference id for `prompt`. */
export function referencePromptId(prompt: string): string {
  const hit = pythonReference.promptIds.find((entry) => entry.prompt === prompt);
  if (hit === undefined) throw new Error(`no Python reference id for ${JSON.stringify(prompt)}`);
  return hit.id;
}

const trees: string[] = [];

/**
 * Writes `files` (relative path → content) under a fresh temporary folder and returns its path.
 * An array value is written as JSONL: objects are stringified, strings are written verbatim.
 */
export function writeTree(files: Record<string, string | unknown[]>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "cje-data-"));
  trees.push(root);
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(root, name);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, Array.isArray(content) ? jsonl(content) : content);
  }
  return root;
}

/** Removes every folder made by {@link writeTree}. */
export function removeTrees(): void {
  for (const root of trees.splice(0)) rmSync(root, { recursive: true, force: true });
}

/** JSONL text: one line per entry, objects stringified and strings verbatim. */
export function jsonl(rows: readonly unknown[]): string {
  return `${rows.map((row) => (typeof row === "string" ? row : JSON.stringify(row))).join("\n")}\n`;
}

/** Runs `action`, expects it to fail with a `CjeInputError`, and returns that error. */
export async function inputError(action: () => unknown): Promise<CjeInputError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(CjeInputError);
    return error as CjeInputError;
  }
  throw new Error("expected a CjeInputError, but the action succeeded");
}

/** Mean of an array of numbers. */
export function mean(values: readonly number[]): number {
  return values.reduce((sum, x) => sum + x, 0) / values.length;
}
