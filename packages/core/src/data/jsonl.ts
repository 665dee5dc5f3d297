import { createReadStream } from "node:fs";
import { CjeInputError } from "../errors/input-error.js";
import { JsonlLines, type JsonlVisitor } from "./jsonl-text.js";
import { checkByteOrderMark, decodeUtf8Lines } from "./text-encoding.js";

export type { JsonlVisitor } from "./jsonl-text.js";

const CHUNK_BYTES = 1 << 20;

/**
 * Streams a JSONL file, calling `visit` for every non-blank line with its parsed value and
 * 1-based physical line number (`\n` and `\r\n` endings; a UTF-8 byte-order mark is ignored) — the lines are
 * split and parsed by `JsonlLines` (`jsonl-text.ts`), as `parseJsonlText` does for text in memory. The file must be
 * UTF-8: a UTF-16/UTF-32 file (byte-order mark or NUL bytes) or bytes that are not UTF-8 are a `CjeInputError`
 * naming the file and line (see `text-encoding.ts`), never decoded into U+FFFD.
 * Corrupt JSON is a `CjeInputError` naming file:line; so is a missing or unreadable file.
 * An exception thrown by `visit` stops reading and propagates unchanged.
 *
 * @returns the number of non-blank lines visited.
 */
export async function readJsonl(file: string, visit: JsonlVisitor): Promise<number> {
  const stream = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const lines = new JsonlLines(file, visit);
  let carry: Uint8Array = new Uint8Array(0);
  let first = true;
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
      lines.feed(decodeUtf8Lines(bytes.subarray(0, lastNewline + 1), file, lines.line + 1));
    }
  } catch (error) {
    throw asInputError(error, file);
  }
  if (first) checkByteOrderMark(carry, file);
  if (carry.length > 0) lines.feed(decodeUtf8Lines(carry, file, lines.line + 1));
  return lines.visited;
}

function asInputError(error: unknown, file: string): unknown {
  if (error instanceof CjeInputError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new CjeInputError("file not found", { file });
  if (code === "EISDIR") return new CjeInputError("expected a file, found a directory", { file });
  if (code !== undefined) return new CjeInputError(`cannot read file (${code}: ${(error as Error).message})`, { file });
  return error;
}
