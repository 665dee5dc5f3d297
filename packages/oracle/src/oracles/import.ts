/**
 * Reading label files back (CSV or JSONL with `item_id` and `oracle_label`; other columns are
 * ignored): every row is validated, and any problem — corrupt JSON, bad quoting, a missing column, a
 * duplicate or empty item id, a label that is not a number or lies off the oracle scale — is a
 * `CjeInputError` naming the file, line, field and value.
 */
import { readFile } from "node:fs/promises";
import { CjeInputError, type Scale } from "@cjeval/core";
import { decodeTextFile, formatScale, isOnScale } from "@cjeval/core/advanced";
import { readJsonl } from "@cjeval/core/node";
import { parseCsv } from "./csv.js";
import { labelFileFormat } from "./export.js";

/** One imported label (`null` = left blank). */
export interface ImportedLabel {
  readonly itemId: string;
  readonly label: number | null;
  readonly file: string;
  readonly line: number;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Reads a label file; with `scale`, every label must lie on it. */
export async function readLabelFile(file: string, scale?: Scale): Promise<ImportedLabel[]> {
  const labels: ImportedLabel[] = [];
  const seen = new Map<string, number>();
  const add = (itemId: unknown, label: unknown, line: number) => {
    if (typeof itemId !== "string" && typeof itemId !== "number")
      throw new CjeInputError("missing or not a string", { file, line, field: "item_id", value: itemId ?? null });
    const id = String(itemId).trim();
    if (id.length === 0) throw new CjeInputError("empty item id", { file, line, field: "item_id" });
    const first = seen.get(id);
    if (first !== undefined) throw new CjeInputError(`duplicate item id (first at line ${first})`, { file, line, field: "item_id", value: id });
    seen.set(id, line);
    const value = parseLabel(label, file, line);
    if (value !== null && scale !== undefined && !isOnScale(scale, value)) {
      throw new CjeInputError(`outside the oracle scale ${formatScale(scale)}`, { file, line, field: "oracle_label", value });
    }
    labels.push({ itemId: id, label: value, file, line });
  };
  if (labelFileFormat(file) === "jsonl") {
    await readJsonl(file, (value, line) => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw new CjeInputError("expected a JSON object", { file, line, value });
      const row = value as Record<string, unknown>;
      add(row.item_id, row.oracle_label, line);
    });
    return labels;
  }
  let text: string;
  try {
    text = decodeTextFile(await readFile(file), file);
  } catch (error) {
    if (error instanceof CjeInputError) throw error;
    throw new CjeInputError(`cannot read the label file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { file });
  }
  const [header, ...records] = parseCsv(text, file);
  if (header === undefined) throw new CjeInputError("empty label file", { file });
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const idColumn = names.indexOf("item_id");
  const labelColumn = names.indexOf("oracle_label");
  if (idColumn < 0 || labelColumn < 0) {
    throw new CjeInputError(`the header needs the columns item_id and oracle_label (found: ${header.fields.join(", ")})`, { file, line: header.line });
  }
  for (const record of records) {
    if (record.fields.length !== names.length) {
      throw new CjeInputError(`${record.fields.length} fields where the header has ${names.length}`, { file, line: record.line });
    }
    add(record.fields[idColumn], record.fields[labelColumn], record.line);
  }
  return labels;
}

function parseLabel(value: unknown, file: string, line: number): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string") {
    const text = value.trim();
    if (text.length === 0) return null;
    if (NUMBER.test(text)) return Number(text);
  }
  throw new CjeInputError("not a number", { file, line, field: "oracle_label", value });
}
