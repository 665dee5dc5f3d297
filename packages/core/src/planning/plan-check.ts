/**
 * Simulation check of a plan: re-sample the pilot at the planned (n, m), refit the calibrator and
 * re-estimate in every replicate, and measure the half-width actually realised. Each replicate is a
 * new study drawn from the pilot as if it were the population: m prompts drawn with replacement
 * from the labelled prompts and n − m from the unlabelled ones (with replacement, so that plans
 * larger than the pilot can be checked; every copy is its own cluster). The realised half-width is
 * z(1 − α/2) × the standard deviation of the replicate estimates; the mean reported half-width is
 * what the analytic intervals claimed.
 */
import { CjeInputError } from "../errors/input-error.js";
import { normalQuantile } from "../numeric/distributions.js";
import { checkLimit, replicatesSchema, seedSchema } from "../numeric/resource-limits.js";
import { createRng, type Rng } from "../numeric/rng.js";
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
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 4 || m > n) {
    throw new CjeInputError(`a plan check needs integers 4 ≤ m ≤ n, got n = ${n}, m = ${m}`);
  }
  if (n > m && pilot.unlabelled.length === 0) {
    throw new CjeInputError("the pilot has no unlabelled prompts to re-sample the n − m unlabelled prompts of the plan from");
  }
  const replicates = options.replicates ?? DEFAULT_CHECK_REPLICATES;
  if (!Number.isInteger(replicates) || replicates < 2) throw new CjeInputError("a plan check needs at least 2 replicates", { value: replicates });
  checkLimit(replicatesSchema, "replicates", replicates);
  if (options.seed !== undefined) checkLimit(seedSchema, "seed", options.seed);
  const rng = createRng(options.seed ?? 42);
  const z = normalQuantile(1 - (options.alpha ?? 0.05) / 2);
  const estimates: number[] = [];
  let reported = 0;
  for (let r = 0; r < replicates; r++) {
    const fit = estimateOnPrompts([...resample(pilot.labelled, m, rng), ...resample(pilot.unlabelled, n - m, rng)]);
    estimates.push(fit.estimate * pilot.span);
    reported += ((fit.ci[1] - fit.ci[0]) / 2) * pilot.span;
  }
  const mean = estimates.reduce((s, x) => s + x, 0) / replicates;
  const sd = Math.sqrt(estimates.reduce((s, x) => s + (x - mean) ** 2, 0) / (replicates - 1));
  return { n, m, replicates, realisedHalfWidth: z * sd, meanReportedHalfWidth: reported / replicates };
}

function resample(pool: readonly PilotPrompt[], k: number, rng: Rng): PilotPrompt[] {
  return Array.from({ length: k }, () => pool[rng.nextInt(pool.length)]);
}
