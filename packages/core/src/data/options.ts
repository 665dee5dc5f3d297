import { z } from "zod";
import { CjeInputError } from "../errors/input-error.js";

/** A declared scale: finite bounds with `max > min`. */
export const scaleSchema = z
  .strictObject({ min: z.number(), max: z.number() })
  .refine((scale) => scale.max > scale.min, { message: "max must be greater than min" });

const sharedOptions = {
  judgeScale: scaleSchema.optional(),
  oracleScale: scaleSchema.optional(),
  onInvalid: z.enum(["error", "drop"]).optional(),
};

/** Options of `loadEvaluationData` (unknown keys are rejected to catch typos). */
export const fileLoadOptionsSchema = z.strictObject({ ...sharedOptions, calibrationFile: z.string().min(1).optional() });

/** Options of `evaluationDataFromRecords` (unknown keys are rejected to catch typos). */
export const recordLoadOptionsSchema = z.strictObject({ ...sharedOptions, calibration: z.array(z.unknown()).optional() });

/**
 * Validates an options object against `schema`; the first problem becomes a `CjeInputError`
 * naming the option and its value.
 */
export function parseOptions<T>(schema: z.ZodType<T>, options: unknown): T {
  const result = schema.safeParse(options ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : undefined;
  throw new CjeInputError(`invalid option: ${issue.message}`, { field, value: valueAt(options, issue.path) });
}

function valueAt(root: unknown, keys: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of keys) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
