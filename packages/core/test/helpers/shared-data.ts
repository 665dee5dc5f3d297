import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root, found from this file's location (packages/core/test/helpers). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

/** The team's shared reference folder (`../shared` next to the repo, or `CJE_SHARED_DIR`). */
export const sharedDir = process.env.CJE_SHARED_DIR ?? path.resolve(repoRoot, "../shared");

/** The real Chatbot Arena sample (read-only; never copied into the repo). */
export const arenaDir = path.join(sharedDir, "data", "arena_sample");

/** The rows of a JSONL file of the Arena sample (`file` relative to {@link arenaDir}), parsed, blank lines skipped. */
export function readArenaRows(file: string): Record<string, unknown>[] {
  return readFileSync(path.join(arenaDir, file), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The parts of `design/golden/ope-golden-vectors.json` the tests read (each entry also records its `call`). */
export interface OpeGolden {
  simcal_fit_transform: {
    s: number[];
    w: number[];
    r: number[];
    folds: number[];
    mixture: [number, number];
    gamma: number;
    w_cal: number[];
    var_before: number;
    var_after: number;
  };
  hill_and_ess: { w: number[]; hill: number; ess: number };
  ttc: { base: number[]; target: number[]; tokens: number[]; ttc_tok: number; ttc_total: number };
  bhattacharyya: { S: number[]; W: number[]; bc_weights: number; hellinger: number };
  sklearn_isotonic_semantics: { X: number[]; Y: number[]; Xq: number[]; pred: number[]; thr_x: number[]; thr_y: number[] };
  tmle_fluctuation: { g0: number[]; R: number[]; h: number[]; eps_logit: number; iters: number; eps_identity: number };
  cluster_robust_se: { phi: number[]; clusters: number[]; se: number; df: number; naive: number };
  oracle_jackknife_variance: { jack: number[]; var: number };
}

/** Golden vectors produced by the reference OPE implementation. */
export function loadOpeGolden(): OpeGolden {
  return JSON.parse(readFileSync(path.join(sharedDir, "design", "golden", "ope-golden-vectors.json"), "utf8")) as OpeGolden;
}
