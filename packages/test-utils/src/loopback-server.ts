import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the {@link LoopbackServer} received, with its whole body. */
export interface LoopbackRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Answers one request; may delay, fail or hang to inject faults. */
export type LoopbackHandler = (request: LoopbackRequest, response: ServerResponse) => void | Promise<void>;

/** A loopback HTTP server for testing provider adapters offline, with request and concurrency counters. */
export interface LoopbackServer {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request received so far, in arrival order. */
  readonly requests: readonly LoopbackRequest[];
  /** Requests being answered now. */
  readonly inFlight: number;
  /** Largest number of requests answered at once so far. */
  readonly maxInFlight: number;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

/** Writes a JSON response with `status` and extra `headers`. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  response.end(text);
}

/**
 * Starts a server on 127.0.0.1 with an OS-assigned port (it never listens on another interface). A
 * handler that throws answers 500 with the error message.
 */
export async function startLoopbackServer(handler: LoopbackHandler): Promise<LoopbackServer> {
  const requests: LoopbackRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = (): void => {
      if (!done) inFlight -= 1;
      done = true;
    };
    res.on("close", finish);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: LoopbackRequest = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(request);
      Promise.resolve()
        .then(() => handler(request, res))
        .catch((error: unknown) => {
          if (!res.headersSent) sendJson(res, 500, { error: { message: String(error) } });
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
