/**
 * A synthetic evaluation world with known truth, for tests, the demo and benchmarks.
 *
 * Prompts have a latent difficulty q ~ N(0, 1); policy p answers with quality m = Φ(q + shift_p).
 * The judge sees quality through a lenient, compressing, monotone-but-nonlinear lens with noise,
 * quantised to 0.05 steps: S = round20(lens(m) + bias_p + noise). The oracle rates the response on a
 * 5-point scale, Y ~ Binomial(4, μ(S − bias_p)) / 4 with μ = lens⁻¹, so for an honest policy
 * (bias 0) E[Y | S] = μ(S) whatever the policy — the surrogacy assumption calibration relies on —
 * while a policy with a judge bias (it fools the judge) breaks calibration transport.
 *
 * The true value E[Y] = E[μ(S − bias)] is computed by quadrature over q (exact to ~1e-10).
 */
import { normalCdf } from "../numeric/distributions.js";
import { createRng, type Rng } from "../numeric/rng.js";

/** One policy of the world. */
export interface WorldPolicy {
  readonly name: string;
  /** Quality shift in latent units (0 = average). */
  readonly shift: number;
  /** Additive judge-score bias (0–1 units) that does not change quality: the policy fools the judge. */
  readonly judgeBias?: number;
}

/** Options of {@link simulateWorld}. */
export interface WorldOptions {
  readonly policies: readonly WorldPolicy[];
  /** Number of prompts; every policy answers every prompt once. */
  readonly prompts: number;
  /** Share of the labelled policy's rows that carry an oracle label (simple random sample). */
  readonly oracleShare: number;
  /** Policy whose rows get oracle labels (default: the first). */
  readonly labelledPolicy?: string;
  /**
   * Policies every row of which carries its oracle label (e.g. the pool transport probes are drawn from).
   * They draw no random sample, so the world's other rows and labels are those of the same world without them.
   */
  readonly fullyLabelledPolicies?: readonly string[];
  /** Judge noise SD in 0–1 units (default 0.06). */
  readonly judgeNoise?: number;
  /** Judge score levels above 0: scores are multiples of 1/judgeSteps (default 20, a 0.05 grid; 5 = a coarse judge). */
  readonly judgeSteps?: number;
  readonly seed: number;
}

/** A generated world: fresh-draw records in the JSONL format, and the truth. */
export interface SyntheticWorld {
  /** One record per (policy, prompt): `policy`, `prompt_id`, `judge_score`, optional `oracle_label`, `prompt`, `response`. */
  readonly records: Record<string, unknown>[];
  /** True value E[Y] of each policy (by quadrature, exact to ~1e-10). */
  readonly truth: Readonly<Record<string, number>>;
}

/** Default judge noise (SD, 0–1 units). */
export const DEFAULT_JUDGE_NOISE = 0.06;
/** Default judge grid: scores are multiples of 1/20. */
export const DEFAULT_JUDGE_STEPS = 20;

/** The judge's view of quality m ∈ (0, 1): compressed upward (judges are lenient) and offset. */
function judgeLens(m: number): number {
  return 0.25 + 0.7 * m ** 0.6;
}

/** The oracle's mean rating for an (unbiased) judge score s: the inverse lens, clipped to [0, 1]. */
function oracleMean(s: number): number {
  const v = (s - 0.25) / 0.7;
  return v <= 0 ? 0 : v >= 1 ? 1 : v ** (1 / 0.6);
}

/** Quantised, clipped judge score of a raw value. */
function quantise(raw: number, steps: number): number {
  return Math.round(Math.min(1, Math.max(0, raw)) * steps) / steps;
}

/**
 * True value E[Y] of a policy: ∫ φ(q) Σ_k P(S = k/20 | q) μ(k/20 − bias) dq, by the trapezoid rule
 * on [−9, 9] (the integrand is smooth and negligible beyond).
 */
export function worldTruth(policy: WorldPolicy, judgeNoise: number = DEFAULT_JUDGE_NOISE, judgeSteps: number = DEFAULT_JUDGE_STEPS): number {
  const bias = policy.judgeBias ?? 0;
  const key = `${policy.shift}/${bias}/${judgeNoise}/${judgeSteps}`;
  const cached = truthCache.get(key);
  if (cached !== undefined) return cached;
  const grid = 4000;
  const lo = -9;
  const h = 18 / grid;
  let total = 0;
  for (let g = 0; g <= grid; g++) {
    const q = lo + g * h;
    const centre = judgeLens(normalCdf(q + policy.shift)) + bias;
    let inner = 0;
    for (let k = 0; k <= judgeSteps; k++) {
      const a = k === 0 ? -Infinity : (k - 0.5) / judgeSteps;
      const b = k === judgeSteps ? Infinity : (k + 0.5) / judgeSteps;
      const p = normalCdf((b - centre) / judgeNoise) - normalCdf((a - centre) / judgeNoise);
      inner += p * oracleMean(k / judgeSteps - bias);
    }
    const weight = ((g === 0 || g === grid ? 0.5 : 1) * h * Math.exp(-0.5 * q * q)) / Math.sqrt(2 * Math.PI);
    total += weight * inner;
  }
  truthCache.set(key, total);
  return total;
}

const truthCache = new Map<string, number>();

/** Generates a world. Deterministic for a given seed. */
export function simulateWorld(options: WorldOptions): SyntheticWorld {
  const rng = createRng(options.seed);
  const labelled = options.labelledPolicy ?? options.policies[0]?.name;
  const noise = options.judgeNoise ?? DEFAULT_JUDGE_NOISE;
  const steps = options.judgeSteps ?? DEFAULT_JUDGE_STEPS;
  const fullyLabelled = new Set(options.fullyLabelledPolicies ?? []);
  const difficulty = Array.from({ length: options.prompts }, () => rng.nextNormal());
  const records: Record<string, unknown>[] = [];
  for (const policy of options.policies) {
    const labelRows = policy.name === labelled ? sampleIndices(rng, options.prompts, Math.round(options.oracleShare * options.prompts)) : new Set<number>();
    const labelAll = fullyLabelled.has(policy.name);
    for (let i = 0; i < options.prompts; i++) {
      const m = normalCdf(difficulty[i] + policy.shift);
      const bias = policy.judgeBias ?? 0;
      const judge = quantise(judgeLens(m) + bias + noise * rng.nextNormal(), steps);
      const mu = oracleMean(judge - bias);
      let y = 0;
      for (let k = 0; k < 4; k++) if (rng.nextFloat() < mu) y++;
      const words = 20 + Math.round(60 * m + 10 * rng.nextFloat());
      records.push({
        policy: policy.name,
        prompt_id: `p${i}`,
        prompt: `Synthetic prompt ${i}`,
        response: `${policy.name} answer `.repeat(Math.max(1, Math.round(words / 2))).trim(),
        judge_score: judge,
        ...(labelAll || labelRows.has(i) ? { oracle_label: y / 4 } : {}),
      });
    }
  }
  const truth = Object.fromEntries(options.policies.map((p) => [p.name, worldTruth(p, noise, steps)]));
  return { records, truth };
}

/** Simple random sample of `m` distinct indices from [0, n). */
function sampleIndices(rng: Rng, n: number, m: number): Set<number> {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  rng.shuffle(idx);
  return new Set(idx.subarray(0, Math.min(m, n)));
}
