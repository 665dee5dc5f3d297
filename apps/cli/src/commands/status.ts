import { campaignStatus, findCampaignStore, openCampaignStore, type CampaignStatus } from "@cjeval/runner";
import type { Command } from "commander";
import { renderTable } from "../format/table.js";

interface StatusFlags {
  readonly store?: string;
  readonly json?: boolean;
}

/** Stage table, attempts, the running process and the queue. */
function formatStatus(status: CampaignStatus, location: string): string {
  let out = `Store: ${location} (schema version ${status.schemaVersion})\n`;
  const rows = status.stages.map((s) => [s.stage, String(s.done), String(s.failed), String(s.pending)]);
  out += rows.length === 0 ? "no units yet\n" : renderTable(["stage", "done", "failed", "pending"], rows);
  const a = status.attempts;
  out += `${a.attempts} calls attempted, ${a.failedAttempts} failed, ${a.interrupted} interrupted (called again)\n`;
  out += `Run: ${status.runner ?? "none running"}\n`;
  if (status.queue !== null) {
    const { queued, active, workers } = status.queue;
    out += `Queue: ${queued} units waiting, ${active} being called; ${workers.length} worker${workers.length === 1 ? "" : "s"}${workers.length === 0 ? "" : `: ${workers.join(", ")}`}\n`;
  }
  return out;
}

/** Registers `cje status`. */
export function registerStatusCommand(program: Command): void {
  program
    .command("status")
    .description("Where a campaign stands: units per stage, attempts, the process running it and, for a PostgreSQL store, its queue and workers.")
    .argument("[campaign]", "campaign file or its .sqlite store (default: the campaign file in this folder)")
    .option("--store <url>", "the campaign's store instead of its outputs.store: postgres://… or a .sqlite file")
    .option("--json", "print the status as JSON")
    .action(async (target: string | undefined, flags: StatusFlags) => {
      const found = await findCampaignStore(target, flags.store);
      const store = await openCampaignStore(found.location, { campaign: found.campaign, mode: "read" });
      try {
        const status = await campaignStatus(store);
        process.stdout.write(flags.json === true ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status, store.location));
      } finally {
        await store.close();
      }
    });
}
