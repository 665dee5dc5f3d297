import { CjeInputError, type Scale } from "@cjeval/core";
import { loadEvaluationData } from "@cjeval/core/node";
import { writeFileAtomic, writeJsonAtomic } from "@cjeval/provider-utils";
import {
  DESIGN_KINDS,
  exportForLabelling,
  formatJsonl,
  readSampleRecord,
  sampleForLabelling,
  sampleRecordPath,
  type DesignKind,
  type SampleOutcome,
} from "@cjeval/oracle";
import { type Command, InvalidArgumentError, Option } from "commander";
import { renderTable } from "../format/table.js";
import { parseList, parseScale, parseSeed } from "./options.js";
import { checkOutputs } from "./out-path.js";
import { parsePositiveInt } from "./provider-run.js";

interface SampleFlags {
  design: DesignKind;
  budget: number;
  seed: number;
  out: string;
  policies?: string[];
  allocation?: "proportional" | "neyman" | "equal";
  strata?: number;
  bins?: number;
  floor?: number;
  sizeField?: string;
  designFrom?: string;
  calibration?: string;
  judgeScale?: Scale;
  oracleScale?: Scale;
  export?: string;
}

function parseProbability(text: string): number {
  const p = Number(text);
  if (!(p >= 0 && p <= 1)) throw new InvalidArgumentError(`expected a probability in [0, 1], got '${text}'`);
  return p;
}

/** Options a recorded design fixes; giving them with --design-from would be silently ignored, so it is refused. */
const FIXED_BY_RECORD = ["design", "seed", "policies", "allocation", "strata", "bins", "floor", "sizeField"] as const;

/** Registers `cje sample`. */
export function registerSampleCommand(program: Command): void {
  const command = program
    .command("sample")
    .description("Choose which fresh draws to send for oracle labels, by a probability design with known inclusion probabilities.")
    .argument("<inputs...>", "fresh-draw folders or JSONL files (as for cje analyze)")
    .addOption(new Option("--design <name>", "sampling design").choices([...DESIGN_KINDS]).default("stratified"))
    .requiredOption("--budget <m>", "number of labels (the expected number for poisson and active)", parsePositiveInt)
    .option("--seed <n>", "seed of the draw (recorded; default 42; 0 to 2^52)", parseSeed, 42)
    .requiredOption("--out <file>", "to-label JSONL; the design record goes next to it (<name>.design.json)")
    .option("--policies <names>", "policies whose rows may be labelled (default all), e.g. the logging policy", parseList)
    .addOption(
      new Option("--allocation <rule>", "stratified: proportional | neyman; per-policy: proportional | equal").choices(["proportional", "neyman", "equal"]),
    )
    .option("--strata <H>", "stratified: number of judge-score strata (default 5)", parsePositiveInt)
    .option("--bins <B>", "active: number of judge-score bins (default 10)", parsePositiveInt)
    .option("--floor <pi>", "active and poisson: smallest inclusion probability (active default: 0.25 x budget / rows)", parseProbability)
    .option("--size-field <name>", "poisson: numeric field with each row's size measure")
    .option("--design-from <record>", "draw the next round of a recorded design (same design, seed and rows; a larger budget draws a superset)")
    .option("--calibration <file>", "existing labels (e.g. logged data) that inform the neyman and active designs")
    .option("--judge-scale <LO,HI>", "declare the judge-score scale", parseScale)
    .option("--oracle-scale <LO,HI>", "declare the oracle-label scale", parseScale)
    .option("--export <file>", "also write a blind CSV or JSONL (item_id, prompt, response, blank oracle_label) for labellers");
  command.action(async (inputs: string[], flags: SampleFlags) => {
    await checkOutputs(flags.out, sampleRecordPath(flags.out), flags.export);
    if (flags.designFrom !== undefined) {
      const clash = FIXED_BY_RECORD.find((name) => command.getOptionValueSource(name) === "cli");
      if (clash !== undefined) {
        throw new CjeInputError(`--design-from reuses the recorded design, seed and policies; drop --${clash.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
      }
    }
    const data = await loadEvaluationData(inputs, {
      ...(flags.calibration !== undefined ? { calibrationFile: flags.calibration } : {}),
      ...(flags.judgeScale !== undefined ? { judgeScale: flags.judgeScale } : {}),
      ...(flags.oracleScale !== undefined ? { oracleScale: flags.oracleScale } : {}),
    });
    const outcome = sampleForLabelling(data, {
      design:
        flags.designFrom !== undefined
          ? await readSampleRecord(flags.designFrom)
          : {
              kind: flags.design,
              ...(flags.allocation !== undefined ? { allocation: flags.allocation } : {}),
              ...(flags.strata !== undefined ? { strata: flags.strata } : {}),
              ...(flags.bins !== undefined ? { bins: flags.bins } : {}),
              ...(flags.floor !== undefined ? { floor: flags.floor } : {}),
              ...(flags.sizeField !== undefined ? { sizeField: flags.sizeField } : {}),
            },
      budget: flags.budget,
      seed: flags.seed,
      ...(flags.policies !== undefined ? { policies: flags.policies } : {}),
    });
    const recordFile = sampleRecordPath(flags.out);
    await writeFileAtomic(flags.out, formatJsonl(outcome.rows));
    await writeJsonAtomic(recordFile, outcome.record);
    if (flags.export !== undefined) await exportForLabelling(outcome.rows, flags.export);
    process.stdout.write(summary(outcome, inputs, flags, recordFile));
    for (const warning of outcome.record.warnings) process.stderr.write(`warning: ${warning}\n`);
  });
}

function summary(outcome: SampleOutcome, inputs: string[], flags: SampleFlags, recordFile: string): string {
  const { record } = outcome;
  const round = (x: number) => Number(x.toPrecision(3));
  const labelled = outcome.rows.filter((r) => r.oracle_label !== null).length;
  const lines = [
    `Sampled ${record.size} of ${record.frame.rows} rows (${record.frame.policies.join(", ")}): ${record.description}, seed ${record.seed}` +
      (record.size !== record.budget ? ` (expected size ${round(record.expected_size)})` : ""),
    `Inclusion probabilities ${round(record.inclusion_range[0])} to ${round(record.inclusion_range[1])}; design weights 1/π ${round(1 / record.inclusion_range[1])} to ${round(1 / record.inclusion_range[0])}`,
  ];
  if (record.strata !== undefined) {
    lines.push(
      "",
      renderTable(
        ["stratum", "rows", "sampled"],
        record.strata.map((s) => [s.label, String(s.rows), String(s.sampled)]),
      ).trimEnd(),
    );
  }
  if (labelled > 0) lines.push(`${labelled} sampled row(s) already carry a label (kept).`);
  lines.push(
    "",
    `Wrote ${flags.out} and ${recordFile}${flags.export !== undefined ? ` and ${flags.export} (blind, for labellers)` : ""}.`,
    `Next: npx cje label ${flags.out}    then: npx cje import-labels ${flags.out} ${inputs.join(" ")}`,
    "",
  );
  return lines.join("\n");
}
