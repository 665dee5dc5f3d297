import { reportCampaign } from "@cjeval/runner";
import type { Command } from "commander";
import { formatAnalysis } from "../format/analysis-table.js";

interface ReportFlags {
  readonly html?: string;
  readonly json?: string;
  readonly store?: string;
}

/** Registers `cje report`. */
export function registerReportCommand(program: Command): void {
  program
    .command("report")
    .description("Write a campaign's self-contained HTML report and its analysis JSON from its store.")
    .argument("[campaign]", "campaign file or its .sqlite store (default: the campaign file in this folder)")
    .option("--html <file>", "HTML report (default: the campaign's outputs.html)")
    .option("--json <file>", "analysis JSON (default: the campaign's outputs.json)")
    .option("--store <url>", "the campaign's store instead of its outputs.store: postgres://… or a .sqlite file")
    .action(async (target: string | undefined, flags: ReportFlags) => {
      const report = await reportCampaign(target, flags);
      process.stdout.write(formatAnalysis(report.data.analysis));
      process.stdout.write(`\nReport: ${report.html}\nResults: ${report.json}\n`);
    });
}
