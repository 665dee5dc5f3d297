/**
 * Line numbers inside a JSON document, for error messages: where a syntax error is, and on which line a
 * value at a given path starts. `JSON.parse` stays the fast path; these scanners run only once something
 * is wrong, so a large file costs nothing extra when it is valid.
 */

/** A path into a JSON value: object keys and array indices. */
export type JsonPath = readonly (string | number)[];

/** A syntax error found by {@link locateJsonSyntaxError}. */
export interface JsonSyntaxProblem {
  /** 1-based line. */
  readonly line: number;
  readonly message: string;
}

class Stop {
  constructor(readonly offset: number) {}
}

class SyntaxProblem {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/**
 * Scans JSON text; descends along `target` when given and stops at the start of the value it names — or,
 * in `elements` mode, records the start of every element of the array it names and scans on.
 */
class Scanner {
  private i = 0;
  /** Start offsets of the target array's elements (`elements` mode). */
  readonly starts: number[] = [];

  constructor(
    private readonly text: string,
    private readonly target: JsonPath | null,
    private readonly elements = false,
  ) {}

  document(): void {
    if (this.text.charCodeAt(0) === 0xfeff) this.i = 1;
    this.value(0, true);
    this.space();
    if (this.i < this.text.length) this.fail("unexpected text after the JSON value");
  }

  private value(depth: number, onPath: boolean): void {
    this.space();
    const atTarget = onPath && this.target !== null && depth === this.target.length;
    if (atTarget && !this.elements) throw new Stop(this.i);
    const c = this.text[this.i];
    if (atTarget && c === "[") {
      this.array(depth, onPath, true);
      return;
    }
    if (c === "{") {
      this.object(depth, onPath);
      return;
    }
    if (c === "[") {
      this.array(depth, onPath);
      return;
    }
    if (c === '"') {
      this.string();
      return;
    }
    if (c === "-" || (c >= "0" && c <= "9")) {
      this.number();
      return;
    }
    for (const word of ["true", "false", "null"]) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    this.fail(c === undefined ? "unexpected end of file" : `unexpected character ${JSON.stringify(c)}`);
  }

  private object(depth: number, onPath: boolean): void {
    this.i++;
    this.space();
    if (this.text[this.i] === "}") {
      this.i++;
      return;
    }
    for (;;) {
      this.space();
      if (this.text[this.i] !== '"') this.fail("expected a property name in double quotes");
      const key = this.string();
      this.space();
      if (this.text[this.i] !== ":") this.fail("expected ':' after a property name");
      this.i++;
      this.value(depth + 1, onPath && this.target !== null && this.target[depth] === key);
      if (this.separator("}")) return;
    }
  }

  private array(depth: number, onPath: boolean, collect = false): void {
    this.i++;
    this.space();
    if (this.text[this.i] === "]") {
      this.i++;
      return;
    }
    for (let index = 0; ; index++) {
      if (collect) {
        this.space();
        this.starts.push(this.i);
      }
      this.value(depth + 1, !collect && onPath && this.target !== null && this.target[depth] === index);
      if (this.separator("]")) return;
    }
  }

  /** Consumes `,` (returns false) or `close` (returns true). */
  private separator(close: string): boolean {
    this.space();
    const c = this.text[this.i];
    this.i++;
    if (c === ",") return false;
    if (c === close) return true;
    this.i--;
    return this.fail(`expected ',' or '${close}'`);
  }

  private string(): string {
    const start = ++this.i;
    let escaped = false;
    for (; this.i < this.text.length; this.i++) {
      const c = this.text.charCodeAt(this.i);
      if (escaped) escaped = false;
      else if (c === 92) escaped = true;
      else if (c === 34) break;
      else if (c < 32) this.fail("control character in a string");
    }
    if (this.i >= this.text.length) this.fail("unterminated string");
    const raw = this.text.slice(start - 1, ++this.i);
    try {
      return JSON.parse(raw) as string;
    } catch {
      return this.fail("invalid escape in a string");
    }
  }

  private number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i, this.i + 64));
    if (match === null) this.fail("invalid number");
    this.i += (match as RegExpExecArray)[0].length;
  }

  private space(): void {
    while (this.i < this.text.length && " \t\r\n".includes(this.text[this.i])) this.i++;
  }

  private fail(message: string): never {
    throw new SyntaxProblem(this.i, message);
  }
}

/** 1-based line of character `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  return linesAt(text, [offset])[0];
}

/** 1-based lines of ascending character `offsets` in `text`, in one pass. */
function linesAt(text: string, offsets: readonly number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let newline = text.indexOf("\n");
  for (const offset of offsets) {
    while (newline !== -1 && newline < offset) {
      line++;
      newline = text.indexOf("\n", newline + 1);
    }
    lines.push(line);
  }
  return lines;
}

/** The first syntax error of `text` as JSON, or `null` when it is valid JSON. */
export function locateJsonSyntaxError(text: string): JsonSyntaxProblem | null {
  try {
    new Scanner(text, null).document();
    return null;
  } catch (problem) {
    if (problem instanceof SyntaxProblem) return { line: lineAt(text, problem.offset), message: problem.message };
    throw problem;
  }
}

/** The 1-based line where the value at `path` starts, or `undefined` when the path is absent or the text invalid. */
export function jsonPathLine(text: string, path: JsonPath): number | undefined {
  try {
    new Scanner(text, path).document();
    return undefined;
  } catch (found) {
    if (found instanceof Stop) return lineAt(text, found.offset);
    if (found instanceof SyntaxProblem) return undefined;
    throw found;
  }
}

/**
 * The 1-based start line of every element of the array at `path`, in one scan; `undefined` when there is
 * no array there or the text is invalid.
 */
export function jsonArrayElementLines(text: string, path: JsonPath): number[] | undefined {
  const scanner = new Scanner(text, path, true);
  try {
    scanner.document();
  } catch (problem) {
    if (problem instanceof SyntaxProblem) return undefined;
    throw problem;
  }
  return linesAt(text, scanner.starts);
}
