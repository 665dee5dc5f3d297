/**
 * CSV files with a header row, as records of named values that keep their line. Parsing (RFC 4180,
 * quoted fields, line breaks inside quotes) is `@cjeval/oracle`'s; this adds the header checks.
 */
import { CjeInputError } from "@cjeval/core";
import { parseCsv } from "@cjeval/oracle";

/** One data record: values by header name, and its 1-based starting line. */
export interface CsvRow {
  readonly line: number;
  readonly values: Readonly<Record<string, string>>;
}

/** A parsed CSV file. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
}

/**
 * Parses CSV text with a header row. A record with a different number of fields than the header, a
 * duplicate or empty header name, and a missing `required` column are errors naming the file and line.
 */
export function parseCsvTable(text: string, file: string, required: readonly string[] = []): CsvTable {
  const [first, ...records] = parseCsv(text, file);
  if (first === undefined) throw new CjeInputError("empty CSV file (expected a header row)", { file, line: 1 });
  const header = first.fields.map((h) => h.trim());
  const seen = new Set<string>();
  for (const name of header) {
    if (name === "" || seen.has(name)) {
      throw new CjeInputError(name === "" ? "empty column name in the header" : `duplicate column '${name}' in the header`, { file, line: first.line });
    }
    seen.add(name);
  }
  for (const name of required) {
    if (!seen.has(name)) throw new CjeInputError(`missing column '${name}' (header: ${header.join(",")})`, { file, line: first.line });
  }
  const rows = records.map(({ line, fields }) => {
    if (fields.length !== header.length) {
      throw new CjeInputError(`expected ${header.length} fields (${header.join(",")}), found ${fields.length}`, { file, line });
    }
    return { line, values: Object.fromEntries(header.map((name, c) => [name, fields[c]])) };
  });
  return { header, rows };
}
