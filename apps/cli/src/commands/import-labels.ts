import type { Scale } from "@cjeval/core";
import { formatScale } from "@cjeval/core/advanced";
import { importLabels } from "@cjeval/oracle";
import { terminalLine, terminalText } from "@cjeval/provider-utils";
import type { Command } from "commander";
import { parseScale } from "./options.js";

interface ImportFlags {
  labels?: string;
  oracleScale?: Scale;
  judgeScale?: Scale;
  overwrite?: boolean;
  allowMissing?: boolean;
}

/**
 * Registers `cje import-labels`: writes the labels of a to-label file (or of a filled-in export) and
 * each row's inclusion probability into the fresh-draw files, atomically, after validating all of them.
 */
export function registerImportLabelsCommand(program: Command): void {
  program
    .command("import-labels")
    .description("Write oracle labels and their inclusion probabilities back into the fresh-draw files (validated first).")
    .argument("<to-label>", "to-label JSONL written by cje sample (labelled with cje label, or see --labels)")
    .argument("<inputs...>", "the fresh-draw folders or files the sample was drawn from (rewritten in place)")
    .option("--labels <file>", "CSV or JSONL with item_id and oracle_label (an export filled in by labellers)")
    .option("--oracle-scale <LO,HI>", "declare the oracle-label scale (default: the fresh draws' labels, else inferred)", parseScale)
    .option("--judge-scale <LO,HI>", "declare the judge-score scale of the fresh draws", parseScale)
    .option("--overwrite", "replace a different label already on a fresh draw")
    .option("--allow-missing", "skip sampled rows without a label (the estimate then assumes they are missing at random)")
    .action(async (toLabel: string, inputs: string[], flags: ImportFlags) => {
      const report = await importLabels({
        toLabel,
        inputs,
        ...(flags.labels !== undefined ? { labels: flags.labels } : {}),
        ...(flags.oracleScale !== undefined ? { oracleScale: flags.oracleScale } : {}),
        ...(flags.judgeScale !== undefined ? { judgeScale: flags.judgeScale } : {}),
        ...(flags.overwrite === true ? { overwrite: true } : {}),
        ...(flags.allowMissing === true ? { allowMissing: true } : {}),
      });
      process.stdout.write(
        `Imported ${report.labelled} new label(s) (${report.unchanged} unchanged, ${report.missing} skipped) on the ${formatScale(report.oracleScale)} ` +
          `oracle scale into ${report.files.length} file(s): ${terminalLine(report.files.join(", "))}\n` +
          `Next: npx cje analyze ${terminalLine(inputs.join(" "))}   (the inclusion probabilities make it a design-weighted analysis)\n`,
      );
      for (const warning of report.warnings) process.stderr.write(`warning: ${terminalText(warning)}\n`);
    });
}
