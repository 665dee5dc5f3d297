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
  readonly scoreFrom?: string;
  readonly labelFrom?: string;
  readonly policy?: string;
  readonly policyFrom?: string;
  readonly strategyAs?: "draw" | "policy";
}

/** Registers `cje import`. */
export function registerImportCommand(program: Command): void {
  program
    .command("import")
    .description(
      "Turn existing eval runs (promptfoo results, LangSmith runs + feedback or the experiment CSV, Inspect AI logs, CSV) into fresh draws that `cje analyze` calibrates.",
    )
    .addArgument(program.createArgument("<format>", "source format").choices(IMPORT_FORMATS))
    .argument("<files...>", "promptfoo results (JSON, YAML, JSONL), LangSmith runs (JSON, JSONL) or experiment CSVs, Inspect logs (.json, .eval), or CSV files")
    .requiredOption("--out <path>", "a .jsonl file (rows carry a policy field) or a folder of <policy>_responses.jsonl")
    .option("--score-from <name>", "promptfoo: assertion type, named metric or row-score (default: the one model-graded assertion); Inspect: scorer")
    .option("--label-from <name>", "promptfoo: named metric, assertion type (human) or vars.<name>/metadata.<name>; Inspect: scorer — the oracle label")
    .option("--labels <csv>", "oracle labels to join: provider_id,prompt_id,oracle_label")
    .option("--label-scale <LO,HI>", "scale the joined labels must lie on (e.g. 1,5)", parseScale)
    .option("--feedback <files>", "LangSmith feedback exports, JSON or JSONL (comma-separated; default: the runs' feedback_stats)", parseList)
    .option("--score-key <key>", "LangSmith feedback key of the judge score")
    .option("--label-key <key>", "LangSmith feedback key of the oracle label")
    .option("--policy <name>", "LangSmith, Inspect: policy name for every row")
    .option("--policy-from <field>", "promptfoo: label (default) or id; LangSmith: run field (e.g. extra.metadata.model) or CSV column")
    .addOption(new Option("--strategy-as <kind>", "promptfoo red-team strategies: draws of one prompt (default) or policies").choices(["draw", "policy"]))
    .action(async (format: ImportFormat, files: string[], flags: ImportFlags) => {
      const result = await importRuns({
        format,
        files,
        ...(flags.feedback === undefined ? {} : { feedback: flags.feedback }),
        ...(flags.scoreKey === undefined ? {} : { scoreKey: flags.scoreKey }),
        ...(flags.labelKey === undefined ? {} : { labelKey: flags.labelKey }),
        ...(flags.scoreFrom === undefined ? {} : { scoreFrom: flags.scoreFrom }),
        ...(flags.labelFrom === undefined ? {} : { labelFrom: flags.labelFrom }),
        ...(flags.policy === undefined ? {} : { policy: flags.policy }),
        ...(flags.policyFrom === undefined ? {} : { policyFrom: flags.policyFrom }),
        ...(flags.strategyAs === undefined ? {} : { strategyAs: flags.strategyAs }),
        ...(flags.labels === undefined ? {} : { labels: flags.labels }),
        ...(flags.labelScale === undefined ? {} : { labelScale: flags.labelScale }),
      });
      const written = await writeImportedRows(result.rows, flags.out);
      const byPolicy = new Map<string, { rows: number; prompts: Set<string>; labels: number }>();
      for (const row of result.rows) {
        const entry = byPolicy.get(row.policy) ?? { rows: 0, prompts: new Set<string>(), labels: 0 };
        entry.rows++;
        entry.prompts.add(row.prompt_id);
        if (row.oracle_label !== undefined) entry.labels++;
        byPolicy.set(row.policy, entry);
      }
      process.stdout.write(
        renderTable(
          ["policy", "rows", "prompts", "oracle labels"],
          [...byPolicy].map(([p, e]) => [p, String(e.rows), String(e.prompts.size), String(e.labels)]),
        ),
      );
      for (const note of result.notes ?? []) process.stdout.write(`note: ${note}\n`);
      const reasons = new Map<string, number>();
      for (const s of result.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
      for (const [reason, count] of reasons) process.stdout.write(`skipped ${count} record${count === 1 ? "" : "s"}: ${reason}\n`);
      process.stdout.write(`Wrote ${written.join(", ")}. Next: npx cje analyze ${flags.out}\n`);
    });
}
