import { createRequire } from "node:module";
import { Command, CommanderError } from "commander";
import { CjeInputError } from "@cjeval/core";
import { redactSecrets, terminalText } from "@cjeval/provider-utils";

/** The CLI's version, as its package.json says. */
const CLI_VERSION: string = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

type Register = (program: Command) => void;

/**
 * Every command, loaded on demand: `cje analyze` imports only what analysing needs, not the model
 * SDKs, SQLite or the browser tooling of the other commands (they would triple the start-up time).
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  analyze: async () => (await import("./commands/analyze.js")).registerAnalyzeCommand,
  audit: async () => (await import("./commands/audit.js")).registerAuditCommand,
  plan: async () => (await import("./commands/plan.js")).registerPlanCommand,
  validate: async () => (await import("./commands/validate.js")).registerValidateCommand,
  demo: async () => (await import("./commands/demo.js")).registerDemoCommand,
  judge: async () => (await import("./commands/judge.js")).registerJudgeCommand,
  logprobs: async () => (await import("./commands/logprobs.js")).registerLogprobsCommand,
  sample: async () => (await import("./commands/sample.js")).registerSampleCommand,
  label: async () => (await import("./commands/label.js")).registerLabelCommand,
  "import-labels": async () => (await import("./commands/import-labels.js")).registerImportLabelsCommand,
  init: async () => (await import("./commands/init.js")).registerInitCommand,
  run: async () => (await import("./commands/run.js")).registerRunCommand,
  report: async () => (await import("./commands/report.js")).registerReportCommand,
  import: async () => (await import("./commands/import.js")).registerImportCommand,
  worker: async () => (await import("./commands/worker.js")).registerWorkerCommand,
  status: async () => (await import("./commands/status.js")).registerStatusCommand,
};

/**
 * Builds the `cje` command tree. With `argv`, only the command it names is loaded (all of them for
 * help, version or an unknown command).
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command("cje")
    .version(CLI_VERSION)
    .description("Causal Judge Evaluation: calibrated, honest evaluation of LLM systems with LLM judges.")
    .exitOverride()
    .showHelpAfterError()
    // Commander's messages quote arguments and values: no escape sequences or URL credentials reach the terminal.
    .configureOutput({ outputError: (text, write) => write(terminalText(redactSecrets(text))) });
  const named = argv?.[2];
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const name of wanted) (await COMMANDS[name]())(program);
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
    // Error text quotes files, values and servers: printed without escape sequences or credentials.
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
