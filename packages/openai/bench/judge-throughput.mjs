// Judge throughput against a loopback OpenAI-compatible server with fixed latency.
// Runs the built package (build first: npx tsc -p tsconfig.build.json), with the server in a child
// process so that it does not compete with the client for the event loop, and so that the client's own CPU
// time per call can be measured (a figure the machine's load does not distort). Prints achieved throughput as a
// share of the ideal concurrency / latency, next to a bare `fetch` pool on the same server as a baseline
// for how loaded the machine is.
// Usage: node bench/judge-throughput.mjs [calls=2000] [concurrency=16] [latencyMs=50]
import { spawn } from "node:child_process";
import { mapSettled } from "@cjeval/provider-utils";
import { createOpenAI } from "../dist/index.js";

const calls = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 16);
const latencyMs = Number(process.argv[4] ?? 50);

const serverSource = `
const { createServer } = require("node:http");
const latencyMs = Number(process.env.LATENCY_MS);
const top = ["85", "80", "90", "75", "95"].map((token, i) => ({ token, logprob: -0.3 - i, bytes: null }));
const body = JSON.stringify({
  id: "chatcmpl-bench", object: "chat.completion", created: 1, model: "bench-judge",
  choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "85", refusal: null },
    logprobs: { content: [{ token: "85", logprob: -0.3, bytes: null, top_logprobs: top }], refusal: null } }],
  usage: { prompt_tokens: 180, completion_tokens: 1, total_tokens: 181 },
});
let inFlight = 0, peak = 0;
const server = createServer((req, res) => {
  inFlight++; peak = Math.max(peak, inFlight);
  req.resume();
  req.on("end", () => setTimeout(() => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body, () => { inFlight--; });
  }, latencyMs));
});
server.listen(0, "127.0.0.1", () => console.log("PORT " + server.address().port));
process.stdin.on("data", () => { console.log("PEAK " + peak); server.close(); server.closeAllConnections(); process.stdin.destroy(); });
`;
const child = spawn(process.execPath, ["-e", serverSource], { env: { ...process.env, LATENCY_MS: String(latencyMs) }, stdio: ["pipe", "pipe", "inherit"] });
const lines = [];
child.stdout.on("data", (chunk) => lines.push(...chunk.toString().trim().split("\n")));
const line = async (prefix) => {
  while (!lines.some((l) => l.startsWith(prefix))) await new Promise((resolve) => setTimeout(resolve, 10));
  return Number(lines.find((l) => l.startsWith(prefix)).slice(prefix.length));
};
const port = await line("PORT ");
const url = `http://127.0.0.1:${port}/v1`;
const ideal = concurrency / (latencyMs / 1000);
const share = (n, seconds) => `${((100 * n) / seconds / ideal).toFixed(1)}%`;

// Event-loop utilisation of the client thread: near 1 means our code is the bottleneck; well below 1 with
// a low share means the machine (other processes, the server) is.
async function timed(fn) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  const results = await mapSettled(
    Array.from({ length: calls }, (_, i) => i),
    fn,
    concurrency,
  );
  const utilisation = performance.eventLoopUtilization(elu).utilization;
  const used = process.cpuUsage(cpu);
  const cpuMsPerCall = (used.user + used.system) / 1000 / calls;
  return { seconds: (performance.now() - started) / 1000, failed: results.filter((r) => !r.ok).length, utilisation, cpuMsPerCall };
}

const baseline = await timed(() => fetch(`${url}/chat/completions`, { method: "POST", body: "{}" }).then((r) => r.json()));
const openai = createOpenAI({ baseURL: url, apiKey: "bench", concurrency });
const judge = openai.judge("bench-judge");
const run = await timed((i) => judge.judge({ prompt: `Question ${i}: what is ${i} + ${i}?`, response: `It is ${2 * i}.` }));
child.stdin.write("stop\n");
const peak = await line("PEAK ");
child.kill();

console.log(`judge calls: ${calls} (failed ${run.failed}), concurrency ${concurrency}, server latency ${latencyMs} ms, peak server concurrency ${peak}`);
console.log(
  `judge: ${run.seconds.toFixed(2)} s, ${(calls / run.seconds).toFixed(1)} calls/s of ideal ${ideal.toFixed(1)}: share ${share(calls, run.seconds)} (goal >= 95%), client event-loop utilisation ${(100 * run.utilisation).toFixed(0)}%, client CPU ${run.cpuMsPerCall.toFixed(2)} ms/call (budget at the ideal rate: ${(1000 / ideal).toFixed(2)} ms)`,
);
console.log(
  `bare fetch pool on the same server (machine baseline): share ${share(calls, baseline.seconds)}, client event-loop utilisation ${(100 * baseline.utilisation).toFixed(0)}%, client CPU ${baseline.cpuMsPerCall.toFixed(2)} ms/call`,
);
