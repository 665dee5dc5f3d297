/**
 * The `cje view` server (node:http). It serves the page (`/`, no data in it), `/view-data.js` (which only
 * says that the data is served), the bundle at `GET /api/view`, and live changes at `GET /api/live`
 * (server-sent events: `progress` when a campaign's progress moves, `run` with the whole run when its
 * stored analysis changes, and a comment every {@link HEARTBEAT_MS}). Campaign stores are read again every
 * `pollMs`, or twice as long as the last read took when that is longer.
 *
 * It listens on 127.0.0.1 by default and answers only requests addressed to its own host and port (a
 * guard against DNS rebinding). Bound to any other address, the API needs the access token — a random one
 * unless `token` sets it — as the `x-cje-token` header or the `token` query parameter (the URL it prints
 * carries it); other requests to `/api/` get 403. The page and `/view-data.js` carry no data and need none.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CjeInputError } from "@cjeval/core";
import { readAppPage } from "./app-page.js";
import { accessToken, allowedHosts, isWildcardHost, reachableAddress, sameToken, urlHost } from "./access.js";
import { openViewSources, type ViewChange, type ViewSourcesOptions } from "./sources.js";
import { SERVED_VIEW_DATA, VIEW_DATA_FILE } from "./view-data.js";
import type { ViewRun } from "./view-model.js";

/** How often campaign stores are read again, by default. */
export const DEFAULT_POLL_MS = 1000;
/** Interval of the SSE heartbeat comment (keeps proxies and idle timeouts from closing the stream). */
export const HEARTBEAT_MS = 15_000;
/** Header carrying the access token. */
export const TOKEN_HEADER = "x-cje-token";

/** Options of {@link startViewer}. */
export interface ViewerOptions extends ViewSourcesOptions {
  /** What to show (see `openViewSources`); default: the campaigns in the working directory. */
  readonly paths?: readonly string[];
  /** Interface to listen on (default 127.0.0.1). Any address but loopback requires the access token. */
  readonly host?: string;
  /** Port (default 0: any free port). */
  readonly port?: number;
  /** The access token (at least 16 characters); default: a random one off loopback, none on loopback. */
  readonly token?: string;
  /** Milliseconds between reads of the campaign stores (default {@link DEFAULT_POLL_MS}); at least twice the last read's duration. */
  readonly pollMs?: number;
  /**
   * Receives the errors of reading a campaign store while serving (the last good state stays shown); each
   * distinct message once. Default: `process.emitWarning`.
   */
  readonly onError?: (error: Error) => void;
}

/** A running viewer. */
export interface Viewer {
  /** The page's address, e.g. `http://127.0.0.1:41234/`, with `?token=…` when there is a token. */
  readonly url: string;
  /** The access token the API needs, or `null` (loopback without `token`). */
  readonly token: string | null;
  /** The runs shown, as they stand. */
  readonly runs: readonly ViewRun[];
  /** Stops polling, ends the live streams, closes the server and the campaign stores. */
  close(): Promise<void>;
}

/** Opens the sources, starts the server and resolves once it listens. */
export async function startViewer(options: ViewerOptions = {}): Promise<Viewer> {
  const host = options.host ?? "127.0.0.1";
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  if (!(Number.isFinite(pollMs) && pollMs > 0)) throw new CjeInputError("expected a positive number of milliseconds", { field: "pollMs", value: pollMs });
  const token = accessToken(host, options.token);
  const page = await readAppPage();
  const sources = await openViewSources(options.paths ?? [], options);
  const streams = new Set<ServerResponse>();
  let hosts: ReadonlySet<string> | null = new Set<string>();

  /** The answer to a request, or `null` for the live stream. */
  const answer = (req: IncomingMessage): Answer | null => {
    if (hosts !== null && !hosts.has(req.headers.host ?? "")) return text(403, "forbidden: unknown host");
    if (req.method !== "GET" && req.method !== "HEAD") return { ...text(405, "method not allowed"), headers: { allow: "GET, HEAD" } };
    const url = new URL(req.url ?? "/", "http://viewer.invalid");
    if (url.pathname === "/" || url.pathname === "/index.html") return { status: 200, type: "text/html; charset=utf-8", body: page };
    if (url.pathname === `/${VIEW_DATA_FILE}`) return { status: 200, type: "text/javascript; charset=utf-8", body: SERVED_VIEW_DATA };
    if (!url.pathname.startsWith("/api/")) return text(404, "not found");
    const given = headerValue(req.headers[TOKEN_HEADER]) ?? url.searchParams.get("token");
    if (token !== null && !sameToken(given, token)) return text(403, "forbidden: this viewer needs its access token (open the URL cje view printed)");
    if (url.pathname === "/api/view") return { status: 200, type: "application/json; charset=utf-8", body: JSON.stringify(sources.bundle()) };
    return url.pathname === "/api/live" ? null : text(404, "not found");
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const reply = answer(req);
    if (reply === null) openStream(req, res);
    else send(req, res, reply);
  };

  const openStream = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { ...SECURITY_HEADERS, "content-type": "text/event-stream; charset=utf-8", connection: "keep-alive" });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    streams.add(res);
    res.on("close", () => streams.delete(res));
    // The page read the bundle before it connected: the progress since then, so nothing in between is missed.
    res.write(": cje view\n\n");
    for (const run of sources.runs) if (run.campaign !== null) res.write(event({ event: "progress", data: { run_id: run.id, campaign: run.campaign } }));
  };

  const server = createServer(handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (error) {
    await sources.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new CjeInputError(`cannot listen on ${urlHost(host)}:${options.port ?? 0} (${code ?? String(error)})`);
  }
  const { port } = server.address() as AddressInfo;
  hosts = allowedHosts(host, port);

  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(": ping\n\n");
  }, HEARTBEAT_MS);
  const onError = options.onError ?? ((error: Error) => process.emitWarning(error.message, { code: "CJE_VIEW_REFRESH" }));
  let reported = new Set<string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> = Promise.resolve();
  const poll = async () => {
    const { changes, errors } = await sources.refresh();
    for (const change of changes) for (const res of streams) res.write(event(change));
    // Each error once while it lasts: a store that cannot be read would otherwise repeat it every poll.
    for (const error of errors) if (!reported.has(error.message)) onError(error);
    reported = new Set(errors.map((e) => e.message));
  };
  // Reading a large store takes a while (and blocks this thread, as SQLite reads do): the next read waits at least
  // twice as long as the last took, so serving never spends more than a third of the time reading.
  const schedule = (lastMs: number) => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        const started = performance.now();
        polling = poll().finally(() => schedule(performance.now() - started));
      },
      Math.max(pollMs, 2 * lastMs),
    );
  };
  if (sources.runs.some((r) => r.kind === "campaign")) schedule(0);

  const shown = isWildcardHost(host) ? reachableAddress() : urlHost(host);
  return {
    url: `http://${shown}:${port}/${token === null ? "" : `?token=${encodeURIComponent(token)}`}`,
    token,
    get runs() {
      return sources.runs;
    },
    async close() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(heartbeat);
      await polling;
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error))));
      for (const res of streams) res.end();
      server.closeAllConnections();
      await closed;
      await sources.close();
    },
  };
}

/** Sent with every answer: nothing cached (the API carries data), sniffed, framed or given away in a Referer (the token is in the URL). */
const SECURITY_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "content-security-policy": "frame-ancestors 'none'",
} as const;

/** A whole answer. */
interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

function text(status: number, body: string): Answer {
  return { status, type: "text/plain; charset=utf-8", body };
}

function send(req: IncomingMessage, res: ServerResponse, answer: Answer): void {
  const bytes = typeof answer.body === "string" ? Buffer.from(answer.body) : answer.body;
  res.writeHead(answer.status, { ...SECURITY_HEADERS, ...answer.headers, "content-type": answer.type, "content-length": bytes.length });
  res.end(req.method === "HEAD" ? undefined : bytes);
}

/** One server-sent event (JSON has no raw line breaks, so the data is one `data:` line). */
function event(change: ViewChange): string {
  return `event: ${change.event}\ndata: ${JSON.stringify(change.data)}\n\n`;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
