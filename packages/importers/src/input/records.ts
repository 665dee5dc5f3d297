/**
 * Records from a JSON array, a single JSON object, or a JSONL file (`.jsonl`, or a `.json` file whose
 * text is JSON lines — what `-o results.jsonl` style exports often end up named), each with the line
 * it starts on (JSONL lines as they are read; the elements of a JSON array in one extra scan).
 */
import { CjeInputError } from "@cjeval/core";
import type { JsonPath } from "./json-locate.js";
import { parseStructuredText, readTextFile, type StructuredDocument } from "./structured-file.js";

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
    throw new CjeInputError(`expected an array at ${path.length === 0 ? "the top level" : path.join(".")}`, {
      file: doc.file,
      ...(line === undefined ? {} : { line }),
    });
  }
  const lines = doc.elementLines(path);
  return value.map((item, i) => ({ value: asObject(item, doc.file, lines[i]), file: doc.file, line: lines[i] }));
}

/** Whether `text` is JSON lines rather than one JSON value: it does not parse whole, and its first line is an object. */
export function looksLikeJsonLines(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length < 2) return false;
  try {
    JSON.parse(text);
    return false;
  } catch {
    try {
      const first: unknown = JSON.parse(lines[0]);
      return first !== null && typeof first === "object" && !Array.isArray(first);
    } catch {
      return false;
    }
  }
}

/** Parses JSON lines (blank lines skipped); a bad line is an error naming it. */
export function parseJsonLines(text: string, file: string): LocatedRecord[] {
  const records: LocatedRecord[] = [];
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = i + 1;
    const body = (i === 0 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).trim();
    if (body === "") return;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      throw new CjeInputError(`invalid JSON on this line of a JSONL file: ${(error as Error).message}`, { file, line });
    }
    records.push({ value: asObject(value, file, line), file, line });
  });
  return records;
}

/** A file's text parsed as JSON lines or as one JSON/YAML document. */
export type RecordSource = { readonly kind: "lines"; readonly records: LocatedRecord[] } | { readonly kind: "document"; readonly doc: StructuredDocument };

/** Reads `file` as JSON lines (`.jsonl`/`.ndjson`, or sniffed) or as one JSON/YAML document. */
export async function readRecordSource(file: string): Promise<RecordSource> {
  const text = await readTextFile(file);
  if (/\.(jsonl|ndjson)$/i.test(file) || (!/\.ya?ml$/i.test(file) && looksLikeJsonLines(text))) return { kind: "lines", records: parseJsonLines(text, file) };
  return { kind: "document", doc: parseStructuredText(text, file) };
}

/**
 * Reads `file` as records: JSON lines, a JSON array, an object holding the array under one of
 * `wrappers` (e.g. `runs`), or a single object (one record).
 */
export async function readRecords(file: string, wrappers: readonly string[] = []): Promise<LocatedRecord[]> {
  const source = await readRecordSource(file);
  if (source.kind === "lines") return source.records;
  const top = source.doc.value;
  if (Array.isArray(top)) return arrayRecords(source.doc, []);
  if (top !== null && typeof top === "object") {
    const wrapper = wrappers.find((key) => Array.isArray((top as Record<string, unknown>)[key]));
    if (wrapper !== undefined) return arrayRecords(source.doc, [wrapper]);
    return [{ value: top as Record<string, unknown>, file, line: source.doc.lineOf([]) ?? 1 }];
  }
  throw new CjeInputError("expected a JSON array, a JSON object or JSON lines", { file, value: top });
}
