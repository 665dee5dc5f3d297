import { Command } from "commander";
import { VERSION } from "@cjeval/core";

/** Builds the `cje` command tree. */
export function buildProgram(): Command {
  const program = new Command("cje").version(VERSION).description("Causal Judge Evaluation");
  return program;
}

/** Runs the CLI with the given argv; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  await buildProgram().parseAsync(argv);
  return 0;
}
