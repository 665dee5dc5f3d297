/**
 * A dropped file's records, read in the page as core's Node readers read a file: the bytes must be UTF-8 (core's
 * `decodeTextFile`); JSONL is parsed by core's `parseJsonlText` (the lines and errors of `readJsonl`); CSV has a
 * header row (the workspace's CSV reader, `parseCsvTable`) whose numeric columns are read as numbers and whose
 * empty cells are absent fields. Each record keeps the line it came from.
 */
import { decodeTextFile, parseJsonlText, type RecordSource, type SourceRecord } from "@cjeval/core/advanced";
import { parseCsvTable } from "@cjeval/oracle";

/** CSV columns read as numbers. */
const NUMERIC_COLUMNS: ReadonlySet<string> = new Set(["judge_score", "oracle_label", "draw_idx", "oracle_inclusion_probability"]);

/** Reads `file` (`.csv` as CSV, anything else as JSONL) into a source named by the file's name. */
export async function readFileRecords(file: File): Promise<RecordSource> {
  const text = decodeTextFile(new Uint8Array(await file.arrayBuffer()), file.name);
  const records = file.name.toLowerCase().endsWith(".csv") ? csvRecords(text, file.name) : parseJsonlText(text, file.name);
  return { file: file.name, records };
}

function csvRecords(text: string, name: string): SourceRecord[] {
  const table = parseCsvTable(text, name, ["prompt_id", "judge_score"]);
  return table.rows.map(({ values, line }) => {
    const row: Record<string, unknown> = Object.create(null);
    for (const [column, cell] of Object.entries(values)) {
      if (cell.trim() === "") continue;
      const number = NUMERIC_COLUMNS.has(column) ? Number(cell.trim()) : Number.NaN;
      row[column] = Number.isFinite(number) ? number : cell;
    }
    return { value: row, line };
  });
}
