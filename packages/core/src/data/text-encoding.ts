/**
 * Strict UTF-8 for input files. A UTF-16 or UTF-32 file (a byte-order mark, or NUL bytes — JSON and CSV
 * text never hold a raw NUL) and bytes that are not UTF-8 (Latin-1, Windows-1252) are errors naming the
 * file and line with a sentence saying what to do, never silently decoded into U+FFFD or NUL characters.
 */
import { CjeInputError } from "../errors/input-error.js";

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

const BOMS: readonly { readonly bytes: readonly number[]; readonly name: string }[] = [
  // UTF-32 LE starts like UTF-16 LE, so it is checked first.
  { bytes: [0xff, 0xfe, 0x00, 0x00], name: "UTF-32 (little-endian)" },
  { bytes: [0x00, 0x00, 0xfe, 0xff], name: "UTF-32 (big-endian)" },
  { bytes: [0xff, 0xfe], name: "UTF-16 (little-endian)" },
  { bytes: [0xfe, 0xff], name: "UTF-16 (big-endian)" },
];

/**
 * Checks the first bytes of a file for a UTF-16/UTF-32 byte-order mark.
 *
 * @throws CjeInputError (`file:1`) saying the file's encoding and to save it as UTF-8.
 */
export function checkByteOrderMark(head: Uint8Array, file: string): void {
  for (const { bytes, name } of BOMS) {
    if (head.length >= bytes.length && bytes.every((b, i) => head[i] === b)) {
      throw new CjeInputError(`the file is ${name} (it starts with a byte-order mark); save it as UTF-8`, { file, line: 1 });
    }
  }
}

/**
 * Decodes `bytes` (whole lines: the first is line `firstLine`) as strict UTF-8.
 *
 * @throws CjeInputError naming the first line holding a NUL byte (a UTF-16/UTF-32 file without a
 *   byte-order mark, or a binary file) or bytes that are not UTF-8.
 */
export function decodeUtf8Lines(bytes: Uint8Array, file: string, firstLine: number): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new CjeInputError("the file holds NUL bytes: it is probably UTF-16 or UTF-32 (or not text at all); save it as UTF-8", {
      file,
      line: lineAt(bytes, nul, firstLine),
    });
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new CjeInputError("this line is not valid UTF-8 (the file is probably Latin-1 or Windows-1252); save the file as UTF-8", {
      file,
      line: firstInvalidLine(bytes, firstLine),
    });
  }
}

function lineAt(bytes: Uint8Array, offset: number, firstLine: number): number {
  let line = firstLine;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function firstInvalidLine(bytes: Uint8Array, firstLine: number): number {
  let start = 0;
  let line = firstLine;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    try {
      UTF8.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    start = end + 1;
    line++;
  }
  return firstLine;
}

/**
 * A whole input file's bytes as text: a UTF-8 byte-order mark is skipped, a UTF-16/UTF-32 one, NUL bytes or bytes
 * that are not UTF-8 are errors naming the file and line (CSV, JSON and YAML readers use it; JSONL reads by lines).
 */
export function decodeTextFile(bytes: Uint8Array, file: string): string {
  checkByteOrderMark(bytes.subarray(0, 4), file);
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return decodeUtf8Lines(bytes.subarray(start), file, 1);
}
