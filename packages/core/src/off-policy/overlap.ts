/**
 * Overlap between the logging and target policies (method-ope §9.2–9.3): the action-space
 * Hellinger affinity E[√w] and the judge-space Bhattacharyya affinity A_B of the judge-score
 * distributions, the paper's overlap gate (A_B² bounds the ESS share any σ(S)-measurable weight
 * can reach).
 */
import { CjeInputError } from "../errors/input-error.js";

/** Number of equal-width histogram bins for A_B. */
export const JUDGE_SPACE_BINS = 20;

/** Action-space affinity mean(√(w/mean w)) (each term floored at 1e−10), capped at 1; NaN without usable weights. */
export function hellingerAffinity(weights: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < weights.length; i++) {
    if (Number.isFinite(weights[i]) && weights[i] >= 0) {
      sum += weights[i];
      n++;
    }
  }
  if (n === 0) return Number.NaN;
  const mean = sum / n;
  if (mean <= 1e-10) return 0;
  let a = 0;
  for (let i = 0; i < weights.length; i++) {
    if (Number.isFinite(weights[i]) && weights[i] >= 0) a += Math.sqrt(Math.max(weights[i] / mean, 1e-10));
  }
  return Math.min(a / n, 1);
}

/**
 * Judge-space Bhattacharyya affinity Σ_b √(p_b q_b) over 20 equal-width bins (numpy `histogram`
 * semantics, last bin closed), clamped to [0, 1]. With `targetScores` (fresh draws of the target,
 * preferred) p and q are the logged and target score histograms over their joint range; otherwise
 * q is the logged histogram weighted by the raw importance `weights`. NaN when a side is empty.
 */
export function judgeSpaceBhattacharyya(loggedScores: ArrayLike<number>, source: { targetScores: ArrayLike<number> } | { weights: ArrayLike<number> }): number {
  if ("targetScores" in source) {
    const s = finite(loggedScores);
    const t = finite(source.targetScores);
    if (s.length === 0 || t.length === 0) return Number.NaN;
    const lo = Math.min(min(s), min(t));
    const hi = Math.max(max(s), max(t));
    if (!(hi > lo)) return 1;
    return affinity(histogram(s, null, lo, hi), histogram(t, null, lo, hi));
  }
  const w = source.weights;
  if (w.length !== loggedScores.length) throw new CjeInputError(`judge-space overlap: ${loggedScores.length} scores but ${w.length} weights`);
  const keepS: number[] = [];
  const keepW: number[] = [];
  for (let i = 0; i < w.length; i++) {
    if (Number.isFinite(loggedScores[i]) && Number.isFinite(w[i]) && w[i] >= 0) {
      keepS.push(loggedScores[i]);
      keepW.push(w[i]);
    }
  }
  if (keepS.length === 0 || !(keepW.reduce((a, b) => a + b, 0) > 0)) return Number.NaN;
  const lo = min(keepS);
  const hi = max(keepS);
  if (!(hi > lo)) return 1;
  return affinity(histogram(keepS, null, lo, hi), histogram(keepS, keepW, lo, hi));
}

function affinity(p: Float64Array, q: Float64Array): number {
  const sp = p.reduce((a, b) => a + b, 0);
  const sq = q.reduce((a, b) => a + b, 0);
  let a = 0;
  for (let b = 0; b < p.length; b++) a += Math.sqrt((p[b] / sp) * (q[b] / sq));
  return Math.min(Math.max(a, 0), 1);
}

/** numpy `histogram(values, bins=20, range=(lo, hi), weights)` for values inside [lo, hi]. */
function histogram(values: ArrayLike<number>, weights: ArrayLike<number> | null, lo: number, hi: number): Float64Array {
  const bins = JUDGE_SPACE_BINS;
  const counts = new Float64Array(bins);
  const step = (hi - lo) / bins;
  const edge = (b: number) => b * step + lo;
  const norm = bins / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    let b = Math.floor((x - lo) * norm);
    if (b >= bins) b = bins - 1;
    if (b > 0 && x < edge(b)) b--;
    if (b < bins - 1 && x >= edge(b + 1)) b++;
    counts[b] += weights === null ? 1 : weights[i];
  }
  return counts;
}

function finite(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out.push(values[i]);
  return out;
}

function min(values: readonly number[]): number {
  return values.reduce((a, b) => (b < a ? b : a), Infinity);
}

function max(values: readonly number[]): number {
  return values.reduce((a, b) => (b > a ? b : a), -Infinity);
}
