import { importRuns, IMPORT_FORMATS, writeImportedRows, type ImportFormat } from "@cjeval/importers";
import { type Command, Option } from "commander";
import { renderTable } from "../format/table.js";
import { parseList, parseScale } from "./options.js";

interface ImportFlags {
  readonly out: string;
  readonly labels?: string;
  readonly labelScale?: { min: number; max: number };
  readonly feedback?: string[];
  readonly scoreKey?: string;
  readonly labelKey?: string;
  readonly policy?: string;
  readonly policyFrom?: "id" | "label";
}

/** Registers `cje import`. */
export function registerImportCommand(program: Command): void {
  program
    .command("import")
    .description("Turn existing eval runs (promptfoo results.json, LangSmith runs + feedback, CSV) into fresh draws that `cje analyze` calibrates.")
    .addArgument(program.createArgument("<format>", "source format").choices(IMPORT_FORMATS))
    .argument("<files...>", "promptfoo results files, LangSmith runs exports (JSON or JSONL), or CSV files")
    .requiredOption("--out <path>", "a .jsonl file (rows carry a policy field) or a folder of <policy>_responses.jsonl")
    .option("--labels <csv>", "oracle labels to join: provider_id,prompt_id,oracle_label")
    .option("--label-scale <LO,HI>", "scale the joined labels must lie on (e.g. 1,5)", parseScale)
    .option("--feedback <files>", "LangSmith feedback exports (comma-separated)", parseList)
    .option("--score-key <key>", "LangSmith feedback key of the judge score")
    .option("--label-key <key>", "LangSmith feedback key of the oracle label")
    .option("--policy <name>", "LangSmith: policy name for every run (default: the run's project)")
    .addOption(new Option("--policy-from <field>", "promptfoo: name policies by provider id or label").choices(["id", "label"]))
    .action(async (format: ImportFormat, files: string[], flags: ImportFlags) => {
      const result = await importRuns({
        format,
        files,
        ...(flags.feedback === undefined ? {} : { feedback: flags.feedback }),
        ...(flags.scoreKey === undefined ? {} : { scoreKey: flags.scoreKey }),
        ...(flags.labelKey === undefined ? {} : { labelKey: flags.labelKey }),
        ...(flags.policy === undefined ? {} : { policy: flags.policy }),
        ...(flags.policyFrom === undefined ? {} : { policyFrom: flags.policyFrom }),
        ...(flags.labels === undefined ? {} : { labels: flags.labels }),
        ...(flags.labelScale === undefined ? {} : { labelScale: flags.labelScale }),
      });
      const written = await writeImportedRows(result.rows, flags.out);
      const byPolicy = new Map<string, { rows: number; labels: number }>();
      for (const row of result.rows) {
        const entry = byPolicy.get(row.policy) ?? { rows: 0, labels: 0 };
        entry.rows++;
        if (row.oracle_label !== undefined) entry.labels++;
        byPolicy.set(row.policy, entry);
      }
      process.stdout.write(renderTable(["policy", "rows", "oracle labels"], [...byPolicy].map(([p, e]) => [p, String(e.rows), String(e.labels)])));
      const reasons = new Map<string, number>();
      for (const s of result.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
      for (const [reason, count] of reasons) process.stdout.write(`skipped ${count} record${count === 1 ? "" : "s"}: ${reason}\n`);
      process.stdout.write(`Wrote ${written.join(", ")}. Next: npx cje analyze ${flags.out}\n`);
    });
}
