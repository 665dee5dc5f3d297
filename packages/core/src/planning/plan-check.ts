/**
 * Simulation check of a plan: re-sample the pilot at the planned (n, m), refit the calibrator and
 * re-estimate in every replicate, and measure the half-width actually realised. Each replicate is a
 * new study drawn from the pilot as if it were the population: m prompts drawn with replacement
 * from the labelled prompts and n − m from the unlabelled ones (with replacement, so that plans
 * larger than the pilot can be checked; every copy is its own cluster). The realised half-width is
 * z(1 − α/2) × the standard deviation of the replicate estimates; the mean reported half-width is
 * what the analytic intervals claimed. {@link checkComparisonPlan} does the same for the paired
 * comparisons of a pilot with several policies.
 */
import { CjeInputError } from "../errors/input-error.js";
import { sampleSd } from "../numeric/bootstrap.js";
import { normalQuantile } from "../numeric/distributions.js";
import { checkLimit, replicatesSchema, seedSchema } from "../numeric/resource-limits.js";
import { createRng, type Rng } from "../numeric/rng.js";
import { comparedPolicies, comparisonsOnPrompts } from "./comparison-model.js";
import { estimateOnPrompts, type Pilot, type PilotPrompt } from "./pilot.js";

/** Default replicates of a plan check. */
export const DEFAULT_CHECK_REPLICATES = 200;

/** Options of {@link checkPlan}. */
export interface PlanCheckOptions {
  readonly replicates?: number;
  readonly seed?: number;
  readonly alpha?: number;
}

/** Outcome of {@link checkPlan} (oracle units). */
export interface PlanCheck {
  readonly n: number;
  readonly m: number;
  readonly replicates: number;
  /** z(1 − α/2) × SD of the replicate estimates. */
  readonly realisedHalfWidth: number;
  /** Mean of the half-widths the analytic intervals reported. */
  readonly meanReportedHalfWidth: number;
}

/** Re-samples the pilot at (n, m) and measures the realised half-width (see the module comment). */
export function checkPlan(pilot: Pilot, n: number, m: number, options: PlanCheckOptions = {}): PlanCheck {
  const { replicates, draw } = resampler(pilot.labelled, pilot.unlabelled, n, m, options);
  const z = normalQuantile(1 - (options.alpha ?? 0.05) / 2);
  const estimates: number[] = [];
  let reported = 0;
  for (let r = 0; r < replicates; r++) {
    const fit = estimateOnPrompts(draw());
    estimates.push(fit.estimate * pilot.span);
    reported += ((fit.ci[1] - fit.ci[0]) / 2) * pilot.span;
  }
  return { n, m, replicates, realisedHalfWidth: z * sampleSd(estimates), meanReportedHalfWidth: reported / replicates };
}

/** One pair of a {@link ComparisonCheck} (oracle units). */
export interface PairCheck {
  readonly a: string;
  readonly b: string;
  /** Re-sampled studies in which the pair had a comparison (a zero SE gives none). */
  readonly replicates: number;
  /** SD of the replicate differences θ̂_a − θ̂_b. */
  readonly realisedSe: number;
  /** Mean of the SEs the paired comparisons reported. */
  readonly meanReportedSe: number;
}

/** Outcome of {@link checkComparisonPlan}. */
export interface ComparisonCheck {
  readonly n: number;
  readonly m: number;
  readonly replicates: number;
  readonly pairs: readonly PairCheck[];
}

/**
 * The paired-comparison counterpart of {@link checkPlan}: re-samples the prompts the pilot policy
 * and the compared partners (`options.policies`, default all) share at (n, m), analyses each study
 * with labels on the pilot policy and the partners through its calibrator, and measures every pair's
 * realised and reported comparison SE.
 */
export function checkComparisonPlan(
  pilot: Pilot,
  n: number,
  m: number,
  options: PlanCheckOptions & { readonly policies?: readonly string[] } = {},
): ComparisonCheck {
  const compared = comparedPolicies(pilot, options.policies);
  const { replicates, draw } = resampler(compared.labelled, compared.unlabelled, n, m, options);
  const differences = compared.pairs.map((): number[] => []);
  const reported = compared.pairs.map((): number[] => []);
  for (let r = 0; r < replicates; r++) {
    comparisonsOnPrompts(draw(), compared).forEach((c, k) => {
      if (c === null) return; // no comparison in this replicate (a zero SE)
      differences[k].push(c.difference * pilot.span);
      reported[k].push(c.se * pilot.span);
    });
  }
  const pairs = compared.pairs.map(([a, b], k) => ({
    a,
    b,
    replicates: differences[k].length,
    realisedSe: sampleSd(differences[k]),
    meanReportedSe: reported[k].reduce((s, x) => s + x, 0) / reported[k].length,
  }));
  return { n, m, replicates, pairs };
}

/** Checked arguments of a plan check, and a draw of one re-sampled study (m labelled prompts, then n − m unlabelled). */
function resampler(
  labelled: readonly PilotPrompt[],
  unlabelled: readonly PilotPrompt[],
  n: number,
  m: number,
  options: PlanCheckOptions,
): { replicates: number; draw: () => PilotPrompt[] } {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 4 || m > n) {
    throw new CjeInputError(`a plan check needs integers 4 ≤ m ≤ n, got n = ${n}, m = ${m}`);
  }
  if (labelled.length === 0) throw new CjeInputError("the pilot has no labelled prompts to re-sample the plan's m labelled prompts from");
  if (n > m && unlabelled.length === 0) {
    throw new CjeInputError("the pilot has no unlabelled prompts to re-sample the n − m unlabelled prompts of the plan from");
  }
  const replicates = options.replicates ?? DEFAULT_CHECK_REPLICATES;
  if (!Number.isInteger(replicates) || replicates < 2) throw new CjeInputError("a plan check needs at least 2 replicates", { value: replicates });
  checkLimit(replicatesSchema, "replicates", replicates);
  if (options.seed !== undefined) checkLimit(seedSchema, "seed", options.seed);
  const rng = createRng(options.seed ?? 42);
  return { replicates, draw: () => [...resample(labelled, m, rng), ...resample(unlabelled, n - m, rng)] };
}

function resample(pool: readonly PilotPrompt[], k: number, rng: Rng): PilotPrompt[] {
  return Array.from({ length: k }, () => pool[rng.nextInt(pool.length)]);
}
