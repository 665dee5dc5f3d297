// Distributed campaign throughput: the same campaign (2 policies × P prompts: generations + judge calls) against a
// loopback OpenAI-compatible server with fixed latency (a child process), run
//   1. locally on SQLite (the baseline of campaign-throughput.mjs),
//   2. locally on the PostgreSQL store (its write overhead per call),
//   3. distributed: `cje run --store postgres://… --dispatch-only` semantics with k worker processes (runWorker),
// printing calls per second of the calling stages against the concurrency-limited rate (k × concurrency / latency).
// Needs the server of scripts/start-postgres.sh (or CJE_TEST_POSTGRES_URL). Build first: npx tsc -p tsconfig.build.json.
// Usage: node bench/distributed-throughput.mjs [prompts=2500] [concurrency=32] [latencyMs=30] [workers=1,2]
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openPostgresStore, openSqliteStore, resolveCampaign, runCampaign, runDistributedCampaign } from "../dist/index.js";

const prompts = Number(process.argv[2] ?? 2500);
const concurrency = Number(process.argv[3] ?? 32);
const latencyMs = Number(process.argv[4] ?? 30);
const workerCounts = (process.argv[5] ?? "1,2").split(",").map(Number);
const url = process.env.CJE_TEST_POSTGRES_URL ?? "postgres://cje:cje@127.0.0.1:54329/cje_test";
const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));

const serverSource = `
const { createServer } = require("node:http");
const latencyMs = Number(process.env.LATENCY_MS);
let answers = 0;
const reply = (content) => JSON.stringify({ id: "c", object: "chat.completion", created: 1, model: "bench",
  choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content, refusal: null }, logprobs: null }],
  usage: { prompt_tokens: 180, completion_tokens: 1, total_tokens: 181 } });
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => setTimeout(() => {
    const body = Buffer.concat(chunks).includes('"model":"bench-judge"') ? reply("85") : reply("answer " + ++answers);
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  }, latencyMs));
});
server.listen(0, "127.0.0.1", () => console.log("PORT " + server.address().port));
// Stops when told to, or when the benchmark's process ends (its stdin closes).
process.stdin.on("data", () => { server.close(); server.closeAllConnections(); process.stdin.destroy(); });
process.stdin.on("end", () => process.exit(0));
`;
const server = spawn(process.execPath, ["-e", serverSource], { env: { ...process.env, LATENCY_MS: String(latencyMs) }, stdio: ["pipe", "pipe", "inherit"] });
const port = await new Promise((resolve) => server.stdout.once("data", (chunk) => resolve(Number(/PORT (\d+)/.exec(chunk.toString())[1]))));

// A worker process: runWorker on the campaign until SIGTERM.
const workerSource = `
const { resolveCampaign, runWorker } = await import(process.env.RUNNER);
const { readFileSync } = await import("node:fs");
const controller = new AbortController();
process.on("SIGTERM", () => controller.abort());
process.stdin.on("end", () => controller.abort()); // the benchmark's process ended
process.stdin.resume();
const campaign = resolveCampaign(JSON.parse(readFileSync(process.env.CAMPAIGN, "utf8")), { baseDir: process.env.BASE_DIR });
process.stdout.write("READY\\n");
const counts = await runWorker(campaign, { store: process.env.STORE_URL, signal: controller.signal });
process.stdout.write("DONE " + JSON.stringify(counts) + "\\n");
process.exit(0);
`;

function campaignInput(name, dir) {
  return {
    name,
    prompts: { items: Array.from({ length: prompts }, (_, i) => ({ id: `q${i}`, text: `Question ${i}: what is ${i} + ${i}?` })) },
    providers: { local: { type: "openai", baseURL: `http://127.0.0.1:${port}/v1`, concurrency } },
    policies: [
      { name: "a", provider: "local", model: "bench-a", maxTokens: 64 },
      { name: "b", provider: "local", model: "bench-b", maxTokens: 64 },
    ],
    judge: { provider: "local", model: "bench-judge", topLogprobs: 0 },
    estimate: { inference: "analytic" },
    outputs: { dir },
  };
}

/** Seconds spent in the calling stages, from the progress events. */
function stageClock() {
  const times = [];
  return {
    times,
    progress: {
      stage: (name) => {
        const started = performance.now();
        return { advance: () => {}, finish: () => times.push({ name, seconds: (performance.now() - started) / 1000 }) };
      },
      note: () => {},
    },
    seconds: () => times.filter((t) => t.name === "generate" || t.name === "judge").reduce((s, t) => s + t.seconds, 0),
  };
}

async function dropSchema(store) {
  const { rows } = await store.db.query("SELECT name FROM pgboss.queue WHERE starts_with(name, $1)", [`cje/${store.schema}/`]).catch(() => ({ rows: [] }));
  for (const queue of rows) {
    await store.db.query("DELETE FROM pgboss.job WHERE name = $1", [queue.name]);
    await store.db.query("SELECT pgboss.delete_queue($1)", [queue.name]);
  }
  await store.db.query(`DROP SCHEMA ${store.schema} CASCADE`);
}

const calls = 4 * prompts;
const lines = [];
const report = (label, seconds, processes, extra = "") => {
  const ideal = (processes * concurrency) / (latencyMs / 1000);
  const rate = calls / seconds;
  lines.push(`${label.padEnd(34)} ${rate.toFixed(0).padStart(6)} calls/s  (${seconds.toFixed(2)} s; ideal ${ideal.toFixed(0)}: ${((100 * rate) / ideal).toFixed(1)}%)${extra}`);
};

// 1. SQLite, one process.
{
  const dir = await mkdtemp(path.join(tmpdir(), "cje-dbench-"));
  const clock = stageClock();
  const store = openSqliteStore(path.join(dir, "campaign.sqlite"));
  const summary = await runCampaign(resolveCampaign(campaignInput("dbench_sqlite", dir), { baseDir: dir }), { yes: true, store, progress: clock.progress });
  await store.close();
  report("SQLite, local", clock.seconds(), 1, `; store ${((1000 * store.writeStats.commitMs) / calls).toFixed(0)} µs/call; ${summary.status}`);
  await rm(dir, { recursive: true, force: true });
}

// 2. PostgreSQL store, one process, local executor.
{
  const dir = await mkdtemp(path.join(tmpdir(), "cje-dbench-"));
  const name = `dbench_pg_${process.pid}`;
  const clock = stageClock();
  const store = await openPostgresStore(url, { campaign: name });
  const summary = await runCampaign(resolveCampaign(campaignInput(name, dir), { baseDir: dir }), { yes: true, store, progress: clock.progress });
  const { commits, writes, commitMs } = store.writeStats;
  report("PostgreSQL store, local", clock.seconds(), 1, `; commits ${((1000 * commitMs) / calls).toFixed(0)} µs/call summed over parallel batches (${writes} writes in ${commits} commits); ${summary.status}`);
  await dropSchema(store);
  await store.close();
  await rm(dir, { recursive: true, force: true });
}

// 3. Distributed: a dispatching run and k worker processes.
for (const k of workerCounts) {
  const dir = await mkdtemp(path.join(tmpdir(), "cje-dbench-"));
  const name = `dbench_dist_${k}_${process.pid}`;
  const input = campaignInput(name, dir);
  await writeFile(path.join(dir, "campaign.json"), JSON.stringify(input));
  const env = { ...process.env, RUNNER: dist, CAMPAIGN: path.join(dir, "campaign.json"), BASE_DIR: dir, STORE_URL: url };
  const workers = Array.from({ length: k }, () => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", workerSource], { env, stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c.toString()));
    return { child, ready: new Promise((resolve) => child.stdout.once("data", resolve)), done: new Promise((resolve) => child.on("close", () => resolve(out))) };
  });
  await Promise.all(workers.map((w) => w.ready));
  const clock = stageClock();
  const store = await openPostgresStore(url, { campaign: name });
  const summary = await runDistributedCampaign(resolveCampaign(input, { baseDir: dir }), { yes: true, store, dispatchOnly: true, progress: clock.progress, pollMs: 100 });
  for (const w of workers) w.child.kill("SIGTERM");
  const counts = (await Promise.all(workers.map((w) => w.done))).map((out) => JSON.parse(/DONE (.*)/.exec(out)?.[1] ?? "{}").completed);
  report(`distributed, ${k} worker process${k === 1 ? "" : "es"}`, clock.seconds(), k, `; units per worker ${counts.join("/")}; ${summary.status}, interrupted ${summary.attempts.interrupted}`);
  await dropSchema(store);
  await store.close();
  await rm(dir, { recursive: true, force: true });
}

server.stdin.write("stop\n");
console.log(`distributed throughput: ${calls} calls (2 policies × ${prompts} prompts, generate + judge), concurrency ${concurrency} per process, server latency ${latencyMs} ms`);
for (const line of lines) console.log(line);
