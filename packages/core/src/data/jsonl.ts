import { createReadStream } from "node:fs";
import { CjeInputError } from "../errors/input-error.js";
import { checkByteOrderMark, decodeUtf8Lines } from "./text-encoding.js";

/** Receives one parsed JSONL value and its 1-based physical line number. */
export type JsonlVisitor = (value: unknown, line: number) => void;

const CHUNK_BYTES = 1 << 20;

/**
 * Streams a JSONL file, calling `visit` for every non-blank line with its parsed value and
 * 1-based physical line number (`\n` and `\r\n` endings; a UTF-8 byte-order mark is ignored). The file must be
 * UTF-8: a UTF-16/UTF-32 file (byte-order mark or NUL bytes) or bytes that are not UTF-8 are a `CjeInputError`
 * naming the file and line (see `text-encoding.ts`), never decoded into U+FFFD.
 * Corrupt JSON is a `CjeInputError` naming file:line; so is a missing or unreadable file.
 * An exception thrown by `visit` stops reading and propagates unchanged.
 *
 * @returns the number of non-blank lines visited.
 */
export async function readJsonl(file: string, visit: JsonlVisitor): Promise<number> {
  const stream = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  let carry: Uint8Array = new Uint8Array(0);
  let line = 0;
  let visited = 0;
  let first = true;
  const handle = (text: string): void => {
    line++;
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (isBlank(text)) return;
    visited++;
    visit(parseLine(text, file, line), line);
  };
  const handleText = (text: string): void => {
    let start = 0;
    for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
      handle(text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end));
      start = end + 1;
    }
    if (start < text.length) handle(text.charCodeAt(text.length - 1) === 13 ? text.slice(start, -1) : text.slice(start));
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      if (first && bytes.length >= 4) {
        checkByteOrderMark(bytes, file);
        first = false;
      }
      // Whole lines only: 0x0A never occurs inside a multi-byte UTF-8 sequence.
      const lastNewline = bytes.lastIndexOf(0x0a);
      if (lastNewline < 0) {
        carry = bytes;
        continue;
      }
      carry = bytes.subarray(lastNewline + 1);
      handleText(decodeUtf8Lines(bytes.subarray(0, lastNewline + 1), file, line + 1));
    }
  } catch (error) {
    throw asInputError(error, file);
  }
  if (first) checkByteOrderMark(carry, file);
  if (carry.length > 0) handleText(decodeUtf8Lines(carry, file, line + 1));
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
