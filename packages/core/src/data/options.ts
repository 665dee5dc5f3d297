import { z } from "zod";
import { CjeInputError } from "../errors/input-error.js";
import type { SourceRecord } from "./jsonl-text.js";

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

/** Records of one source read elsewhere: `{ value, line }` with a 1-based line (`SourceRecord`). */
const sourceRecordsSchema = z.array(
  z.custom<SourceRecord>((record) => {
    if (typeof record !== "object" || record === null || !("value" in record)) return false;
    const { line } = record as { line?: unknown };
    return typeof line === "number" && Number.isSafeInteger(line) && line >= 1;
  }, "expected { value, line } with a 1-based line number"),
);
const sourceFileSchema = z.string().min(1);

/** Options of `evaluationDataFromSources` (unknown keys are rejected to catch typos). */
export const sourceLoadOptionsSchema = z.strictObject({
  ...sharedOptions,
  calibration: z.strictObject({ file: sourceFileSchema, records: sourceRecordsSchema }).optional(),
});

/** The fresh-draw sources of `evaluationDataFromSources`: a file name, its records and its layout (`DrawSourceLayout`). */
export const drawRecordSourcesSchema = z.array(
  z.discriminatedUnion("layout", [
    z.strictObject({ file: sourceFileSchema, records: sourceRecordsSchema, layout: z.literal("per-policy"), policy: z.string().min(1) }),
    z.strictObject({ file: sourceFileSchema, records: sourceRecordsSchema, layout: z.literal("by-content"), namedPolicy: z.string().min(1).nullable() }),
  ]),
);

/**
 * Validates an options object (or another argument, named by `what`) against `schema`; the first problem
 * becomes a `CjeInputError` naming the option and its value.
 */
export function parseOptions<T>(schema: z.ZodType<T>, options: unknown, what = "option"): T {
  const result = schema.safeParse(options ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : undefined;
  throw new CjeInputError(`invalid ${what}: ${issue.message}`, { field, value: valueAt(options, issue.path) });
}

function valueAt(root: unknown, keys: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of keys) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
