import type { Scale } from "@cjeval/core";
import { LabelStore, startLabelServer } from "@cjeval/oracle";
import { terminalLine } from "@cjeval/provider-utils";
import { type Command, InvalidArgumentError } from "commander";
import { labelWithLlmOracle, type OracleSpec, parseOracleSpec } from "./label-oracle.js";
import { parseCount, parseScale } from "./options.js";
import { parseConcurrency } from "./provider-run.js";

interface LabelFlags {
  port: number;
  host: string;
  scale: Scale;
  step: number;
  oracle?: OracleSpec;
  rubric?: string;
  concurrency: number;
  baseUrl?: string;
}

function parseStep(text: string): number {
  const step = Number(text);
  if (!(step > 0)) throw new InvalidArgumentError(`expected a positive number, got '${text}'`);
  return step;
}

/**
 * Registers `cje label`: serves the labelling page for a to-label file on 127.0.0.1 until Ctrl+C, or,
 * with `--oracle <provider>:<model>`, labels every pending item with an LLM oracle and exits. Every
 * label is written to the file at once, so stopping and restarting resumes where the labelling left off.
 */
export function registerLabelCommand(program: Command): void {
  const command = program
    .command("label")
    .description("Label a to-label file in the browser (one item at a time, keyboard shortcuts), or with an LLM oracle (--oracle); every label saved at once.")
    .argument("<file>", "to-label JSONL written by cje sample")
    .option("--port <n>", "port (0: any free port)", parseCount, 8787)
    .option("--host <address>", "interface to listen on (any but loopback requires the access token in the printed URL)", "127.0.0.1")
    .option("--scale <LO,HI>", "oracle label scale", parseScale, { min: 1, max: 5 })
    .option("--step <s>", "spacing of the label values on the scale", parseStep, 1)
    .option(
      "--oracle <provider:model>",
      "label the pending items with an LLM oracle (openai:<model> or anthropic:<model>) instead of serving the page",
      parseOracleSpec,
    )
    .option("--rubric <file>", "oracle rubric template with {prompt} and {response}, answered on --scale (default: a 0-100 rubric mapped onto --scale)")
    .option("--concurrency <n>", "oracle requests in flight at once (at most 1024)", parseConcurrency, 4)
    .option("--base-url <url>", "OpenAI- or Anthropic-compatible server for the oracle")
    .action(async (file: string, flags: LabelFlags) => {
      const store = await LabelStore.open(file);
      if (flags.oracle !== undefined) return labelWithLlmOracle(command, store, { ...flags, oracle: flags.oracle });
      // Oracle flags without --oracle would otherwise be silently ignored by the labelling page.
      const stray = ["rubric", "concurrency", "baseUrl"].find((name) => command.getOptionValueSource(name) === "cli");
      if (stray !== undefined) command.error(`--${stray === "baseUrl" ? "base-url" : stray} needs --oracle`, { code: "cje.option_needs_oracle" });
      const server = await startLabelServer({ store, scale: { ...flags.scale, step: flags.step }, port: flags.port, host: flags.host });
      const { labelled, total } = store.progress();
      process.stdout.write(`Labelling ${terminalLine(file)}: ${labelled} of ${total} labelled.\nOpen ${server.url} (Ctrl+C to stop)\n`);
      if (server.token !== null) {
        process.stderr.write(
          `Listening on ${terminalLine(flags.host)}, beyond this machine: every request needs the token in that URL; share it only with your labellers.\n`,
        );
      }
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await server.close();
      const end = store.progress();
      process.stdout.write(`Stopped: ${end.labelled} of ${end.total} labelled; the labels are in ${terminalLine(file)}.\n`);
    });
}
