import { campaignStatus, findCampaignStore, openCampaignStore, type CampaignStatus } from "@cjeval/runner";
import type { Command } from "commander";
import { renderTable } from "../format/table.js";

interface StatusFlags {
  readonly store?: string;
  readonly json?: boolean;
}

/** A rate, or "-" when there is none. */
function rate(perSecond: number | null): string {
  return perSecond === null || perSecond === 0 ? "-" : perSecond < 10 ? perSecond.toFixed(2) : perSecond.toFixed(0);
}

/** USD, "-" for nothing spent, or "no price". */
function usd(cost: number | null): string {
  return cost === null ? "no price" : cost === 0 ? "-" : `$${cost.toFixed(4)}`;
}

/** Stage table (progress, throughput, errors, cost), the errors by code, attempts, the running process and the queue. */
function formatStatus(status: CampaignStatus, location: string): string {
  let out = `Store: ${location} (schema version ${status.schemaVersion})\n`;
  const rows = status.stages.map((s) => [
    s.stage,
    String(s.done),
    String(s.failed),
    String(s.pending),
    String(s.inFlight),
    rate(s.recentPerSecond),
    rate(s.averagePerSecond),
    String(s.failedAttempts),
    usd(s.costUsd),
  ]);
  out +=
    rows.length === 0
      ? "no units yet\n"
      : renderTable(["stage", "done", "failed", "pending", "in flight", "per s (last min)", "per s (average)", "failed calls", "cost"], rows);
  for (const s of status.stages) {
    for (const e of s.errors) out += `  ${s.stage}: ${e.units} unit${e.units === 1 ? "" : "s"} failed with ${e.code ?? "an error"} (e.g. ${e.example})\n`;
  }
  const a = status.attempts;
  out += `${a.attempts} calls attempted, ${a.failedAttempts} failed, ${a.interrupted} interrupted (called again)\n`;
  out += `Cost so far: $${status.costUsd.toFixed(4)}${status.unpriced.length === 0 ? "" : ` plus calls to models without a known price (${status.unpriced.join(", ")})`}\n`;
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
    .description("Where a campaign stands, from any machine that reaches its store: per-stage progress, throughput, errors and cost, the process running it and, for a PostgreSQL store, its queue and workers.")
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
