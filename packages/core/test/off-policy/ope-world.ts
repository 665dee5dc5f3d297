/**
 * A synthetic off-policy world with known importance ratios, for tests: prompts come in five
 * equally likely types; a policy is a known softmax distribution over six discrete responses of
 * increasing quality; the judge score is a deterministic function of (type, response) on a 0.05
 * grid; the oracle label is Bernoulli(m(S)) with m(S) = 0.1 + 0.8·S², whatever the policy (so
 * calibration transports). Log-probs are exact, so the true ratios are known, and the true value
 * V(π) = E_type Σ_j π(j | type)·m(s(type, j)) is an exact finite sum.
 *
 * With a {@link TraitDesign}, labels are chosen by a probability design that over-samples prompts
 * with a hidden trait the judge does not see but the oracle rewards; the truth is unchanged.
 */
import { createRng, type Rng } from "../../src/numeric/rng.js";

const TYPES = 5;
const RESPONSES = 6;

/** A policy: softmax(theta·quality + tilt·type·quality) over the six responses of each prompt type. */
export interface WorldPolicySpec {
  readonly theta: number;
  readonly tilt?: number;
}

/**
 * A label design that over-samples prompts with a hidden trait: a prompt has it with probability
 * `share`, independently of its type, response and judge score, and its oracle label has mean
 * E[Y | S, trait] = m(S) + shift·(trait − share). So E[Y | S] = m(S) and the true values are those
 * of the plain world, but at the same judge score the trait's labels run higher, and a logged row is
 * labelled with probability `inclusion[trait]` (recorded as `oracle_inclusion_probability`): a
 * calibrator fitted on the labels without design weights over-estimates m.
 */
export interface TraitDesign {
  readonly share: number;
  /** Keep m(S) + shift·(1 − share) ≤ 1 and m(S) − shift·share ≥ 0 (m ranges over [0.10, 0.83]). */
  readonly shift: number;
  /** Inclusion probability of a row without and with the trait. */
  readonly inclusion: readonly [number, number];
  /**
   * Graded labels Y = E[Y | S, trait] + U(−noise, noise) instead of Bernoulli draws (keep Y in
   * [0, 1]). Isotonic calibration of noisy Bernoulli labels has a small-sample bias of its own at
   * the edges of the score range, whatever the design; graded labels keep it out of the way.
   */
  readonly noise?: number;
}

/** Options of {@link simulateOpeWorld}. */
export interface OpeWorldOptions {
  readonly logger: WorldPolicySpec;
  readonly target: WorldPolicySpec;
  readonly n: number;
  /** Share of logged rows carrying an oracle label (a simple random sample; unused with `design`). */
  readonly labelShare: number;
  /** Label design over-sampling a hidden trait (default: none). */
  readonly design?: TraitDesign;
  /** Fresh draws of the target per prompt (default 1). */
  readonly drawsPerPrompt?: number;
  readonly seed: number;
}

/** Judge score of response j to a prompt of type t. */
export function judgeScore(t: number, j: number): number {
  const raw = 0.15 + 0.7 * (j / (RESPONSES - 1)) + 0.05 * (t - 2);
  return Math.round(20 * Math.min(1, Math.max(0, raw))) / 20;
}

/** E[Y | S]. */
export function oracleMean(s: number): number {
  return 0.1 + 0.8 * s * s;
}

/** log π(j | t) for every response. */
export function logProbs(policy: WorldPolicySpec, t: number): Float64Array {
  const z = Float64Array.from({ length: RESPONSES }, (_, j) => (policy.theta + (policy.tilt ?? 0) * t) * (j / (RESPONSES - 1)));
  const max = Math.max(...z);
  const lse = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
  return z.map((v) => v - lse);
}

/** True value of a policy. */
export function trueValue(policy: WorldPolicySpec): number {
  let v = 0;
  for (let t = 0; t < TYPES; t++) {
    const lp = logProbs(policy, t);
    for (let j = 0; j < RESPONSES; j++) v += (Math.exp(lp[j]) * oracleMean(judgeScore(t, j))) / TYPES;
  }
  return v;
}

function draw(rng: Rng, lp: Float64Array): number {
  let u = rng.nextFloat();
  for (let j = 0; j < lp.length; j++) {
    u -= Math.exp(lp[j]);
    if (u < 0) return j;
  }
  return lp.length - 1;
}

/** One sample of the world: logged rows (logging policy `base`, target `target`) and the target's fresh draws. */
export function simulateOpeWorld(options: OpeWorldOptions): {
  logged: Record<string, unknown>[];
  fresh: Record<string, unknown>[];
  /** Per logged row: true ratio, true E[Y | S], type and response. */
  truth: { ratio: Float64Array; mean: Float64Array };
} {
  const rng = createRng(options.seed);
  const logged: Record<string, unknown>[] = [];
  const fresh: Record<string, unknown>[] = [];
  const ratio = new Float64Array(options.n);
  const mean = new Float64Array(options.n);
  for (let i = 0; i < options.n; i++) {
    const t = rng.nextInt(TYPES);
    const lp0 = logProbs(options.logger, t);
    const lp1 = logProbs(options.target, t);
    const j = draw(rng, lp0);
    const s = judgeScore(t, j);
    const design = options.design;
    // Without a design no extra random number is drawn, so the plain world's seeds keep their samples.
    const trait = design === undefined ? 0 : rng.nextFloat() < design.share ? 1 : 0;
    const pi = design === undefined ? options.labelShare : design.inclusion[trait];
    const labelled = rng.nextFloat() < pi;
    const p = oracleMean(s) + (design === undefined ? 0 : design.shift * (trait - design.share));
    const y = design?.noise === undefined ? (rng.nextFloat() < p ? 1 : 0) : p + design.noise * (2 * rng.nextFloat() - 1);
    ratio[i] = Math.exp(lp1[j] - lp0[j]);
    mean[i] = oracleMean(s);
    logged.push({
      prompt_id: `p${i}`,
      response: `type ${t} response ${j}`,
      judge_score: s,
      ...(labelled ? { oracle_label: y, ...(design === undefined ? {} : { oracle_inclusion_probability: pi }) } : {}),
      base_policy_logprob: lp0[j],
      target_policy_logprobs: { target: lp1[j] },
    });
    for (let d = 0; d < (options.drawsPerPrompt ?? 1); d++) {
      const jf = draw(rng, lp1);
      fresh.push({ policy: "target", prompt_id: `p${i}`, judge_score: judgeScore(t, jf) });
    }
  }
  return { logged, fresh, truth: { ratio, mean } };
}
