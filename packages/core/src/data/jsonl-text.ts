/**
 * JSONL text → values with their physical line numbers, in one place for the Node file reader (`readJsonl`, which
 * feeds it decoded chunks of whole lines) and for callers holding the text (a file read in a browser). Pure: no
 * Node built-in.
 */
import { CjeInputError } from "../errors/input-error.js";

/** Receives one parsed JSONL value and its 1-based physical line number. */
export type JsonlVisitor = (value: unknown, line: number) => void;

/** One record of a source: its value and the 1-based physical line it was read from. */
export interface SourceRecord {
  readonly value: unknown;
  readonly line: number;
}

/**
 * Splits JSONL text into lines and parses each non-blank one, keeping count of physical lines across calls of
 * {@link JsonlLines.feed}: `\n` and `\r\n` endings, a byte-order mark (U+FEFF) at the start of line 1 ignored,
 * blank lines (spaces, tabs) skipped. Corrupt JSON is a `CjeInputError` naming the file and line; an exception
 * thrown by the visitor propagates unchanged.
 */
export class JsonlLines {
  private lines = 0;
  private nonBlank = 0;

  constructor(
    private readonly file: string,
    private readonly visit: JsonlVisitor,
  ) {}

  /** Physical lines read so far. */
  get line(): number {
    return this.lines;
  }

  /** Non-blank lines visited so far. */
  get visited(): number {
    return this.nonBlank;
  }

  /**
   * Reads `text`: whole lines (it ends with `\n`), or the input's last piece (a final line without `\n` is a
   * line).
   */
  feed(text: string): void {
    let start = 0;
    for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
      this.handle(text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end));
      start = end + 1;
    }
    if (start < text.length) this.handle(text.charCodeAt(text.length - 1) === 13 ? text.slice(start, -1) : text.slice(start));
  }

  private handle(text: string): void {
    this.lines++;
    if (this.lines === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (isBlank(text)) return;
    this.nonBlank++;
    this.visit(parseLine(text, this.file, this.lines), this.lines);
  }
}

/**
 * Parses the whole text of a JSONL file named `file` into its records, one per non-blank line, with the same
 * line numbers and errors as `readJsonl` of `@cjeval/core/node` on that file (`file:line: invalid JSON: …`). For
 * a file's bytes, decode them first with `decodeTextFile` (strict UTF-8, errors at file:line).
 */
export function parseJsonlText(text: string, file: string): SourceRecord[] {
  const records: SourceRecord[] = [];
  new JsonlLines(file, (value, line) => records.push({ value, line })).feed(text);
  return records;
}

function parseLine(text: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CjeInputError(`invalid JSON: ${(error as Error).message}`, { file, line });
  }
}

function isBlank(text: string): boolean {
  if (text.length === 0) return true;
  const first = text.charCodeAt(0);
  if (first !== 32 && first !== 9 && first !== 13 && first !== 11 && first !== 12) return false;
  return text.trim().length === 0;
}
