/**
 * JSON and YAML documents read with the means to point at a line: a syntax error names its line, and a
 * value that fails validation later can be located by its path.
 */
import { readFile } from "node:fs/promises";
import { CjeInputError } from "@cjeval/core";
import { decodeTextFile } from "@cjeval/core/advanced";
import { isSeq, LineCounter, parseDocument } from "yaml";
import { jsonArrayElementLines, jsonPathLine, locateJsonSyntaxError, type JsonPath } from "./json-locate.js";

/** A parsed document. */
export interface StructuredDocument {
  readonly file: string;
  readonly value: unknown;
  /** Line of the value at `path`, or of its nearest present ancestor; `undefined` when unknown. */
  lineOf(path: JsonPath): number | undefined;
  /** Start line of every element of the array at `path` (computed in one pass). */
  elementLines(path: JsonPath): Array<number | undefined>;
}

/** Reads a text file; a missing or unreadable file is a {@link CjeInputError}. */
export async function readTextFile(file: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CjeInputError(code === "ENOENT" ? "file not found" : `cannot read file (${code ?? (error as Error).message})`, { file });
  }
  // Strict UTF-8: a UTF-16 export or a Latin-1 CSV is an error at its line, never decoded into U+FFFD.
  return decodeTextFile(bytes, file);
}

/** Parses JSON text (the fast path), naming the line of a syntax error. */
function parseJsonDocument(text: string, file: string): StructuredDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const problem = locateJsonSyntaxError(text);
    throw new CjeInputError(`invalid JSON: ${problem?.message ?? (error as Error).message}`, { file, ...(problem ? { line: problem.line } : {}) });
  }
  return {
    file,
    value,
    lineOf: (path) => nearest(path, (p) => jsonPathLine(text, p)),
    elementLines: (path) => jsonArrayElementLines(text, path) ?? [],
  };
}

/** Parses YAML text, naming the line of a syntax error. */
function parseYamlDocument(text: string, file: string): StructuredDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    throw new CjeInputError(`invalid YAML: ${error.message.split("\n")[0]}`, { file, line: lineCounter.linePos(error.pos[0]).line });
  }
  const lineOfNode = (node: unknown) => {
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    return range === undefined ? undefined : lineCounter.linePos(range[0]).line;
  };
  return {
    file,
    value: doc.toJS(),
    lineOf: (path) => nearest(path, (p) => lineOfNode(p.length === 0 ? doc.contents : doc.getIn(p, true))),
    elementLines: (path) => {
      const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
      return isSeq(node) ? node.items.map(lineOfNode) : [];
    },
  };
}

/** Parses the text of a `.json`, `.yaml` or `.yml` file (YAML by the name, JSON otherwise). */
export function parseStructuredText(text: string, file: string): StructuredDocument {
  return /\.ya?ml$/i.test(file) ? parseYamlDocument(text, file) : parseJsonDocument(text, file);
}

/** Reads a `.json`, `.yaml` or `.yml` file. */
export async function readStructuredFile(file: string): Promise<StructuredDocument> {
  return parseStructuredText(await readTextFile(file), file);
}

function nearest(path: JsonPath, lineOf: (path: JsonPath) => number | undefined): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const line = lineOf(path.slice(0, n));
    if (line !== undefined) return line;
  }
  return undefined;
}
