/**
 * The sample record written next to the to-label file: the design with its fixed parameters, the
 * seed, the budget and the frame it was drawn from. It makes a sample reproducible and lets a later
 * round draw the nested, larger sample with the same pre-registered design (`--design-from`).
 */
import { readFile } from "node:fs/promises";
import { CjeInputError } from "@cjeval/core";
import { z } from "zod";
import { DesignSpecSchema, type DesignSpec } from "./designs/index.js";

/** Version tag of the record format. */
export const SAMPLE_RECORD_VERSION = "cje-ts.oracle-sample/v1";

/** Zod schema of a sample record. */
export const SampleRecordSchema = z.object({
  schema_version: z.literal(SAMPLE_RECORD_VERSION),
  design: DesignSpecSchema,
  description: z.string(),
  seed: z.number().int(),
  budget: z.number().positive(),
  expected_size: z.number(),
  size: z.number().int(),
  frame: z.object({ rows: z.number().int(), policies: z.array(z.string()), fingerprint: z.string() }),
  judge_scale: z.object({ min: z.number(), max: z.number() }),
  inclusion_range: z.tuple([z.number(), z.number()]),
  strata: z.array(z.object({ label: z.string(), rows: z.number().int(), sampled: z.number().int(), sigma: z.number().optional() })).optional(),
  warnings: z.array(z.string()),
});

/** A sample record. */
export type SampleRecord = Omit<z.infer<typeof SampleRecordSchema>, "design"> & { readonly design: DesignSpec };

/** Where the record of a to-label file goes: `to-label.jsonl` → `to-label.design.json`. */
export function sampleRecordPath(toLabelFile: string): string {
  return `${toLabelFile.replace(/\.jsonl?$/i, "")}.design.json`;
}

/** Reads and validates a sample record; problems are `CjeInputError`s naming the file and field. */
export async function readSampleRecord(file: string): Promise<SampleRecord> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new CjeInputError(`cannot read the sample record (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CjeInputError(`invalid JSON: ${(error as Error).message}`, { file });
  }
  const parsed = SampleRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CjeInputError(`not a sample record: ${issue.message}`, { file, field: issue.path.map(String).join(".") });
  }
  return parsed.data as SampleRecord;
}
