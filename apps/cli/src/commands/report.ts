import { reportCampaign } from "@cjeval/runner";
import type { Command } from "commander";
import { formatAnalysis } from "../format/analysis-table.js";
import { formatOffPolicyDiagnostics } from "./analyze-logged.js";
import { openStore } from "./store.js";

interface ReportFlags {
  readonly html?: string;
  readonly json?: string;
  readonly store?: string;
}

/** Registers `cje report`. */
export function registerReportCommand(program: Command): void {
  program
    .command("report")
    .description("Write a campaign's self-contained HTML report and its analysis JSON (one per estimator) from its store.")
    .argument("[campaign]", "campaign file or its .sqlite store (default: the campaign file in this folder)")
    .option("--html <file>", "HTML report (default: the campaign's outputs.html)")
    .option("--json <file>", "Direct analysis JSON (default: the campaign's outputs.json); off-policy estimators go next to it as <name>.<estimator>.json")
    .option("--store <url>", "the campaign's store instead of its outputs.store: postgres://… or a .sqlite file")
    .action(async (target: string | undefined, flags: ReportFlags) => {
      const report = await reportCampaign(target, { ...flags, openStore });
      process.stdout.write(formatAnalysis(report.data.analysis));
      for (const { estimator, analysis } of report.data.offPolicy) {
        process.stdout.write(`\nOff-policy (${estimator}):\n${formatAnalysis(analysis)}${formatOffPolicyDiagnostics(analysis)}`);
      }
      process.stdout.write(`\nReport: ${report.html}\nResults: ${report.json}\n`);
      for (const [estimator, file] of Object.entries(report.offPolicy)) process.stdout.write(`Results (${estimator}): ${file}\n`);
    });
}
