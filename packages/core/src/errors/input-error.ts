/** Where a bad value came from, so an error can point the user at it. */
export interface InputLocation {
  /** Path of the file as the user gave it (or a label such as `in-memory`). */
  readonly file?: string;
  /** 1-based physical line number in `file`. */
  readonly line?: number;
  /** Field name, e.g. `judge_score`. */
  readonly field?: string;
  /** The offending value, as read. */
  readonly value?: unknown;
}

/**
 * An error caused by the user's input (a file, a flag, an array argument), as opposed to a bug.
 * The message names the file, line, field and value when they are known; the CLI prints it as a
 * one-paragraph message and exits non-zero.
 */
export class CjeInputError extends Error {
  /** Structured location of the problem, when known. */
  readonly location: InputLocation;

  constructor(message: string, location: InputLocation = {}) {
    super(formatInputError(message, location));
    this.name = "CjeInputError";
    this.location = location;
  }
}

/** Formats `message` with a `file:line: field 'x' = value:` prefix from whatever `location` holds. */
export function formatInputError(message: string, location: InputLocation): string {
  const where = location.file !== undefined ? `${location.file}${location.line !== undefined ? `:${location.line}` : ""}` : "";
  const value = "value" in location && location.value !== undefined ? describeValue(location.value) : undefined;
  const field =
    location.field !== undefined ? `field '${location.field}'${value !== undefined ? ` = ${value}` : ""}` : value !== undefined ? `value ${value}` : "";
  const prefix = [where, field].filter((part) => part.length > 0).join(": ");
  return escapeControlCharacters(prefix.length > 0 ? `${prefix}: ${message}` : message);
}

/**
 * `text` with every control character other than newline and tab written as a `\u00XX` escape, so that an
 * error message quoting a file (a UTF-16 file's NUL bytes, a terminal escape sequence) never prints raw
 * control bytes.
 */
export function escapeControlCharacters(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is this function's job.
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function describeValue(value: unknown): string {
  const text = typeof value === "number" || typeof value === "bigint" ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
