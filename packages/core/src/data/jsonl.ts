import { createReadStream } from "node:fs";
import { CjeInputError } from "../errors/input-error.js";

/** Receives one parsed JSONL value and its 1-based physical line number. */
export type JsonlVisitor = (value: unknown, line: number) => void;

const CHUNK_BYTES = 1 << 20;

/**
 * Streams a JSONL file, calling `visit` for every non-blank line with its parsed value and
 * 1-based physical line number (`\n` and `\r\n` endings; a UTF-8 byte-order mark is ignored).
 * Corrupt JSON is a `CjeInputError` naming file:line; so is a missing or unreadable file.
 * An exception thrown by `visit` stops reading and propagates unchanged.
 *
 * @returns the number of non-blank lines visited.
 */
export async function readJsonl(file: string, visit: JsonlVisitor): Promise<number> {
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: CHUNK_BYTES });
  let carry = "";
  let line = 0;
  let visited = 0;
  const handle = (text: string): void => {
    line++;
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (isBlank(text)) return;
    visited++;
    visit(parseLine(text, file, line), line);
  };
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = carry.length > 0 ? carry + chunk : chunk;
      let start = 0;
      for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
        handle(text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end));
        start = end + 1;
      }
      carry = start < text.length ? text.slice(start) : "";
    }
  } catch (error) {
    throw asInputError(error, file);
  }
  if (carry.length > 0) handle(carry.charCodeAt(carry.length - 1) === 13 ? carry.slice(0, -1) : carry);
  return visited;
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

function asInputError(error: unknown, file: string): unknown {
  if (error instanceof CjeInputError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new CjeInputError("file not found", { file });
  if (code === "EISDIR") return new CjeInputError("expected a file, found a directory", { file });
  if (code !== undefined) return new CjeInputError(`cannot read file (${code}: ${(error as Error).message})`, { file });
  return error;
}
