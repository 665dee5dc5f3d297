/**
 * A dropped file's rows, read in the page: the bytes must be UTF-8 (core's `decodeTextFile`); JSONL is one JSON
 * value per non-blank line, CSV has a header row (the workspace's CSV reader, `parseCsvTable`) whose numeric
 * columns are read as numbers and whose empty cells are absent fields. Each row keeps the line it came from.
 */
import { CjeInputError } from "@cjeval/core";
import { decodeTextFile } from "@cjeval/core/advanced";
import { parseCsvTable } from "@cjeval/oracle";

/** Rows of one file and the 1-based line each starts on. */
export interface FileRows {
  readonly name: string;
  readonly rows: Record<string, unknown>[];
  readonly lines: number[];
  /** CSV files name each row's policy in a `policy` column when they have one. */
  readonly hasPolicyColumn: boolean;
}

/** CSV columns read as numbers. */
const NUMERIC_COLUMNS: ReadonlySet<string> = new Set(["judge_score", "oracle_label", "draw_idx", "oracle_inclusion_probability"]);

/** Reads `file` (`.csv` as CSV, anything else as JSONL). */
export async function readFileRows(file: File): Promise<FileRows> {
  const text = decodeTextFile(new Uint8Array(await file.arrayBuffer()), file.name);
  return file.name.toLowerCase().endsWith(".csv") ? csvRows(text, file.name) : jsonlRows(text, file.name);
}

function jsonlRows(text: string, name: string): FileRows {
  const rows: Record<string, unknown>[] = [];
  const lines: number[] = [];
  text.split("\n").forEach((raw, at) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new CjeInputError(`invalid JSON (${error instanceof Error ? error.message : String(error)})`, { file: name, line: at + 1 });
    }
    rows.push(value as Record<string, unknown>);
    lines.push(at + 1);
  });
  return { name, rows, lines, hasPolicyColumn: false };
}

function csvRows(text: string, name: string): FileRows {
  const table = parseCsvTable(text, name, ["prompt_id", "judge_score"]);
  const rows = table.rows.map(({ values }) => {
    const row: Record<string, unknown> = Object.create(null);
    for (const [column, cell] of Object.entries(values)) {
      if (cell.trim() === "") continue;
      const number = NUMERIC_COLUMNS.has(column) ? Number(cell.trim()) : Number.NaN;
      row[column] = Number.isFinite(number) ? number : cell;
    }
    return row;
  });
  return { name, rows, lines: table.rows.map((r) => r.line), hasPolicyColumn: table.header.includes("policy") };
}
