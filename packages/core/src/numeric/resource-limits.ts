/**
 * Caps of the options that decide how much time and memory an analysis takes (bootstrap replicates,
 * threads, seeds, simulated sizes). Each cap is a named constant, each check a zod schema; `analyze`,
 * `analyzeOffPolicy`, the planners and the CLI's flag parsers all use these, so a value past a cap fails
 * before any work with a `CjeInputError` naming the option and its value, instead of an out-of-memory
 * crash, a run that never ends, or an `unexpected error` from deep inside.
 *
 * Why these values:
 * - replicates 2..100 000: 2 is the least a bootstrap interval needs; 100 000 replicates already pin a
 *   95% percentile bound to about ±0.0005 of its own sampling error, and take minutes on the Arena sample.
 * - threads 1..min(64, 4 × cores): each bootstrap thread is a worker with its own copy of the problem
 *   (about 11 MB on 120 rows, more on larger inputs); past the core count threads only add memory.
 * - seeds: integers with |seed| ≤ 2^52, so derived seeds (seed + 100·i, stream numbers) stay exact
 *   (safe) integers.
 * - simulated prompts ≤ 1 000 000 per policy, plan sub-sampling replicates ≤ 100 000.
 */
import { z } from "zod";
import { CjeInputError } from "../errors/input-error.js";

/** Fewest bootstrap replicates an interval can be computed from. */
export const MIN_BOOTSTRAP_REPLICATES = 2;
/** Most bootstrap replicates (and plan-check / pilot sub-sampling replicates). */
export const MAX_BOOTSTRAP_REPLICATES = 100_000;
/** Hard cap of bootstrap threads, whatever the machine. */
export const MAX_THREADS_HARD = 64;
/** Threads allowed per available core (below {@link MAX_THREADS_HARD}). */
export const THREADS_PER_CORE = 4;
/** Largest |seed|: 2^52, leaving room for the derived seeds some routines add to it. */
export const MAX_SEED = 2 ** 52;
/** Most prompts (per policy) of a simulated world or synthetic pilot. */
export const MAX_SIMULATED_PROMPTS = 1_000_000;

/** The thread cap on this machine: min({@link MAX_THREADS_HARD}, {@link THREADS_PER_CORE} × available cores). */
export function maxThreads(): number {
  return Math.min(MAX_THREADS_HARD, THREADS_PER_CORE * availableCores());
}

/**
 * Cores as the runtime reports them (`navigator.hardwareConcurrency`: browsers, Deno, Bun, Node ≥ 21); 16 where
 * it is unknown (Node 20), so the cap is then the hard one. Core's main entry imports no Node built-in.
 */
export function availableCores(): number {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof cores === "number" && cores > 0 ? cores : MAX_THREADS_HARD / THREADS_PER_CORE;
}

/** Bootstrap (and other resampling) replicates: an integer from 2 to 100 000. */
export const replicatesSchema = z
  .number()
  .int(`must be an integer from ${MIN_BOOTSTRAP_REPLICATES} to ${MAX_BOOTSTRAP_REPLICATES}`)
  .min(MIN_BOOTSTRAP_REPLICATES, `must be at least ${MIN_BOOTSTRAP_REPLICATES} (an interval needs two replicates)`)
  .max(MAX_BOOTSTRAP_REPLICATES, `must be at most ${MAX_BOOTSTRAP_REPLICATES}`);

/** Threads: an integer from 1 to {@link maxThreads} (checked against the machine when parsed). */
export const threadsSchema = z
  .number()
  .int("must be a whole number of threads")
  .min(1, "must be at least 1")
  .superRefine((value, ctx) => {
    const cap = maxThreads();
    if (value > cap) {
      ctx.addIssue({ code: "custom", message: `must be at most ${cap} (${THREADS_PER_CORE} per available core, at most ${MAX_THREADS_HARD})` });
    }
  });

/** A seed: an integer with |seed| ≤ 2^52. */
export const seedSchema = z
  .number()
  .int("must be an integer from -2^52 to 2^52")
  .min(-MAX_SEED, `must be an integer from -2^52 to 2^52`)
  .max(MAX_SEED, `must be an integer from -2^52 to 2^52`);

/** Simulated prompts per policy: an integer from 1 to 1 000 000. */
export const simulatedPromptsSchema = z
  .number()
  .int("must be an integer")
  .min(1, "must be at least 1")
  .max(MAX_SIMULATED_PROMPTS, `must be at most ${MAX_SIMULATED_PROMPTS}`);

/** The resource options of `analyze` / `estimateDirect`, all optional. */
export const resourceOptionsSchema = z.object({
  replicates: replicatesSchema.optional(),
  seed: seedSchema.optional(),
  threads: threadsSchema.optional(),
});

/**
 * Checks `value` against `schema`; on failure throws a `CjeInputError` naming `field` (an option name, or a
 * CLI flag such as `--threads`) and the value.
 */
export function checkLimit(schema: z.ZodType, field: string, value: unknown): void {
  const result = schema.safeParse(value);
  if (!result.success) throw new CjeInputError(result.error.issues[0].message, { field, value });
}

/** Checks the resource options of an analysis (`replicates`, `seed`, `threads`); see {@link resourceOptionsSchema}. */
export function checkResourceOptions(options: { readonly replicates?: unknown; readonly seed?: unknown; readonly threads?: unknown }): void {
  const shape = resourceOptionsSchema.shape;
  for (const key of ["replicates", "seed", "threads"] as const) {
    if (options[key] !== undefined) checkLimit(shape[key], key, options[key]);
  }
}
