/**
 * The project's one fold-assignment module: seeded, balanced round-robin over prompt clusters
 * (method-direct §2.3.1 step 5). Every cross-fitted computation — calibration, OOF residuals, the
 * OUA jackknife, the off-policy estimators — takes its folds from here.
 */
import { blake2b } from "./blake2b.js";
import { CjeInputError } from "../errors/input-error.js";

/** Default seed for fold assignment (the reference's default). */
export const DEFAULT_FOLD_SEED = 42;
/** Default number of calibration folds requested. */
export const DEFAULT_N_FOLDS = 5;
/** Minimum number of distinct labelled prompt clusters for cross-fitted calibration. */
export const MIN_LABELLED_CLUSTERS = 4;

const encoder = new TextEncoder();
/** UTF-8 scratch for the key text, grown on demand (UTF-8 takes at most 3 bytes per UTF-16 unit). */
let utf8 = new Uint8Array(256);

/** BLAKE2b-128 of UTF-8 `"{id}-{seed}"`, the fold key of one prompt id. */
function foldKey(id: string, seed: number): Uint8Array {
  const text = `${id}-${seed}`;
  if (utf8.length < 3 * text.length) utf8 = new Uint8Array(3 * text.length);
  const { written } = encoder.encodeInto(text, utf8);
  return blake2b(utf8.subarray(0, written), 16);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return 0;
}

/** Big-endian integer value of `bytes` modulo `k` (exact, without BigInt). */
function bytesModulo(bytes: Uint8Array, k: number): number {
  let r = 0;
  for (const byte of bytes) r = (r * 256 + byte) % k;
  return r;
}

/** Code-point order, as Python sorts strings (differs from UTF-16 order only for astral characters). */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done || cb.done) return (ca.done ? 0 : 1) - (cb.done ? 0 : 1);
    const d = (ca.value.codePointAt(0) ?? 0) - (cb.value.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
}

/**
 * Assigns a fold in `[0, k)` to every id.
 *
 * The distinct ids of `balancing` (default: all of `ids`) are ordered by their BLAKE2b-128 key
 * (bytes, then id in code-point order), and the r-th gets fold `r mod k`, so fold sizes differ by at
 * most one cluster. Any other id gets `key mod k`. Equal ids always share a fold.
 */
export function assignFolds(ids: readonly string[], k: number, seed: number = DEFAULT_FOLD_SEED, balancing: readonly string[] = ids): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`fold count must be an integer ≥ 2, got ${k}`);
  // (key, id) orders distinct ids totally: the order they arrive in does not matter.
  const keyed = Array.from(new Set(balancing), (id) => ({ id, key: foldKey(id, seed) }));
  keyed.sort((a, b) => compareBytes(a.key, b.key) || compareCodePoints(a.id, b.id));
  const foldOf = new Map<string, number>();
  keyed.forEach((entry, r) => foldOf.set(entry.id, r % k));
  const out = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    let fold = foldOf.get(ids[i]);
    if (fold === undefined) {
      fold = bytesModulo(foldKey(ids[i], seed), k);
      foldOf.set(ids[i], fold);
    }
    out[i] = fold;
  }
  return out;
}

/**
 * The number of folds actually used for `nClusters` distinct labelled prompt clusters when
 * `requested` folds were asked for: `requested` when there are at least 2·requested clusters,
 * otherwise `max(2, ⌊c/2⌋)` (so every fold holds at least two clusters).
 *
 * @throws CjeInputError when fewer than {@link MIN_LABELLED_CLUSTERS} clusters are labelled.
 */
export function resolveFoldCount(nClusters: number, requested: number = DEFAULT_N_FOLDS): number {
  if (nClusters < MIN_LABELLED_CLUSTERS) {
    throw new CjeInputError(
      `Too few distinct oracle-labelled prompt clusters (${nClusters}) for cross-fitted calibration: at least ` +
        `${MIN_LABELLED_CLUSTERS} are needed; repeated labels on one prompt do not create independent folds.`,
    );
  }
  return nClusters >= 2 * requested ? requested : Math.max(2, Math.floor(nClusters / 2));
}
