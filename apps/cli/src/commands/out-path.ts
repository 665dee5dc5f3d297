/**
 * `--out` handling shared by the reporting commands: the path is checked before any work (so an unwritable
 * folder fails at once, naming the path, rather than after the whole analysis), and `--out -` sends the JSON
 * to standard output with the human-readable text moved to standard error, so the JSON can be piped.
 */
import { checkOutputPath, STDOUT_PATH } from "@cjeval/provider-utils";
import { type CommandOutput, emitOutput } from "./output.js";

/** Checks every output path given (undefined ones are skipped); see `checkOutputPath`. */
export async function checkOutputs(...files: (string | undefined)[]): Promise<void> {
  for (const file of files) if (file !== undefined) await checkOutputPath(file);
}

/** Like `emitOutput`, but with `--out -` the JSON alone goes to stdout and the text and warnings to stderr. */
export async function emitCommandOutput(output: CommandOutput): Promise<void> {
  if (output.out !== STDOUT_PATH) return emitOutput(output);
  process.stderr.write(output.text);
  for (const warning of output.warnings) process.stderr.write(`warning: ${warning}\n`);
  await new Promise<void>((resolve, reject) => {
    process.stdout.write(`${JSON.stringify(output.json, null, 2)}\n`, (error) => (error ? reject(error) : resolve()));
  });
}
