/**
 * Text for a terminal: anything a user, a model or a server supplied (policy names, error text, file
 * contents) is printed only through {@link terminalText} or {@link terminalLine}, so it cannot clear the
 * screen, set the window title, move the cursor, hide text or plant hyperlinks.
 */

/**
 * Escape sequences: OSC, DCS, SOS, PM and APC strings up to their terminator (BEL or ST; unterminated, to
 * the end), CSI sequences, and the remaining two- or three-character ESC sequences; each also in its
 * 8-bit (C1) form.
 */
const ESCAPE_SEQUENCE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this sanitiser's job.
  /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?|\x1b[\x20-\x2f]*[\x30-\x7e]?/g;

/** C0 controls but tab and line feed, DEL, C1 controls; and the bidirectional overrides and isolates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this sanitiser's job.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` safe to write to a terminal: escape sequences and control characters removed (C0 but `\n` and
 * `\t`, DEL, C1, bidi overrides); `\r\n` becomes `\n`. Line breaks and tabs are kept.
 */
export function terminalText(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(ESCAPE_SEQUENCE, "").replace(CONTROL, "");
}

/** `text` as one line of a terminal: {@link terminalText}, with line breaks and tabs as spaces. */
export function terminalLine(text: string): string {
  return terminalText(text).replace(/[\n\t]/g, " ");
}
