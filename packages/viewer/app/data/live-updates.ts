/**
 * Live updates from `cje view` over server-sent events (`/api/live`): `progress` events carry a campaign's
 * progress (`{ run_id, campaign }`), `run` events a whole run that replaces the one with its id.
 */
import { z } from "zod";
import { CampaignProgressSchema, type CampaignProgress, type ViewRun, ViewRunSchema } from "../../src/view-model.js";
import { describeIssues } from "./bundle-source.js";

const ProgressEventSchema = z.object({ run_id: z.string(), campaign: CampaignProgressSchema });

/** The state of the event stream. */
export type LiveStatus = "connecting" | "live" | "reconnecting" | "closed";

/** What {@link subscribeLive} reports. */
export interface LiveHandlers {
  readonly progress: (runId: string, campaign: CampaignProgress) => void;
  readonly run: (run: ViewRun) => void;
  readonly status: (status: LiveStatus) => void;
  readonly error: (message: string) => void;
}

/** Opens the event stream; returns the function that closes it. */
export function subscribeLive(token: string | null, handlers: LiveHandlers): () => void {
  const source = new EventSource(`/api/live${token === null ? "" : `?token=${encodeURIComponent(token)}`}`);
  handlers.status("connecting");
  source.addEventListener("open", () => handlers.status("live"));
  // EventSource reconnects by itself after a dropped connection, not after a refused one (an HTTP error status).
  source.addEventListener("error", () => handlers.status(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting"));
  source.addEventListener("progress", (event) => {
    const parsed = parseEvent(event, ProgressEventSchema);
    if (typeof parsed === "string") handlers.error(`progress event: ${parsed}`);
    else handlers.progress(parsed.run_id, parsed.campaign);
  });
  source.addEventListener("run", (event) => {
    const parsed = parseEvent(event, ViewRunSchema);
    if (typeof parsed === "string") handlers.error(`run event: ${parsed}`);
    else handlers.run(parsed);
  });
  return () => source.close();
}

function parseEvent<T>(event: Event, schema: z.ZodType<T>): T | string {
  let value: unknown;
  try {
    value = JSON.parse((event as MessageEvent<string>).data);
  } catch {
    return "not JSON";
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : describeIssues(parsed.error.issues);
}
