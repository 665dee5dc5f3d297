import http from "node:http";

/** An answer of the viewer. */
export interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * `GET path` (or `method`) on 127.0.0.1:`port` — always loopback, whatever the server is bound to — with
 * `headers` (a `host` header is sent as given, which `fetch` would not allow).
 */
export function request(port: number, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** A server-sent event. */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

/** A live stream of server-sent events from 127.0.0.1:`port`. */
export interface SseStream {
  readonly status: number;
  /** Resolves with the first event (received so far or later) that `match` accepts; each event is matched once. */
  next(match: (e: SseEvent) => boolean): Promise<SseEvent>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

/** Opens `GET path` as an event stream. */
export function openEvents(port: number, path: string): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, headers: { accept: "text/event-stream" } }, (res) => {
      const events: SseEvent[] = [];
      const waiting: { match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
      let buffer = "";
      const deliver = () => {
        for (const w of [...waiting]) {
          const at = events.findIndex(w.match);
          if (at < 0) continue;
          const [e] = events.splice(at, 1);
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve(e);
        }
      };
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
          let event = "message";
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith("event: ")) event = line.slice(7);
            else if (line.startsWith("data: ")) data.push(line.slice(6));
          }
          if (data.length > 0) events.push({ event, data: data.join("\n") });
        }
        deliver();
      });
      const ended = new Promise<void>((done) => res.on("end", done));
      resolve({
        status: res.statusCode ?? 0,
        next: (match) =>
          new Promise((found) => {
            waiting.push({ match, resolve: found });
            deliver();
          }),
        ended,
        close: () => req.destroy(),
      });
    });
    req.on("error", reject);
    req.end();
  });
}
