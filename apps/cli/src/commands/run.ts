import { createInterface } from "node:readline/promises";
import { CjeInputError } from "@cjeval/core";
import {
  findCampaignFile,
  formatCostEstimate,
  isPostgresUrl,
  loadCampaign,
  openCampaignStore,
  runCampaign,
  SILENT_PROGRESS,
  streamProgress,
  type CampaignStore,
  type CostEstimate,
  type RunSummary,
} from "@cjeval/runner";
import type { Command } from "commander";
import { formatAnalysis } from "../format/analysis-table.js";
import { renderTable } from "../format/table.js";
import { gracefulStop } from "./graceful-stop.js";
import { loadPostgres } from "./store.js";

interface RunFlags {
  readonly yes?: boolean;
  readonly dryRun?: boolean;
  readonly retryFailed?: boolean;
  readonly progress: boolean;
  readonly store?: string;
  /** False with `--no-work`. */
  readonly work: boolean;
}

/** Asks on the terminal; anywhere else spending needs --yes. */
async function confirmOnTerminal(): Promise<boolean> {
  if (!process.stdin.isTTY)
    throw new CjeInputError("this run makes billable calls and stdin is not a terminal: pass --yes to proceed (or --dry-run to stop here)");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question("Proceed? [y/N] ")).trim());
  } finally {
    rl.close();
  }
}

/** Stage table, failures and attempts of a run. */
function formatRun(summary: RunSummary): string {
  const rows = summary.stages.map((s) => [
    s.stage,
    String(s.total),
    String(s.alreadyDone),
    String(s.completed),
    String(s.retryableFailures),
    String(s.finalFailures),
  ]);
  let out = rows.length === 0 ? "" : renderTable(["stage", "units", "stored before", "completed now", "failed (retry)", "failed (final)"], rows);
  const a = summary.attempts;
  out += `${a.attempts} calls attempted, ${a.failedAttempts} failed, ${a.interrupted} interrupted by a stopped run (called again on resume)\n`;
  for (const f of summary.failures.slice(0, 5)) out += `  failed ${f.stage} ${f.policy ?? ""}/${f.promptId ?? ""}: ${f.failure.message}\n`;
  if (summary.failures.length > 5) out += `  … and ${summary.failures.length - 5} more failed units (see the report)\n`;
  return out;
}

/** Registers `cje run`. */
export function registerRunCommand(program: Command): void {
  const command = program
    .command("run")
    .description("Run (or resume) an evaluation campaign: generate → judge → log-probs → sample → label → estimate → report.")
    .argument("[campaign]", "campaign file: cje.config.ts / .json / .yaml (default: the one in this folder)")
    .option("-y, --yes", "spend without asking")
    .option("--dry-run", "print the calls and cost estimate, then stop")
    .option("--retry-failed", "also retry units whose last failure was final (e.g. a judge answer without a score)")
    .option("--no-progress", "no progress bars or lines")
    .option(
      "--store <url>",
      "store instead of the campaign's (store.url, or outputs.store): a .sqlite file, or postgres://… to queue the calls for `cje worker` processes",
    )
    .option("--no-work", "with a PostgreSQL store: make no calls here, only queue them for `cje worker` processes");
  command.action(async (file: string | undefined, flags: RunFlags) => {
    const campaign = await loadCampaign(file ?? findCampaignFile());
    let summary: RunSummary;
    const location = flags.store ?? campaign.paths.store;
    if (!flags.work && !isPostgresUrl(location)) {
      throw new CjeInputError("--no-work queues the calls for workers: it needs a PostgreSQL store (--store postgres://…, or store.url in the campaign)");
    }
    // A PostgreSQL store queues the calls for workers: @cjeval/postgres is loaded for it, and only for it.
    const postgres = isPostgresUrl(location) ? await loadPostgres() : null;
    const pgStore = postgres === null ? null : await postgres.openPostgresStore(location, { campaign: campaign.config.name });
    const store: CampaignStore = pgStore ?? (await openCampaignStore(location, { campaign: campaign.config.name }));
    const stop = gracefulStop();
    try {
      const options = {
        ...(flags.yes === true ? { yes: true } : {}),
        ...(flags.dryRun === true ? { dryRun: true } : {}),
        ...(flags.retryFailed === true ? { retryFailed: true } : {}),
        progress: flags.progress ? streamProgress(process.stderr) : SILENT_PROGRESS,
        signal: stop.signal,
        onEstimate: (estimate: CostEstimate) =>
          process.stdout.write(`Campaign '${campaign.config.name}' — calls still to make:\n${formatCostEstimate(estimate)}\n`),
        confirm: confirmOnTerminal,
      };
      summary =
        postgres !== null && pgStore !== null
          ? await postgres.runDistributedCampaign(campaign, {
              ...options,
              store: pgStore,
              work: flags.work,
              onProblem: (m) => process.stderr.write(`warning: ${m}\n`),
            })
          : await runCampaign(campaign, { ...options, store });
    } finally {
      stop.release();
      await store.close();
    }
    if (summary.status === "dry-run") return;
    if (summary.status === "declined") command.error("not confirmed: nothing was sent", { exitCode: 1, code: "cje.declined" });
    process.stdout.write(formatRun(summary));
    if (summary.analysis !== null) {
      process.stdout.write(`\n${formatAnalysis(summary.analysis)}`);
      for (const warning of summary.analysis.diagnostics.warnings) process.stderr.write(`warning: ${warning}\n`);
      const { paths } = summary;
      process.stdout.write(`\nStore: ${store.location}\nResults: ${paths.json}\nReport: ${paths.html}\nFresh draws: ${paths.draws}\n`);
    }
    if (summary.status === "incomplete") command.error(`campaign incomplete: ${summary.reason ?? "run again"}`, { exitCode: 2, code: "cje.incomplete" });
  });
}
