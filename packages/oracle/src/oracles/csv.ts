/**
 * RFC 4180 CSV, the one CSV writer and reader of the workspace (the oracle's label files, campaign prompts,
 * the importers): fields with a comma, a quote or a line break are quoted, quotes doubled. The parser keeps
 * the 1-based physical line on which each record starts, so errors can name it; {@link parseCsvTable} adds
 * the header checks for files read as named columns.
 *
 * **Spreadsheet formulas.** CSV files are opened in spreadsheets, and a cell starting with `=`, `+`, `-`,
 * `@`, a tab or a carriage return is taken as a formula there (OWASP "CSV injection"): model output in an
 * exported response could run one. {@link formatCsv} therefore writes every *text* field that starts with
 * one of those characters — or with single quotes followed by one — with one more single quote in front
 * (`=1+1` → `'=1+1`), and quotes it; {@link parseCsv} removes exactly that quote again, so a file written here
 * reads back to the same text. *Numbers* are fields of type `number` (a label column): a finite number is
 * written as the number it is (`-0.5`, never `'-0.5`; a numeric cell is no formula) and, read back as
 * text, parses again; a numeric field that did get the quote (`'-0.5`, from another tool) reads as `-0.5` too.
 */
import { CjeInputError } from "@cjeval/core";

/** Formats a header and rows as CSV text (`\n` line endings), formulas neutralised (see the module comment). */
export function formatCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [header, ...rows]
    .map((fields) => fields.map(csvField).join(","))
    .map((line) => `${line}\n`)
    .join("");
}

/** A text field a spreadsheet would read as a formula, with any single quotes already in front of it. */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/** `text` with a single quote in front when a spreadsheet would take it as a formula ({@link parseCsv} removes it). */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The text {@link neutraliseFormula} was given. */
export function restoreFormula(field: string): string {
  return field.startsWith("'") && FORMULA_START.test(field) ? field.slice(1) : field;
}

function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  const raw = String(value);
  const text = neutraliseFormula(raw);
  return text !== raw || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One parsed record and the physical line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/**
 * Parses CSV text (a UTF-8 byte-order mark is ignored; blank lines are skipped). A field that
 * {@link formatCsv} protected from spreadsheets (`'=…`, `'+…`, `'-…`, `'@…`, a quote before a tab or carriage
 * return) loses that one quote. Malformed quoting is a `CjeInputError` naming `file` and the line.
 */
export function parseCsv(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = "";
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new CjeInputError("unterminated quoted field", { file, line: start });
          const ch = text[i];
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === "\n") line++;
          field += ch;
          i++;
        }
        if (i < text.length && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") {
          throw new CjeInputError("unexpected text after a closing quote", { file, line });
        }
      } else {
        while (i < text.length && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") {
          if (text[i] === '"') throw new CjeInputError("a quote inside an unquoted field (quote the whole field and double the quote)", { file, line });
          field += text[i++];
        }
      }
      fields.push(restoreFormula(field));
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "\r") i++;
      if (text[i] === "\n") i++;
      line++;
      break;
    }
    if (!(fields.length === 1 && fields[0] === "")) records.push({ line: start, fields });
  }
  return records;
}

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
