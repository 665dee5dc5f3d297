import { CjeInputError } from "../errors/input-error.js";
import type { FreshDraw } from "./types.js";
import { own } from "./dictionary.js";

/** Covariate computed from the response text: its number of whitespace-separated tokens. */
export const RESPONSE_LENGTH = "response_length";

/** The parts of a row that covariates are read from (fresh draws and calibration rows both fit). */
export type CovariateRow = Pick<FreshDraw, "response" | "numericFields" | "source">;

/**
 * One column per requested covariate, each with one value per row. `response_length` is the word
 * count of `response` (tokens separated by whitespace, as Python's `str.split()` counts them);
 * every other name is read from the row's numeric fields. A row without a response, or without a
 * finite value for a named covariate, is a `CjeInputError` naming its file:line.
 */
export function covariateColumns(rows: readonly CovariateRow[], names: readonly string[]): Float64Array[] {
  return names.map((name) => {
    const column = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) column[i] = covariateValue(rows[i], name);
    return column;
  });
}

function covariateValue(row: CovariateRow, name: string): number {
  if (name === RESPONSE_LENGTH) {
    if (row.response === undefined) {
      throw new CjeInputError("missing: the response_length covariate needs the response text", {
        file: row.source.file,
        line: row.source.line,
        field: "response",
      });
    }
    return wordCount(row.response);
  }
  const value = own(row.numericFields, name);
  if (value !== undefined && Number.isFinite(value)) return value;
  const available = Object.keys(row.numericFields);
  throw new CjeInputError(
    `covariate ${value === undefined ? "missing" : "not finite"} on this row; numeric fields available: ` +
      `${available.length > 0 ? available.join(", ") : "none"} (plus ${RESPONSE_LENGTH} from the response text)`,
    { file: row.source.file, line: row.source.line, field: name, value },
  );
}

/** Number of whitespace-separated tokens in `text` (whitespace as in Python's `str.isspace`). */
export function wordCount(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = isPythonSpace(text.charCodeAt(i));
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return count;
}

function isPythonSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}
