import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root, found from this file's location (packages/core/test/helpers). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

/** The team's shared reference folder (`../shared` next to the repo, or `CJE_SHARED_DIR`). */
export const sharedDir = process.env.CJE_SHARED_DIR ?? path.resolve(repoRoot, "../shared");

/** The real Chatbot Arena sample (read-only; never copied into the repo). */
export const arenaDir = path.join(sharedDir, "data", "arena_sample");

/** Golden vectors produced by the reference OPE implementation. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadOpeGolden(): any {
  return JSON.parse(readFileSync(path.join(sharedDir, "design", "golden", "ope-golden-vectors.json"), "utf8"));
}
