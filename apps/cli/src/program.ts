import { Command, CommanderError } from "commander";
import { COMMANDS } from "./command-table.js";
import { VERSION as CLI_VERSION } from "./version.js";

/** The command `argv` runs (`cje <command>`, or `cje help <command>`), if it is one of {@link COMMANDS}. */
function namedCommand(argv: readonly string[]): string | undefined {
  const first = argv[2] === "help" ? argv[3] : argv[2];
  return first !== undefined && Object.hasOwn(COMMANDS, first) ? first : undefined;
}

/**
 * Builds the `cje` command tree. With `argv` naming a command, only that command's module is loaded; otherwise
 * (version, help, no or an unknown command) every command is listed from {@link COMMANDS} without loading any.
 * Without `argv`, every command is loaded.
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command("cje")
    .version(CLI_VERSION)
    .description("Causal Judge Evaluation: calibrated, honest evaluation of LLM systems with LLM judges.")
    .exitOverride()
    .showHelpAfterError()
    // List `name usage` for loaded and listed-only commands alike.
    .configureHelp({ subcommandTerm: (cmd) => `${cmd.name()} ${cmd.usage()}` });
  const named = argv === undefined ? undefined : namedCommand(argv);
  if (argv === undefined || named !== undefined) {
    // A command quotes files, values and servers in commander's messages: no escape sequences or URL
    // credentials reach the terminal (loaded with the command, so `--version` and `--help` stay fast).
    const { redactSecrets, terminalText } = await import("@cjeval/provider-utils");
    program.configureOutput({ outputError: (text, write) => write(terminalText(redactSecrets(text))) });
    for (const name of named === undefined ? Object.keys(COMMANDS) : [named]) (await COMMANDS[name].load())(program);
  } else {
    for (const [name, entry] of Object.entries(COMMANDS)) program.command(name).usage(entry.usage).description(entry.summary);
  }
  return program;
}

/**
 * Runs the CLI with the given argv; resolves to the process exit code. Input errors print one
 * paragraph to stderr and exit 1; usage errors exit with commander's code.
 */
export async function main(argv: string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    // Core is loaded only by commands; an input error comes from a command that loaded it. Error text quotes
    // files, values and servers: printed without escape sequences or credentials.
    const { CjeInputError } = await import("@cjeval/core");
    const { redactSecrets, terminalText } = await import("@cjeval/provider-utils");
    const printable = (text: string) => terminalText(redactSecrets(text));
    if (error instanceof CjeInputError) {
      process.stderr.write(`cje: ${printable(error.message)}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`cje: unexpected error: ${printable(message)}\n`);
    return 1;
  }
}
