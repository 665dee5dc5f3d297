/**
 * LangSmith's experiment table as CSV: `ExperimentResults.to_pandas().to_csv()` (columns `inputs.*`,
 * `outputs.*`, `reference.*`, `error`, `feedback.<key>`, `execution_time`, `example_id`, `id`, after
 * pandas' unnamed index column) and `Client.get_test_results(...)` (`example_id`, `input.*`,
 * `outputs.*`, `feedback.<key>`, …). Read with the workspace's CSV reader (`parseCsv` of `@cjeval/oracle`).
 */
import { CjeInputError } from "@cjeval/core";
import { parseCsv } from "@cjeval/oracle";
import { readTextFile } from "../input/structured-file.js";

/** One CSV row: its line and its cells by column name. */
export interface ExperimentCsvRow {
  readonly line: number;
  readonly values: Readonly<Record<string, string>>;
}

/** The table of an experiment CSV. */
export interface ExperimentCsv {
  readonly file: string;
  readonly header: readonly string[];
  readonly rows: readonly ExperimentCsvRow[];
  /** The feedback keys (`feedback.<key>` columns). */
  readonly feedbackKeys: readonly string[];
}

/** Reads an experiment CSV; a header without `feedback.` or example-id columns is an error naming them. */
export async function readExperimentCsv(file: string): Promise<ExperimentCsv> {
  const [first, ...records] = parseCsv(await readTextFile(file), file);
  if (first === undefined) throw new CjeInputError("empty CSV file (expected a header row)", { file, line: 1 });
  const header = first.fields.map((h) => h.trim());
  // pandas writes its index as a first column without a name.
  const named = header.map((h, i) => (h === "" && i === 0 ? "__index" : h));
  if (named.some((h) => h === "")) throw new CjeInputError("empty column name in the header", { file, line: first.line });
  if (!named.includes("example_id") && !named.includes("reference_example_id")) {
    throw new CjeInputError(`not a LangSmith experiment CSV: no example_id column (header: ${header.join(",")})`, { file, line: first.line });
  }
  const rows = records
    .filter(({ fields }) => !(fields.length === 1 && fields[0].trim() === ""))
    .map(({ line, fields }) => {
      if (fields.length !== named.length) throw new CjeInputError(`expected ${named.length} fields, found ${fields.length}`, { file, line });
      return { line, values: Object.fromEntries(named.map((name, c) => [name, fields[c]])) };
    });
  return { file, header: named, rows, feedbackKeys: named.filter((h) => h.startsWith("feedback.")).map((h) => h.slice("feedback.".length)) };
}

/** A CSV cell as a number: pandas' `True`/`False` as 1/0, empty or `nan` as absent. */
export function csvNumber(cell: string | undefined): number | undefined | null {
  const text = (cell ?? "").trim();
  if (text === "" || /^(nan|none|null)$/i.test(text)) return undefined;
  if (/^true$/i.test(text)) return 1;
  if (/^false$/i.test(text)) return 0;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** The text of the `<prefix>.*` columns of a row: a lone column's cell, else the columns as JSON. */
export function csvGroupText(csv: ExperimentCsv, row: ExperimentCsvRow, prefixes: readonly string[]): string | undefined {
  const columns = csv.header.filter((h) => prefixes.some((p) => h.startsWith(`${p}.`)));
  if (columns.length === 0) return undefined;
  if (columns.length === 1) return row.values[columns[0]];
  return JSON.stringify(Object.fromEntries(columns.map((c) => [c.slice(c.indexOf(".") + 1), row.values[c]])));
}
