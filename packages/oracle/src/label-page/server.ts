/**
 * The local labelling server (node:http): serves the labelling page and a small JSON API over a
 * {@link LabelStore}. It listens on 127.0.0.1 by default, answers only requests addressed to that
 * host (a guard against DNS rebinding), accepts labels only as JSON (so a cross-site form cannot post
 * one) and only on the label grid, and answers a label request after the label is on disk.
 *
 * Bound to any other address (`--host 0.0.0.0`, a LAN address), the items and the label API would be open
 * to the network, so the server then requires an access token: a random one (or `token`) that is part of
 * the URL it prints. Every request — the page, the API, the exports — must carry it, as `?token=` or as the
 * cookie the page sets when opened with it (HttpOnly, SameSite=Strict); anything else gets 403.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { isLoopbackHost } from "@cjeval/provider-utils";
import type { LabelStore } from "../label-store.js";
import { formatForLabelling } from "../oracles/export.js";
import { labelPageHtml } from "./page.js";
import { onGrid, scaleValues, valueKeys, type LabelScale } from "./scale.js";

/** Options of {@link startLabelServer}. */
export interface LabelServerOptions {
  readonly store: LabelStore;
  readonly scale: LabelScale;
  /** Port (default 0: any free port). */
  readonly port?: number;
  /** Interface to listen on (default 127.0.0.1). Any address but loopback requires the access token. */
  readonly host?: string;
  /** The access token to require off loopback (default: 32 random bytes, base64url). */
  readonly token?: string;
}

/** A running labelling server. */
export interface LabelServer {
  /** Address of the page, e.g. `http://127.0.0.1:8787/`, with `?token=…` when the bind is not loopback. */
  readonly url: string;
  /** The access token every request needs, or `null` on loopback (no token). */
  readonly token: string | null;
  /** Stops accepting connections and resolves once closed (pending label writes have completed). */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4096;
const TOKEN_COOKIE = "cje_label_token";

/** Whether `host` is a wildcard bind (every interface). */
function isWildcard(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "");
  return h === "0.0.0.0" || h === "::" || h === "0:0:0:0:0:0:0:0";
}

/** An address of this machine others can reach a wildcard bind at (the first external IPv4), else 127.0.0.1. */
function reachableAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return "127.0.0.1";
}

function sameSecret(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === TOKEN_COOKIE) return value.join("=");
  }
  return undefined;
}

/** Starts the server; resolves once it listens. */
export async function startLabelServer(options: LabelServerOptions): Promise<LabelServer> {
  const { store } = options;
  const values = scaleValues(options.scale);
  const keys = valueKeys(values);
  const host = options.host ?? "127.0.0.1";
  const token = isLoopbackHost(host) ? null : (options.token ?? randomBytes(32).toString("base64url"));
  const anyHost = token !== null && isWildcard(host);
  const nonce = randomBytes(16).toString("base64");
  const page = labelPageHtml(nonce);
  let allowedHosts = new Set<string>();
  const pending = new Set<Promise<void>>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!anyHost && !allowedHosts.has(req.headers.host ?? "")) return send(res, 403, "text/plain", "forbidden host");
    const url = new URL(req.url ?? "/", "http://local");
    const queryToken = url.searchParams.get("token") ?? undefined;
    if (token !== null && !sameSecret(queryToken, token) && !sameSecret(cookieToken(req), token)) {
      return send(res, 403, "text/plain", "forbidden: this labelling server needs its access token (open the URL cje label printed)");
    }
    if (req.method === "GET" && url.pathname === "/") {
      if (token !== null && sameSecret(queryToken, token)) {
        res.setHeader("set-cookie", `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      }
      res.setHeader(
        "content-security-policy",
        `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'`,
      );
      return send(res, 200, "text/html; charset=utf-8", page);
    }
    if (req.method === "GET" && url.pathname === "/api/state") {
      const items = store.rows.map((r) => ({ item_id: r.item_id, prompt: r.prompt, response: r.response, oracle_label: r.oracle_label }));
      return send(res, 200, "application/json", JSON.stringify({ items, values, keys, progress: store.progress() }));
    }
    if (req.method === "GET" && (url.pathname === "/export.csv" || url.pathname === "/export.jsonl")) {
      const format = url.pathname.endsWith(".csv") ? "csv" : "jsonl";
      res.setHeader("content-disposition", `attachment; filename="labels.${format}"`);
      return send(res, 200, format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson", formatForLabelling(store.rows, format));
    }
    const match = /^\/api\/labels\/([^/]+)$/.exec(url.pathname);
    if (req.method === "PUT" && match !== null) {
      if (!(req.headers["content-type"] ?? "").startsWith("application/json")) return send(res, 415, "text/plain", "labels must be sent as application/json");
      const itemId = decodeURIComponent(match[1]);
      if (!store.rows.some((r) => r.item_id === itemId)) return send(res, 404, "text/plain", `unknown item ${itemId}`);
      const body = await readBody(req);
      let label: unknown;
      try {
        label = (JSON.parse(body) as { label?: unknown }).label;
      } catch {
        return send(res, 400, "text/plain", 'the body must be JSON {"label": number | null}');
      }
      if (label !== null && !(typeof label === "number" && onGrid(values, label))) {
        return send(res, 400, "text/plain", `label ${JSON.stringify(label)} is not one of ${values.join(", ")}`);
      }
      const write = store.set(itemId, label as number | null);
      pending.add(write);
      try {
        await write;
      } finally {
        pending.delete(write);
      }
      return send(res, 200, "application/json", JSON.stringify({ progress: store.progress() }));
    }
    send(res, 404, "text/plain", "not found");
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, "text/plain", `not saved: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(":") ? `[${host}]` : host;
  allowedHosts = new Set([`${shown}:${port}`, `localhost:${port}`]);
  const reachable = isWildcard(host) ? reachableAddress() : shown;
  return {
    url: `http://${reachable}:${port}/${token === null ? "" : `?token=${token}`}`,
    token,
    async close() {
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error))));
      server.closeIdleConnections();
      await Promise.allSettled([...pending]);
      server.closeAllConnections();
      await closed;
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
