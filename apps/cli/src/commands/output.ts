import { terminalLine, terminalText, writeJsonAtomic } from "@cjeval/provider-utils";

/** What a reporting command prints and writes. */
export interface CommandOutput {
  /** Human-readable text for stdout. */
  readonly text: string;
  /** Warnings, one `warning: …` line each on stderr. */
  readonly warnings: readonly string[];
  /** The JSON document, written atomically to `out` when given. */
  readonly json: unknown;
  readonly out: string | undefined;
  /** What the JSON is, for the confirmation line ("Report", "Plan", …). */
  readonly what: string;
}

/** Prints a command's text and warnings, and writes its JSON (atomically) when `--out` was given. */
export async function emitOutput(output: CommandOutput): Promise<void> {
  process.stdout.write(terminalText(output.text));
  for (const warning of output.warnings) process.stderr.write(`warning: ${terminalText(warning)}\n`);
  if (output.out !== undefined) {
    await writeJsonAtomic(output.out, output.json);
    process.stdout.write(`\n${output.what} written to ${terminalLine(output.out)}\n`);
  }
}
