import type { Scale } from "@cjeval/core";
import { LabelStore, startLabelServer } from "@cjeval/oracle";
import { type Command, InvalidArgumentError } from "commander";
import { parseCount, parseScale } from "./options.js";

interface LabelFlags {
  port: number;
  host: string;
  scale: Scale;
  step: number;
}

function parseStep(text: string): number {
  const step = Number(text);
  if (!(step > 0)) throw new InvalidArgumentError(`expected a positive number, got '${text}'`);
  return step;
}

/**
 * Registers `cje label`: serves the labelling page for a to-label file on 127.0.0.1 until Ctrl+C. Every
 * label is written to the file at once, so stopping and restarting resumes where the labeller left off.
 */
export function registerLabelCommand(program: Command): void {
  program
    .command("label")
    .description("Label a to-label file in the browser: one item at a time, keyboard shortcuts, every label saved at once.")
    .argument("<file>", "to-label JSONL written by cje sample")
    .option("--port <n>", "port (0: any free port)", parseCount, 8787)
    .option("--host <address>", "interface to listen on", "127.0.0.1")
    .option("--scale <LO,HI>", "oracle label scale", parseScale, { min: 1, max: 5 })
    .option("--step <s>", "spacing of the label values on the scale", parseStep, 1)
    .action(async (file: string, flags: LabelFlags) => {
      const store = await LabelStore.open(file);
      const server = await startLabelServer({ store, scale: { ...flags.scale, step: flags.step }, port: flags.port, host: flags.host });
      const { labelled, total } = store.progress();
      process.stdout.write(`Labelling ${file}: ${labelled} of ${total} labelled.\nOpen ${server.url} (Ctrl+C to stop)\n`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await server.close();
      const end = store.progress();
      process.stdout.write(`Stopped: ${end.labelled} of ${end.total} labelled; the labels are in ${file}.\n`);
    });
}
