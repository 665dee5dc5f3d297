import { campaignStatus, findCampaignStore, type CampaignStatus } from "@cjeval/runner";
import { setTimeout as sleep } from "node:timers/promises";
import { type Command, InvalidArgumentError } from "commander";
import { terminalLine } from "@cjeval/provider-utils";
import { renderTable } from "../format/table.js";
import { openStore } from "./store.js";

interface StatusFlags {
  readonly store?: string;
  readonly json?: boolean;
  /** Seconds between refreshes (`--watch` alone: {@link DEFAULT_WATCH_SECONDS}). */
  readonly watch?: number | true;
}

/** Refresh interval of `cje status --watch` without a value. */
const DEFAULT_WATCH_SECONDS = 2;

function parseSeconds(text: string): number {
  const x = Number(text);
  if (!(Number.isFinite(x) && x > 0)) throw new InvalidArgumentError(`expected a number of seconds > 0, got '${text}'`);
  return x;
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
  // Everything here was read from the store (written by any process, or by hand): printed as plain lines.
  const t = terminalLine;
  let out = `Store: ${t(location)} (schema version ${status.schemaVersion})\n`;
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
    for (const e of s.errors)
      out += `  ${t(s.stage)}: ${e.units} unit${e.units === 1 ? "" : "s"} failed with ${t(e.code ?? "an error")} (e.g. ${t(e.example)})\n`;
  }
  const a = status.attempts;
  out += `${a.attempts} calls attempted, ${a.failedAttempts} failed, ${a.interrupted} interrupted (called again)\n`;
  out += `Cost so far: $${status.costUsd.toFixed(4)}${status.unpriced.length === 0 ? "" : ` plus calls to models without a known price (${t(status.unpriced.join(", "))})`}\n`;
  out += `Run: ${t(status.runner ?? "none running")}\n`;
  if (status.queue !== null) {
    const { queued, active, workers } = status.queue;
    out += `Queue: ${queued} units waiting, ${active} being called; ${workers.length} worker${workers.length === 1 ? "" : "s"}${workers.length === 0 ? "" : `: ${t(workers.join(", "))}`}\n`;
  }
  return out;
}

/** Registers `cje status`. */
export function registerStatusCommand(program: Command): void {
  program
    .command("status")
    .description(
      "Where a campaign stands, from any machine that reaches its store: per-stage progress, throughput, errors and cost, the process running it and, for a PostgreSQL store, its queue and workers.",
    )
    .argument("[campaign]", "campaign file or its .sqlite store (default: the campaign file in this folder)")
    .option("--store <url>", "the campaign's store instead of its outputs.store: postgres://… or a .sqlite file")
    .option("--json", "print the status as JSON (with --watch: one JSON line per refresh)")
    .option("--watch [seconds]", `refresh every few seconds (default ${DEFAULT_WATCH_SECONDS}) until Ctrl-C`, parseSeconds)
    .action(async (target: string | undefined, flags: StatusFlags) => {
      const found = await findCampaignStore(target, flags.store);
      const store = await openStore(found.location, { campaign: found.campaign, mode: "read" });
      const stopped = new AbortController();
      const stop = () => stopped.abort();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      try {
        const seconds = flags.watch === undefined ? null : flags.watch === true ? DEFAULT_WATCH_SECONDS : flags.watch;
        for (;;) {
          const status = await campaignStatus(store);
          if (flags.json === true) process.stdout.write(seconds === null ? `${JSON.stringify(status, null, 2)}\n` : `${JSON.stringify(status)}\n`);
          else if (seconds === null) process.stdout.write(formatStatus(status, store.location));
          else {
            // On a terminal the table is redrawn in place; piped, each refresh follows the last under its time.
            const header = process.stdout.isTTY === true ? "\x1b[2J\x1b[H" : `--- ${status.at}\n`;
            process.stdout.write(`${header}${formatStatus(status, store.location)}`);
          }
          if (seconds === null) break;
          try {
            await sleep(seconds * 1000, undefined, { signal: stopped.signal });
          } catch {
            break; // stopped while waiting
          }
        }
      } finally {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        await store.close();
      }
    });
}
