import { chatCompletion } from "./openai-wire.js";
import { type LoopbackServer, sendJson, startLoopbackServer } from "./loopback-server.js";

/** What the fault server does on one attempt of a row. */
export type FaultAction = "ok" | "429" | "500" | "503-retry-after-ms" | "400" | "401" | "slow" | "malformed" | "no-logprobs";

/** A fault server and the attempts it saw, by row. */
export interface FaultServer {
  readonly server: LoopbackServer;
  readonly attempts: Map<number, number>;
}

/**
 * An OpenAI-compatible chat server on 127.0.0.1 whose answer to row i (the first message holds `row-i`) on
 * attempt k is `plan(i)[k]` (the last entry repeats): a judge score `i` with log-probs, a 429 with
 * Retry-After 3 s, a 500, a 503 with retry-after-ms 2500, a 400, a 401 that echoes the Authorization header
 * (so a test can check the key never leaks), a success after 4 s, a truncated body, or a reply without
 * log-probs. Each answer waits 5–20 ms, so requests overlap.
 */
export async function startFaultServer(plan: (row: number) => readonly FaultAction[]): Promise<FaultServer> {
  const attempts = new Map<number, number>();
  const server = await startLoopbackServer((req, res) => {
    const body = JSON.parse(req.body) as { messages: Array<{ content: string }> };
    const row = Number(/row-(\d+)/.exec(body.messages[0].content)?.[1]);
    const k = attempts.get(row) ?? 0;
    attempts.set(row, k + 1);
    const actions = plan(row);
    const action = actions[Math.min(k, actions.length - 1)];
    const good = () =>
      chatCompletion(String(row), {
        logprobs: [
          {
            token: String(row),
            logprob: -0.1,
            top: [
              [String(row), -0.1],
              ["50", -2.5],
            ],
          },
        ],
      });
    setTimeout(
      () => {
        if (action === "429") sendJson(res, 429, { error: { message: "Rate limit reached", type: "requests" } }, { "retry-after": "3" });
        else if (action === "500") sendJson(res, 500, { error: { message: "server had an error" } });
        else if (action === "503-retry-after-ms") sendJson(res, 503, { error: { message: "overloaded" } }, { "retry-after-ms": "2500" });
        else if (action === "400") sendJson(res, 400, { error: { message: "context_length_exceeded" } });
        else if (action === "401") sendJson(res, 401, { error: { message: `Incorrect API key provided: ${String(req.headers.authorization)}` } });
        else if (action === "malformed") {
          res.writeHead(200, { "content-type": "application/json" });
          res.end('{"id": "chatcmpl-1", "choices": [{"message": ');
        } else if (action === "no-logprobs") sendJson(res, 200, chatCompletion(String(row)));
        else if (action === "slow") setTimeout(() => sendJson(res, 200, good()), 4000);
        else sendJson(res, 200, good());
      },
      5 + (row % 4) * 5,
    );
  });
  return { server, attempts };
}
