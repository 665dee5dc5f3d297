import { InvalidArgumentError } from "commander";
import type { Scale } from "@cjeval/core";
import { replicatesSchema, seedSchema, simulatedPromptsSchema, threadsSchema } from "@cjeval/core/advanced";

/** Parses `LO,HI` into a scale. */
export function parseScale(text: string): Scale {
  const parts = text.split(",").map((p) => Number(p.trim()));
  if (parts.length !== 2 || !parts.every(Number.isFinite) || !(parts[1] > parts[0])) {
    throw new InvalidArgumentError(`expected LO,HI with LO < HI (e.g. 0,100), got '${text}'`);
  }
  return { min: parts[0], max: parts[1] };
}

/** Parses a non-negative integer. */
export function parseCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got '${text}'`);
  return n;
}

/** Parses a comma-separated list. */
export function parseList(text: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...text
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  ];
}

/** The part of a zod schema {@link limitedNumber} uses. */
export interface NumberSchema {
  safeParse(value: number): { readonly success: boolean; readonly error?: { readonly issues: readonly { readonly message: string }[] } };
}

/**
 * A parser for a numeric flag checked against a zod schema (the same schema the API validates the option
 * with, so the CLI and code fail alike): `cje analyze --threads 300` →
 * `option '--threads <n>' argument '300' is invalid. must be at most 8 (4 per available core, at most 64)`.
 */
export function limitedNumber(schema: NumberSchema): (text: string) => number {
  return (text: string): number => {
    const n = text.trim() === "" ? Number.NaN : Number(text);
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got '${text}'`);
    const result = schema.safeParse(n);
    if (!result.success) throw new InvalidArgumentError(result.error?.issues[0]?.message ?? "out of range");
    return n;
  };
}

/** `--bootstrap B`, `--replicates R`, `--check R`: 2 to 100 000. */
export const parseReplicates = limitedNumber(replicatesSchema);
/** `--threads n`: 1 to min(64, 4 × cores). */
export const parseThreads = limitedNumber(threadsSchema);
/** `--seed n`: a non-negative integer up to 2^52. */
export const parseSeed = limitedNumber({
  safeParse: (n: number): { success: boolean; error?: { issues: { message: string }[] } } =>
    n >= 0 && seedSchema.safeParse(n).success ? { success: true } : { success: false, error: { issues: [{ message: "must be an integer from 0 to 2^52" }] } },
});
/** `--prompts n`, `--sim-prompts n`: 1 to 1 000 000. */
export const parseSimulatedPrompts = limitedNumber(simulatedPromptsSchema);

/** A parser of an integer flag from `min` to `max` (for flags whose cap lives only in the CLI). */
export function parseIntegerIn(min: number, max: number): (text: string) => number {
  return limitedNumber({
    safeParse: (n: number): { success: boolean; error?: { issues: { message: string }[] } } =>
      Number.isInteger(n) && n >= min && n <= max
        ? { success: true }
        : { success: false, error: { issues: [{ message: `must be an integer from ${min} to ${max}` }] } },
  });
}

/** Most quantile bins or audits of a transport-audit report (`--bins`, `--family-size`). */
export const MAX_AUDIT_BINS = 10_000;
