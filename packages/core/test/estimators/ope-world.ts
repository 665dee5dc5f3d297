/**
 * A synthetic off-policy world with known importance ratios, for tests: prompts come in five
 * equally likely types; a policy is a known softmax distribution over six discrete responses of
 * increasing quality; the judge score is a deterministic function of (type, response) on a 0.05
 * grid; the oracle label is Bernoulli(m(S)) with m(S) = 0.1 + 0.8·S², whatever the policy (so
 * calibration transports). Log-probs are exact, so the true ratios are known, and the true value
 * V(π) = E_type Σ_j π(j | type)·m(s(type, j)) is an exact finite sum.
 */
import { createRng, type Rng } from "../../src/inference/rng.js";

const TYPES = 5;
const RESPONSES = 6;

/** A policy: softmax(theta·quality + tilt·type·quality) over the six responses of each prompt type. */
export interface WorldPolicySpec {
  readonly theta: number;
  readonly tilt?: number;
}

/** Options of {@link simulateOpeWorld}. */
export interface OpeWorldOptions {
  readonly logger: WorldPolicySpec;
  readonly target: WorldPolicySpec;
  readonly n: number;
  /** Share of logged rows carrying an oracle label. */
  readonly labelShare: number;
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
    const labelled = rng.nextFloat() < options.labelShare;
    const y = rng.nextFloat() < oracleMean(s) ? 1 : 0;
    ratio[i] = Math.exp(lp1[j] - lp0[j]);
    mean[i] = oracleMean(s);
    logged.push({
      prompt_id: `p${i}`,
      response: `type ${t} response ${j}`,
      judge_score: s,
      ...(labelled ? { oracle_label: y } : {}),
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
