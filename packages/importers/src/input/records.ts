/**
 * Records from a JSON array or a JSONL file, each with the line it starts on (JSONL lines as they are
 * read; the elements of a JSON array in one extra scan of the text).
 */
import { CjeInputError } from "@cjeval/core";
import { readJsonl } from "@cjeval/core/node";
import type { JsonPath } from "./json-locate.js";
import { readStructuredFile, type StructuredDocument } from "./structured-file.js";

/** One record and its location. */
export interface LocatedRecord {
  readonly value: Record<string, unknown>;
  readonly file: string;
  /** 1-based line where the record starts (`undefined` when it cannot be told). */
  readonly line: number | undefined;
}

/** The error for a record (naming its file and line). */
export function recordError(record: LocatedRecord, message: string, field?: string, value?: unknown): CjeInputError {
  const line = record.line;
  return new CjeInputError(message, {
    file: record.file,
    ...(line === undefined ? {} : { line }),
    ...(field === undefined ? {} : { field }),
    ...(value === undefined ? {} : { value }),
  });
}

function asObject(value: unknown, file: string, line: number | undefined): Record<string, unknown> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new CjeInputError("expected a JSON object", { file, ...(line === undefined ? {} : { line }), value });
}

/** The objects of the array at `path` in `doc`. */
export function arrayRecords(doc: StructuredDocument, path: JsonPath): LocatedRecord[] {
  let value: unknown = doc.value;
  for (const key of path) value = (value as Record<string | number, unknown> | null)?.[key];
  if (!Array.isArray(value)) {
    const line = doc.lineOf(path);
    throw new CjeInputError(`expected an array at ${path.length === 0 ? "the top level" : path.join(".")}`, { file: doc.file, ...(line === undefined ? {} : { line }) });
  }
  const lines = doc.elementLines(path);
  return value.map((item, i) => ({ value: asObject(item, doc.file, lines[i]), file: doc.file, line: lines[i] }));
}

/** Reads `file` as JSONL (`.jsonl`) or as a JSON array of objects. */
export async function readRecords(file: string): Promise<LocatedRecord[]> {
  if (!/\.jsonl$/i.test(file)) return arrayRecords(await readStructuredFile(file), []);
  const records: LocatedRecord[] = [];
  await readJsonl(file, (value, line) => {
    records.push({ value: asObject(value, file, line), file, line });
  });
  return records;
}
