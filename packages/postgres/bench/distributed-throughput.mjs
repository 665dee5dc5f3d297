// Distributed campaign throughput: N judge calls (default 100,000) of a campaign on the PostgreSQL store, made by
// 1, 2 and 4 worker processes (runWorker, as `cje worker`) of concurrency 32 while the run only queues them
// (`cje run --no-work`), against a loopback OpenAI-compatible server (a child process) that answers judge calls
// after a fixed latency (default 20 ms). The N generations the judge stage needs are made once beforehand
// (locally, answered at once), and the judge stage is cleared between worker counts.
// Prints per worker count: the judge stage's wall time and throughput against the concurrency-limited rate
// (workers × concurrency / latency), the rate the server saw, and the database's overhead per unit: its
// transactions and its statement time (pg_stat_database.active_time, over every session), per judge call.
// Needs the server of scripts/start-postgres.sh (or CJE_TEST_POSTGRES_URL). Build first: npx tsc -p tsconfig.build.json.
// Usage: node bench/distributed-throughput.mjs [judgeCalls=100000] [workers=1,2,4] [concurrency=32] [latencyMs=20]
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { resolveCampaign, runCampaign } from "@cjeval/runner";
import { openPostgresStore, runDistributedCampaign } from "../dist/index.js";

const calls = Number(process.argv[2] ?? 100_000);
const workerCounts = (process.argv[3] ?? "1,2,4").split(",").map(Number);
const concurrency = Number(process.argv[4] ?? 32);
const latencyMs = Number(process.argv[5] ?? 20);
const url = process.env.CJE_TEST_POSTGRES_URL ?? "postgres://cje:cje@127.0.0.1:54329/cje_test";
const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));

// The server: judge calls answered after the latency, generations at once. `stats` prints (and resets) the
// judge calls seen, from the first arrival to the last answer; `stop` ends it.
const serverSource = `
const { createServer } = require("node:http");
const latencyMs = Number(process.env.LATENCY_MS);
const reply = (content) => JSON.stringify({ id: "c", object: "chat.completion", created: 1, model: "bench",
  choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content, refusal: null }, logprobs: null }],
  usage: { prompt_tokens: 180, completion_tokens: 1, total_tokens: 181 } });
const judged = reply("85");
let answers = 0, judge = { calls: 0, first: 0, last: 0 };
const send = (res, body) => { res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }); res.end(body); };
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    if (!Buffer.concat(chunks).includes('"model":"bench-judge"')) return send(res, reply("answer " + ++answers));
    if (judge.calls++ === 0) judge.first = performance.now();
    setTimeout(() => { send(res, judged); judge.last = performance.now(); }, latencyMs);
  });
});
server.listen(0, "127.0.0.1", () => console.log("PORT " + server.address().port));
require("node:readline").createInterface({ input: process.stdin }).on("line", (line) => {
  if (line === "stats") { console.log("STATS " + JSON.stringify({ calls: judge.calls, seconds: (judge.last - judge.first) / 1000 })); judge = { calls: 0, first: 0, last: 0 }; }
  else { server.close(); server.closeAllConnections(); process.stdin.destroy(); }
});
process.stdin.on("end", () => process.exit(0)); // the benchmark's process ended
`;
const server = spawn(process.execPath, ["-e", serverSource], { env: { ...process.env, LATENCY_MS: String(latencyMs) }, stdio: ["pipe", "pipe", "inherit"] });
const serverLines = [];
server.stdout.on("data", (chunk) => serverLines.push(...chunk.toString().trim().split("\n")));
async function serverLine(prefix) {
  for (;;) {
    const at = serverLines.findIndex((l) => l.startsWith(prefix));
    if (at >= 0) return serverLines.splice(at, 1)[0].slice(prefix.length);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
const port = Number(await serverLine("PORT "));

// A worker process: runWorker on the campaign until SIGTERM.
const workerSource = `
const { resolveCampaign } = await import(process.env.RUNNER_CORE);
const { runWorker } = await import(process.env.RUNNER);
const { readFileSync } = await import("node:fs");
const controller = new AbortController();
process.on("SIGTERM", () => controller.abort());
process.stdin.on("end", () => controller.abort()); // the benchmark's process ended
process.stdin.resume();
const campaign = resolveCampaign(JSON.parse(readFileSync(process.env.CAMPAIGN, "utf8")), { baseDir: process.env.BASE_DIR });
process.stdout.write("READY\\n");
const counts = await runWorker(campaign, { store: process.env.STORE_URL, signal: controller.signal });
process.stdout.write("DONE " + JSON.stringify({ ...counts, cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000 }) + "\\n");
process.exit(0);
`;

const dir = await mkdtemp(path.join(tmpdir(), "cje-dbench-"));
const name = `dbench_${process.pid}`;
await writeFile(
  path.join(dir, "prompts.jsonl"),
  `${Array.from({ length: calls }, (_, i) => JSON.stringify({ prompt_id: `q${i}`, prompt: `Question ${i}: what is ${i} + ${i}?` })).join("\n")}\n`,
);
const input = {
  name,
  prompts: "prompts.jsonl",
  providers: {
    gen: { type: "openai", baseURL: `http://127.0.0.1:${port}/v1`, concurrency: 64 },
    judge: { type: "openai", baseURL: `http://127.0.0.1:${port}/v1`, concurrency },
  },
  policies: [{ name: "a", provider: "gen", model: "bench-gen", maxTokens: 64 }],
  judge: { provider: "judge", model: "bench-judge", topLogprobs: 0 },
  estimate: { inference: "analytic" },
  outputs: { dir },
};
await writeFile(path.join(dir, "campaign.json"), JSON.stringify(input));
const campaign = resolveCampaign(input, { baseDir: dir });
const quiet = { stage: () => ({ advance: () => {}, finish: () => {} }), note: () => {} };

/** Database-wide counters (all sessions; a session's counts arrive when it ends or idles). */
async function databaseStats() {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT xact_commit::float8 AS commits, active_time::float8 AS active_ms FROM pg_stat_database WHERE datname = current_database()",
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

async function sql(text, values) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

// 1. The generations, once: a local run that stops when the judge stage begins.
{
  const store = await openPostgresStore(url, { campaign: name });
  const controller = new AbortController();
  const started = performance.now();
  const progress = {
    ...quiet,
    stage: (stage) => {
      if (stage === "judge") controller.abort();
      return { advance: () => {}, finish: () => {} };
    },
  };
  await runCampaign(campaign, { yes: true, store, progress, signal: controller.signal });
  await store.close();
  console.log(`prepared ${calls} generations (local run on the PostgreSQL store, answered at once) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
const schema = (await sql("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", [`cje_${name}`])).rows[0].nspname;

// 2. The judge stage with k worker processes.
const lines = [];
for (const k of workerCounts) {
  // A clean judge stage: no judge units, no jobs left from the previous round, tables vacuumed.
  await sql(`DELETE FROM ${schema}.units WHERE stage <> 'generate'`);
  await sql("DELETE FROM pgboss.job WHERE starts_with(name, $1)", [`cje/${schema}/`]);
  await sql(`VACUUM ANALYZE ${schema}.units`);
  await sql("VACUUM ANALYZE pgboss.job");
  const env = {
    ...process.env,
    RUNNER: dist,
    RUNNER_CORE: import.meta.resolve("@cjeval/runner"),
    CAMPAIGN: path.join(dir, "campaign.json"),
    BASE_DIR: dir,
    STORE_URL: url,
  };
  const workers = Array.from({ length: k }, () => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", workerSource], { env, stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c.toString()));
    return {
      child,
      ready: new Promise((resolve) => child.stdout.once("data", resolve)),
      done: new Promise((resolve) => child.on("close", () => resolve(out))),
    };
  });
  await Promise.all(workers.map((w) => w.ready));
  await new Promise((resolve) => setTimeout(resolve, 1000)); // the workers open their stores and queues
  const before = await databaseStats();
  let judgeSeconds = 0;
  const progress = {
    ...quiet,
    stage: (stage) => {
      const started = performance.now();
      return { advance: () => {}, finish: () => stage === "judge" && (judgeSeconds = (performance.now() - started) / 1000) };
    },
  };
  const cpu = process.cpuUsage();
  const store = await openPostgresStore(url, { campaign: name });
  const summary = await runDistributedCampaign(campaign, { yes: true, store, work: false, progress, pollMs: 100 });
  await store.close();
  const runCpu = process.cpuUsage(cpu);
  for (const w of workers) w.child.kill("SIGTERM");
  const done = (await Promise.all(workers.map((w) => w.done))).map((out) => JSON.parse(/DONE (.*)/.exec(out)?.[1] ?? "{}"));
  const counts = done.map((d) => d.completed);
  const workerCpuMs = done.reduce((sum, d) => sum + d.cpuMs, 0);
  server.stdin.write("stats\n");
  const seen = JSON.parse(await serverLine("STATS "));
  await new Promise((resolve) => setTimeout(resolve, 500)); // ended sessions report their counters
  const after = await databaseStats();
  const judged = summary.stages.find((s) => s.stage === "judge");
  const ideal = (k * concurrency) / (latencyMs / 1000);
  const rate = judged.completed / judgeSeconds;
  lines.push(
    [
      String(k).padStart(7),
      judgeSeconds.toFixed(1).padStart(8),
      rate.toFixed(0).padStart(8),
      ideal.toFixed(0).padStart(6),
      `${((100 * rate) / ideal).toFixed(1)}%`.padStart(8),
      (seen.calls / seen.seconds).toFixed(0).padStart(8),
      ((after.commits - before.commits) / judged.completed).toFixed(2).padStart(10),
      ((1000 * (after.active_ms - before.active_ms)) / judged.completed).toFixed(0).padStart(10),
      ((1000 * workerCpuMs) / judged.completed).toFixed(0).padStart(11),
      ((runCpu.user + runCpu.system) / judged.completed).toFixed(0).padStart(8),
      `  ${counts.join("/")}; ${judged.completed} judged, ${summary.attempts.interrupted} interrupted, ${seen.calls} requests`,
    ].join(""),
  );
  console.log(lines.at(-1));
}

server.stdin.write("stop\n");
await sql(`DROP SCHEMA ${schema} CASCADE`);
for (const { name: queue } of (await sql("SELECT name FROM pgboss.queue WHERE starts_with(name, $1)", [`cje/${schema}/`])).rows) {
  await sql("DELETE FROM pgboss.job WHERE name = $1", [queue]);
  await sql("SELECT pgboss.delete_queue($1)", [queue]);
}
await rm(dir, { recursive: true, force: true });
console.log(
  `\ndistributed throughput: ${calls} judge calls, worker concurrency ${concurrency}, server latency ${latencyMs} ms, ${availableParallelism()} CPUs`,
);
console.log("workers  stage s  calls/s  ideal  % ideal  server/s  db tx/unit  db µs/unit  worker µs/unit  run µs/unit  units per worker");
for (const line of lines) console.log(line);
console.log(
  "(stage s: the judge stage from queueing to the last result stored; server/s: first request to last answer; db: transactions and statement time (pg_stat_database xact_commit, active_time) over all sessions; worker and run: CPU time of the worker processes (start-up included) and of the queueing run)",
);
