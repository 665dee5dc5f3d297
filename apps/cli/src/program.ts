import { Command, CommanderError } from "commander";
import { CjeInputError, VERSION } from "@cjeval/core";
import { registerAnalyzeCommand } from "./commands/analyze.js";
import { registerAuditCommand } from "./commands/audit.js";
import { registerPlanCommand } from "./commands/plan.js";
import { registerValidateCommand } from "./commands/validate.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerJudgeCommand } from "./commands/judge.js";
import { registerLogprobsCommand } from "./commands/logprobs.js";
import { registerSampleCommand } from "./commands/sample.js";
import { registerLabelCommand } from "./commands/label.js";
import { registerImportLabelsCommand } from "./commands/import-labels.js";
import { registerInitCommand } from "./commands/init.js";
import { registerRunCommand } from "./commands/run.js";
import { registerReportCommand } from "./commands/report.js";
import { registerImportCommand } from "./commands/import.js";

/** Builds the `cje` command tree. */
export function buildProgram(): Command {
  const program = new Command("cje")
    .version(VERSION)
    .description("Causal Judge Evaluation: calibrated, honest evaluation of LLM systems with LLM judges.")
    .exitOverride()
    .showHelpAfterError();
  registerAnalyzeCommand(program);
  registerAuditCommand(program);
  registerPlanCommand(program);
  registerValidateCommand(program);
  registerDemoCommand(program);
  registerJudgeCommand(program);
  registerLogprobsCommand(program);
  registerSampleCommand(program);
  registerLabelCommand(program);
  registerImportLabelsCommand(program);
  registerInitCommand(program);
  registerRunCommand(program);
  registerReportCommand(program);
  registerImportCommand(program);
  return program;
}

/**
 * Runs the CLI with the given argv; resolves to the process exit code. Input errors print one
 * paragraph to stderr and exit 1; usage errors exit with commander's code.
 */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CjeInputError) {
      process.stderr.write(`cje: ${error.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`cje: unexpected error: ${message}\n`);
    return 1;
  }
}
