/**
 * The local labelling server (node:http): serves the labelling page and a small JSON API over a
 * {@link LabelStore}. It listens on 127.0.0.1 by default, answers only requests addressed to that
 * host (a guard against DNS rebinding), accepts labels only as JSON (so a cross-site form cannot post
 * one) and only on the label grid, and answers a label request after the label is on disk.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
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
  /** Interface to listen on (default 127.0.0.1). */
  readonly host?: string;
}

/** A running labelling server. */
export interface LabelServer {
  /** Address of the page, e.g. `http://127.0.0.1:8787/`. */
  readonly url: string;
  /** Stops accepting connections and resolves once closed (pending label writes have completed). */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4096;

/** Starts the server; resolves once it listens. */
export async function startLabelServer(options: LabelServerOptions): Promise<LabelServer> {
  const { store } = options;
  const values = scaleValues(options.scale);
  const keys = valueKeys(values);
  const host = options.host ?? "127.0.0.1";
  const nonce = randomBytes(16).toString("base64");
  const page = labelPageHtml(nonce);
  let allowedHosts = new Set<string>();
  const pending = new Set<Promise<void>>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!allowedHosts.has(req.headers.host ?? "")) return send(res, 403, "text/plain", "forbidden host");
    const url = new URL(req.url ?? "/", "http://local");
    if (req.method === "GET" && url.pathname === "/") {
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
        return send(res, 400, "text/plain", "the body must be JSON {\"label\": number | null}");
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
  return {
    url: `http://${shown}:${port}/`,
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
