import { type Command, Option } from "commander";
import { CjeInputError, type Scale, type ValidationReport } from "@cjeval/core";
import { validateInputs } from "@cjeval/core/node";
import { fmt, renderTable } from "../format/table.js";
import { parseScale } from "./options.js";
import { checkOutputs, emitCommandOutput } from "./out-path.js";

interface ValidateFlags {
  calibration?: string;
  judgeScale?: Scale;
  oracleScale?: Scale;
  onInvalid: "error" | "drop";
  out?: string;
}

/** Registers `cje validate`. */
export function registerValidateCommand(program: Command): void {
  program
    .command("validate")
    .description("Check input files without estimating; exits 0 only when `cje analyze` with the same options can run.")
    .argument("<inputs...>", "fresh-draw folders (<policy>_responses.jsonl files) or JSONL files with a policy field")
    .option("--calibration <file>", "extra judge_score + oracle_label rows, as for cje analyze")
    .option("--judge-scale <LO,HI>", "declare the judge-score scale (e.g. 0,100)", parseScale)
    .option("--oracle-scale <LO,HI>", "declare the oracle-label scale (e.g. 1,5)", parseScale)
    .addOption(
      new Option("--on-invalid <policy>", "the mode you will analyse with: error (invalid rows block) or drop").choices(["error", "drop"]).default("error"),
    )
    .option("--out <file>", "write the JSON report here")
    .action(async (inputs: string[], flags: ValidateFlags) => {
      await checkOutputs(flags.out);
      const report = await validateInputs(inputs, {
        ...(flags.calibration !== undefined ? { calibrationFile: flags.calibration } : {}),
        ...(flags.judgeScale !== undefined ? { judgeScale: flags.judgeScale } : {}),
        ...(flags.oracleScale !== undefined ? { oracleScale: flags.oracleScale } : {}),
        onInvalid: flags.onInvalid,
      });
      await emitCommandOutput({ text: formatValidation(report), warnings: [], json: report, out: flags.out, what: "Validation report" });
      const errors = report.issues.filter((i) => i.severity === "error").length;
      if (!report.valid) throw new CjeInputError(`validation failed: ${errors} error${errors === 1 ? "" : "s"}; cje analyze would stop on the first one`);
    });
}

/** Human-readable validation report. */
export function formatValidation(report: ValidationReport): string {
  let out = "";
  if (report.policies.length > 0) {
    out += renderTable(
      ["policy", "rows", "prompts", "oracle labels", "labelled", "judge range", "file"],
      report.policies.map((p) => [
        p.policy,
        String(p.n),
        String(p.n_prompts),
        String(p.n_oracle),
        `${fmt(100 * p.labelled_share, 1)}%`,
        `${p.judge_range[0]}–${p.judge_range[1]}`,
        p.file,
      ]),
    );
  }
  if (report.scales !== null) {
    const s = report.scales;
    out += `scales: judge ${s.judge.min}–${s.judge.max} (${s.judge.origin})`;
    out += s.oracle === null ? "; no oracle labels\n" : `, oracle ${s.oracle.min}–${s.oracle.max} (${s.oracle.origin})\n`;
  }
  if (report.labels !== null) {
    const repeats = report.calibration?.n_repeating_fresh_draws ?? 0;
    out +=
      `oracle labels: ${report.labels.n_fresh} in fresh draws, ${report.labels.n_calibration_file} in the calibration file` +
      `${repeats > 0 ? ` (${repeats} of them repeating labelled fresh draws, counted once)` : ""}, ${report.labels.n_labelled_clusters} labelled prompt clusters\n`;
  }
  for (const issue of report.issues) out += `${issue.severity}: ${issue.message}\n`;
  out += report.valid ? "Valid: cje analyze can run on these inputs.\n" : "Invalid: cje analyze would stop on these inputs.\n";
  return out;
}
