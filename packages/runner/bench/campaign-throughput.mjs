// Campaign throughput: a 20,000-call campaign (2 policies × 5,000 prompts: 10,000 generations + 10,000 judge
// calls) through the runner, its SQLite store and the OpenAI adapter, against a loopback OpenAI-compatible
// server with fixed latency, in a child process so that it does not compete with the runner for the event
// loop. Prints throughput as a share of the concurrency-limited rate (concurrency / latency) and the store's
// write overhead per call (time spent committing, from the store's write statistics), next to a bare `fetch`
// pool on the same server as a baseline for how loaded the machine is (2 shared cores).
// Build first: npx tsc -p tsconfig.build.json. Usage: node bench/campaign-throughput.mjs [prompts=5000] [concurrency=32] [latencyMs=30]
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { mapSettled } from "@cjeval/provider-utils";
import { openSqliteStore, resolveCampaign, runCampaign } from "../dist/index.js";

const prompts = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 32);
const latencyMs = Number(process.argv[4] ?? 30);

const serverSource = `
const { createServer } = require("node:http");
const latencyMs = Number(process.env.LATENCY_MS);
const top = ["85", "80", "90", "75", "95"].map((token, i) => ({ token, logprob: -0.3 - i, bytes: null }));
// Judge calls get a score with its top log-probs; generations get a distinct answer (so no judge request repeats).
const reply = (content, logprobs) => JSON.stringify({
  id: "chatcmpl-bench", object: "chat.completion", created: 1, model: "bench",
  choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content, refusal: null }, logprobs }],
  usage: { prompt_tokens: 180, completion_tokens: 1, total_tokens: 181 },
});
const judged = reply("85", { content: [{ token: "85", logprob: -0.3, bytes: null, top_logprobs: top }], refusal: null });
let answers = 0;
let inFlight = 0, peak = 0, requests = 0;
const server = createServer((req, res) => {
  inFlight++; peak = Math.max(peak, inFlight); requests++;
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => setTimeout(() => {
    const body = Buffer.concat(chunks).includes('"model":"bench-judge"') ? judged : reply("answer " + ++answers, null);
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body, () => { inFlight--; });
  }, latencyMs));
});
server.listen(0, "127.0.0.1", () => console.log("PORT " + server.address().port));
process.stdin.on("data", () => { console.log("PEAK " + peak); console.log("REQUESTS " + requests); server.close(); server.closeAllConnections(); process.stdin.destroy(); });
`;
const child = spawn(process.execPath, ["-e", serverSource], { env: { ...process.env, LATENCY_MS: String(latencyMs) }, stdio: ["pipe", "pipe", "inherit"] });
const lines = [];
child.stdout.on("data", (chunk) => lines.push(...chunk.toString().trim().split("\n")));
const line = async (prefix) => {
  while (!lines.some((l) => l.startsWith(prefix))) await new Promise((resolve) => setTimeout(resolve, 10));
  return Number(lines.find((l) => l.startsWith(prefix)).slice(prefix.length));
};
const port = await line("PORT ");
const folder = await mkdtemp(path.join(tmpdir(), "cje-bench-"));

// The store (its writeStats measure the time spent committing).
const store = openSqliteStore(path.join(folder, "campaign.sqlite"));

// Time spent in the calling stages, from the progress events.
const stageTimes = [];
const progress = {
  stage: (name) => {
    const started = performance.now();
    return { advance: () => {}, finish: () => stageTimes.push({ name, seconds: (performance.now() - started) / 1000 }) };
  },
  note: () => {},
};

const campaign = resolveCampaign(
  {
    name: "bench",
    prompts: { items: Array.from({ length: prompts }, (_, i) => ({ id: `q${i}`, text: `Question ${i}: what is ${i} + ${i}?` })) },
    providers: { local: { type: "openai", baseURL: `http://127.0.0.1:${port}/v1`, concurrency } },
    policies: [
      { name: "a", provider: "local", model: "bench-a", maxTokens: 64 },
      { name: "b", provider: "local", model: "bench-b", maxTokens: 64 },
    ],
    judge: { provider: "local", model: "bench-judge" },
    estimate: { inference: "analytic" },
    outputs: { dir: folder },
  },
  { baseDir: folder },
);
// Machine baseline: the same number of bare requests through a fetch pool, no SDK, no store.
const baselineStarted = performance.now();
await mapSettled(
  Array.from({ length: 2 * prompts }, (_, i) => i),
  (i) =>
    fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "bench-a", messages: [{ role: "user", content: String(i) }] }),
    }).then((r) => r.json()),
  concurrency,
);
const baselineSeconds = (performance.now() - baselineStarted) / 1000;

const cpu = process.cpuUsage();
const elu = performance.eventLoopUtilization();
const summary = await runCampaign(campaign, { yes: true, store, progress });
const utilisation = performance.eventLoopUtilization(elu).utilization;
const used = process.cpuUsage(cpu);
await store.close();
child.stdin.write("stop\n");
const peak = await line("PEAK ");
const requests = await line("REQUESTS ");
child.kill();
await rm(folder, { recursive: true, force: true });

const requestsBefore = 2 * prompts;
const calling = stageTimes.filter((s) => s.name === "generate" || s.name === "judge");
const seconds = calling.reduce((sum, s) => sum + s.seconds, 0);
const calls = summary.stages.filter((s) => s.stage === "generate" || s.stage === "judge").reduce((sum, s) => sum + s.completed, 0);
const ideal = concurrency / (latencyMs / 1000);
const rate = calls / seconds;
console.log(
  `campaign: ${calls} calls (${requests - requestsBefore} HTTP requests, failures ${summary.failures.length}), concurrency ${concurrency}, server latency ${latencyMs} ms, peak server concurrency ${peak}, status ${summary.status}`,
);
console.log(
  `throughput: ${rate.toFixed(1)} calls/s in the calling stages (${seconds.toFixed(2)} s) of ideal ${ideal.toFixed(1)}: share ${((100 * rate) / ideal).toFixed(1)}% (goal >= 90%)`,
);
const { commits, writes, commitMs } = store.writeStats;
console.log(
  `store write overhead: ${((1000 * commitMs) / calls).toFixed(1)} µs per call (${writes} writes in ${commits} commits, ${((1000 * commitMs) / commits).toFixed(1)} µs each; ` +
    `budget per call at the ideal rate: ${(1e6 / ideal).toFixed(0)} µs); client CPU ${((used.user + used.system) / 1000 / calls).toFixed(2)} ms/call, event-loop utilisation ${(100 * utilisation).toFixed(0)}%`,
);
console.log(
  `bare fetch pool on the same server (machine baseline): share ${((100 * (2 * prompts)) / baselineSeconds / ideal).toFixed(1)}%; the runner reaches ${((100 * rate) / ((2 * prompts) / baselineSeconds)).toFixed(1)}% of it`,
);
