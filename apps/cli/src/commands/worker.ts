import { CjeInputError } from "@cjeval/core";
import { findCampaignFile, isPostgresUrl, loadCampaign } from "@cjeval/runner";
import { redactUrl, terminalText } from "@cjeval/provider-utils";
import { type Command, InvalidArgumentError } from "commander";
import { parseCount } from "./options.js";
import { gracefulStop } from "./graceful-stop.js";
import { loadPostgres } from "./store.js";

interface WorkerFlags {
  readonly store?: string;
  readonly concurrency?: number;
}

/** Parses a positive number of calls in flight. */
function parseConcurrency(text: string): number {
  const n = parseCount(text);
  if (n === 0) throw new InvalidArgumentError("expected at least 1");
  return n;
}

/** Registers `cje worker`. */
export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description("Make a distributed campaign's queued calls (cje run --store postgres://…) and store their results, until stopped (Ctrl-C or SIGTERM).")
    .argument("[campaign]", "the campaign file the run uses (default: the one in this folder)")
    .option(
      "--store <url>",
      "the campaign's PostgreSQL store, when the campaign's store.url is not it: postgres://user@host:port/database (password: in the URL or PGPASSWORD)",
    )
    .option(
      "--concurrency <n>",
      "calls in flight per provider in this worker (default: the provider's concurrency in the campaign; requestsPerMinute is shared by all workers)",
      parseConcurrency,
    )
    .action(async (file: string | undefined, flags: WorkerFlags) => {
      const campaign = await loadCampaign(file ?? findCampaignFile());
      const location = flags.store ?? campaign.paths.store;
      if (!isPostgresUrl(location)) {
        throw new CjeInputError("workers share a PostgreSQL store: pass --store postgres://… or set store.url in the campaign", {
          field: flags.store === undefined ? "store.url" : "--store",
          value: redactUrl(location),
        });
      }
      const stop = gracefulStop(["SIGINT", "SIGTERM"]);
      process.stderr.write(`cje worker: campaign '${campaign.config.name}' on ${redactUrl(location)}\n`);
      try {
        const { runWorker } = await loadPostgres();
        const counts = await runWorker(campaign, {
          store: location,
          signal: stop.signal,
          ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
          onProblem: (message) => process.stderr.write(`warning: ${terminalText(message)}\n`),
        });
        process.stdout.write(`${counts.completed} units completed, ${counts.failed} failed, ${counts.skipped} skipped (already stored or no longer needed)\n`);
      } finally {
        stop.release();
      }
    });
}
