import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ServerResponse } from "node:http";
import BetterSqlite3 from "better-sqlite3";
import { createRng } from "@cjeval/core/advanced";
import { openPostgresStore, PostgresCampaignStore, RATE_BUCKETS_TABLE } from "@cjeval/postgres";
import { type LoopbackRequest, type LoopbackServer, sendJson, startLoopbackServer } from "@cjeval/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { chat, hashOf, judgeReply, message, oracleReply } from "./campaign-wire.js";
import { bin } from "./run-cli.js";

// `cje run --store postgres://… --no-work` with `cje worker` processes, against loopback OpenAI- and
// Anthropic-format servers that answer deterministically and fail first attempts (429, 500, 529) and log every
// request (unit, API key, time). Workers and the run are SIGKILLed; the store must end exactly as a plain
// SQLite run's, no unit may be answered twice except a call cut short by a kill, a shared request-rate cap
// must hold over all workers together, and no secret (API keys, the database password) may reach a store,
// an output or a log.

const POSTGRES_URL = process.env.CJE_TEST_POSTGRES_URL ?? "postgres://cje:cje@127.0.0.1:54329/cje_test";
const OPENAI_KEY = "fake-openai-key-DISTRIBUTED0123456789abcdef";
const ANTHROPIC_KEY = "fake-anthropic-key-DISTRIBUTED0123456789";
const PROMPTS = 24;
/** The campaign every test runs (one at a time: each test's store is dropped after it). */
const CAMPAIGN = `dist_cli_${process.pid}_${Date.now().toString(36)}`;

/** Whether the server answers (and a message when it does not); CI never skips. */
async function postgresProblem(): Promise<string | null> {
  try {
    await (await openPostgresStore(POSTGRES_URL, { campaign: "cje_probe", mode: "read" })).close();
    return null;
  } catch (error) {
    return /run the campaign first/.test((error as Error).message) ? null : (error as Error).message;
  }
}
const problem = await postgresProblem();
if (problem !== null && process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false") {
  throw new Error(`PostgreSQL is not reachable at CJE_TEST_POSTGRES_URL (${problem}); CI runs every test: start it with scripts/start-postgres.sh`);
}
if (problem !== null) console.warn(`SKIPPED: distributed CLI tests (${problem}); run scripts/start-postgres.sh to include them`);

/** A request the servers received: the unit it calls, whether it was answered with a fault, who sent it and when. */
interface Sent {
  readonly server: "openai" | "anthropic";
  readonly unit: string;
  readonly fault: boolean;
  /** The API key it carried. */
  readonly key: string;
  /** Arrival, in ms (`performance.now()` of the test process). */
  readonly at: number;
}

/** The two servers, the requests they received, and a hook called on every request (before it is answered). */
class World {
  readonly sent: Sent[] = [];
  /** The most requests in flight at once, per API key. */
  readonly maxInFlight = new Map<string, number>();
  onRequest: (count: number, request: Sent) => void = () => undefined;
  private readonly inFlight = new Map<string, number>();
  openai!: LoopbackServer;
  anthropic!: LoopbackServer;
  private readonly attempts = new Map<string, number>();

  /** `faults`: fail first attempts of about a third of the requests (default true). */
  constructor(private readonly faults = true) {}

  async start(): Promise<void> {
    this.openai = await startLoopbackServer((req, res) => this.answer("openai", req, res));
    this.anthropic = await startLoopbackServer((req, res) => this.answer("anthropic", req, res));
  }

  async close(): Promise<void> {
    await this.openai?.close();
    await this.anthropic?.close();
  }

  /** The servers' hosts (`127.0.0.1:port`). */
  hosts(): string[] {
    return [this.openai, this.anthropic].map((server) => new URL(server.url).host);
  }

  private answer(server: "openai" | "anthropic", req: LoopbackRequest, res: ServerResponse): void {
    const body = JSON.parse(req.body) as { model: string; messages: Array<{ content: string | Array<{ text: string }> }> };
    const last = body.messages.at(-1)?.content;
    const text = typeof last === "string" ? last : (last?.map((b) => b.text).join("") ?? "");
    const answer = /Answer by (\S+) to (q\d+)/.exec(text);
    const question = /Question (q\d+)/.exec(text)?.[1];
    const policyOf = (model: string) => (model === "gen-a" ? "a" : "b");
    let unit: string;
    let reply: () => void;
    if (body.model === "gen-a" || body.model === "claude-gen") {
      unit = `generate|${policyOf(body.model)}|${question}`;
      const content = `Answer by ${body.model} to ${question}`;
      reply = () => sendJson(res, 200, server === "openai" ? chat(content) : message(content));
    } else if (body.model === "judge-x") {
      unit = `judge|${policyOf(answer?.[1] ?? "")}|${answer?.[2]}`;
      reply = () => sendJson(res, 200, chat(judgeReply(answer?.[0] ?? "")));
    } else {
      unit = `label|${policyOf(answer?.[1] ?? "")}|${answer?.[2]}`;
      reply = () => sendJson(res, 200, message(oracleReply(answer?.[0] ?? "")));
    }
    const attempt = (this.attempts.get(req.body) ?? 0) + 1;
    this.attempts.set(req.body, attempt);
    const h = hashOf(req.body);
    const fault = this.faults && attempt === 1 && (h % 5 === 0 || h % 9 === 0);
    const key = String(req.headers["x-api-key"] ?? req.headers.authorization?.replace(/^Bearer /, "") ?? "");
    const sent: Sent = { server, unit, fault, key, at: performance.now() };
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    this.maxInFlight.set(key, Math.max(this.maxInFlight.get(key) ?? 0, this.inFlight.get(key) ?? 0));
    res.on("close", () => this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1));
    this.sent.push(sent);
    this.onRequest(this.sent.length, sent);
    setTimeout(
      () => {
        if (!fault) return reply();
        if (h % 5 === 0)
          return sendJson(res, 429, { error: { message: "rate limited", type: "rate_limit_error" } }, { "retry-after-ms": "5", "retry-after": "0" });
        return sendJson(res, server === "anthropic" ? 529 : 500, { error: { message: "overloaded", type: "overloaded_error" } });
      },
      2 + (h % 6),
    );
  }
}

/** Settings of {@link campaignFolder}. */
interface CampaignSettings {
  readonly prompts?: number;
  /** Per provider: concurrency per process and the shared request-rate cap. */
  readonly openai?: { concurrency?: number; requestsPerMinute?: number };
  readonly anthropic?: { concurrency?: number; requestsPerMinute?: number };
  /** The campaign's `store` setting. */
  readonly store?: { url?: string; urlEnv?: string };
}

async function campaignFolder(w: World, name: string, settings: CampaignSettings = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "cje-dist-cli-"));
  const prompts = settings.prompts ?? PROMPTS;
  await writeFile(
    path.join(dir, "prompts.jsonl"),
    `${Array.from({ length: prompts }, (_, i) => JSON.stringify({ prompt_id: `q${i}`, prompt: `Question q${i}: tell me something.` })).join("\n")}\n`,
  );
  const retry = { maxRetries: 6, baseDelayMs: 2, maxDelayMs: 20 };
  const config = {
    name,
    prompts: "prompts.jsonl",
    providers: {
      openai: { type: "openai", baseURL: `${w.openai.url}/v1`, concurrency: 3, ...retry, ...settings.openai },
      anthropic: { type: "anthropic", baseURL: w.anthropic.url, concurrency: 2, ...retry, ...settings.anthropic },
    },
    policies: [
      { name: "a", provider: "openai", model: "gen-a", system: "Be brief.", maxTokens: 64 },
      { name: "b", provider: "anthropic", model: "claude-gen", maxTokens: 64 },
    ],
    judge: { provider: "openai", model: "judge-x", topLogprobs: 0 },
    oracle: { type: "llm", provider: "anthropic", model: "claude-oracle" },
    labels: { budget: 12, seed: 4 },
    estimate: { inference: "analytic" },
    outputs: { dir: "out" },
    ...(settings.store === undefined ? {} : { store: settings.store }),
  };
  await writeFile(path.join(dir, "cje.config.json"), JSON.stringify(config, null, 2));
  return dir;
}

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const outputs: string[] = [];
const children = new Set<ChildProcess>();

/** The environment variable the campaigns that name their store in `store.urlEnv` read. */
const STORE_URL_ENV = "CJE_DIST_TEST_STORE_URL";

/** Starts `cje …` with the test's API keys (or `keys`) and the store URL in its environment. */
function cje(
  args: string[],
  keys: { openai: string; anthropic: string } = { openai: OPENAI_KEY, anthropic: ANTHROPIC_KEY },
): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, OPENAI_API_KEY: keys.openai, ANTHROPIC_API_KEY: keys.anthropic, [STORE_URL_ENV]: POSTGRES_URL },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<Finished>((resolve) =>
    child.on("close", (code, signal) => {
      children.delete(child);
      outputs.push(stdout, stderr);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, done };
}

/** The distributed run of the campaign file `config` (`--no-work`: it only queues) and `cje worker` processes on it. */
const startRun = (config: string) => cje(["run", config, "--yes", "--no-progress", "--store", POSTGRES_URL, "--no-work"]);
const startWorker = (config: string, keys?: { openai: string; anthropic: string }, extra: string[] = []) =>
  cje(["worker", config, "--store", POSTGRES_URL, ...extra], keys);

/** Drops a campaign's schema and its queues, and the rate buckets of the servers at `hosts`. */
async function dropCampaign(name: string, hosts: readonly string[]): Promise<void> {
  const store = await openPostgresStore(POSTGRES_URL, { campaign: name, mode: "read" }).catch(() => null);
  if (store === null) return;
  try {
    const { rows } = await store.db.query<{ name: string }>("SELECT name FROM pgboss.queue WHERE starts_with(name, $1)", [`cje/${store.schema}/`]);
    for (const queue of rows) {
      await store.db.query("DELETE FROM pgboss.job WHERE name = $1", [queue.name]);
      await store.db.query("SELECT pgboss.delete_queue($1)", [queue.name]);
    }
    await store.db.query(`DROP SCHEMA ${store.schema} CASCADE`);
    if ((await store.db.query<{ t: string | null }>("SELECT to_regclass($1) AS t", [RATE_BUCKETS_TABLE])).rows[0].t !== null) {
      await store.db.query(`DELETE FROM ${RATE_BUCKETS_TABLE} WHERE label LIKE ANY($1::text[])`, [hosts.map((host) => `% ${host}`)]);
    }
  } finally {
    await store.close();
  }
}

let world: World | undefined;
afterEach(async () => {
  for (const child of children) child.kill("SIGKILL");
  const hosts = world?.hosts() ?? [];
  await world?.close();
  world = undefined;
  if (problem === null) await dropCampaign(CAMPAIGN, hosts);
});

/** The units of a store without timestamps and attempt counters, as in the SQLite run test. */
const UNIT_COLUMNS =
  "key, stage, policy, prompt_id, descriptor, status, value, provider, model, input_tokens, output_tokens, cached, error, error_code, retryable";
const maskPorts = (rows: Array<Record<string, unknown>>) => JSON.parse(JSON.stringify(rows).replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT")) as unknown;

/** What one uninterrupted single-process run on SQLite stores and concludes (run once, for the tests that compare with it). */
interface Reference {
  readonly units: unknown;
  readonly analysis: unknown;
  /** Requests it sent, retries of injected faults included. */
  readonly requests: number;
}
let reference: Promise<Reference> | undefined;
function singleProcessRun(): Promise<Reference> {
  reference ??= (async () => {
    const own = new World();
    await own.start();
    try {
      const dir = await campaignFolder(own, CAMPAIGN);
      const clean = await cje(["run", path.join(dir, "cje.config.json"), "--yes", "--no-progress"]).done;
      expect(clean.code, clean.stderr).toBe(0);
      expect(own.sent.filter((s) => s.fault).length).toBeGreaterThan(5);
      const db = new BetterSqlite3(path.join(dir, "out", "campaign.sqlite"), { readonly: true });
      const units = maskPorts(db.prepare(`SELECT ${UNIT_COLUMNS} FROM units ORDER BY key`).all() as Array<Record<string, unknown>>);
      db.close();
      const analysis = JSON.parse(await readFile(path.join(dir, "out", "results.json"), "utf8")) as unknown;
      return { units, analysis, requests: own.sent.length };
    } finally {
      await own.close();
    }
  })();
  return reference;
}

/** The store of the campaign ended as the single-process run's: same units and results, same analysis, nothing leased. */
async function expectSameAsSingleProcessRun(store: PostgresCampaignStore, dir: string): Promise<void> {
  const expected = await singleProcessRun();
  expect(maskPorts((await store.db.query<Record<string, unknown>>(`SELECT ${UNIT_COLUMNS} FROM units ORDER BY key`)).rows)).toEqual(expected.units);
  expect(JSON.parse(await readFile(path.join(dir, "out", "results.json"), "utf8"))).toEqual(expected.analysis);
  expect((await store.db.query("SELECT 1 FROM job_leases")).rows).toHaveLength(0);
}

/** Successful (not faulted) requests per unit. */
function answersPerUnit(sent: readonly Sent[]): Map<string, Sent[]> {
  const answers = new Map<string, Sent[]>();
  for (const s of sent) if (!s.fault) answers.set(s.unit, [...(answers.get(s.unit) ?? []), s]);
  return answers;
}

/** The most requests `times` (ms) hold in any window of `windowMs` that starts at one of them. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((x, y) => x - y);
  let most = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end] < sorted[start] + windowMs) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

describe.skipIf(problem !== null)("cje run --store postgres:// with cje worker", () => {
  it("ends with the store of an uninterrupted SQLite run when workers and the run are SIGKILLed and started again", async () => {
    const { requests: total } = await singleProcessRun();

    // The same campaign, distributed: the run only queues; three workers call; kills at random request counts.
    world = new World();
    await world.start();
    const dir = await campaignFolder(world, CAMPAIGN);
    const config = path.join(dir, "cje.config.json");
    let run = startRun(config);
    const workers = [startWorker(config), startWorker(config), startWorker(config)];
    const rng = createRng(20261129);
    const kills = Array.from({ length: 5 }, () => 8 + Math.floor(rng.nextFloat() * (total - 24))).sort((x, y) => x - y);
    let killedWorkers = 0;
    let killedRuns = 0;
    world.onRequest = (count) => {
      if (kills.length === 0 || count < kills[0]) return;
      kills.shift();
      if (kills.length === 2 && run.child.exitCode === null) {
        run.child.kill("SIGKILL");
        killedRuns++;
        return;
      }
      const slot = killedWorkers % workers.length;
      workers[slot].child.kill("SIGKILL");
      killedWorkers++;
      workers[slot] = startWorker(config);
    };
    // A killed run is started again until one finishes (the next may find the lock not yet released).
    let finished = await run.done;
    for (let restarts = 0; finished.signal === "SIGKILL" || /in use by/.test(finished.stderr); restarts++) {
      expect(restarts).toBeLessThan(20);
      if (finished.signal !== "SIGKILL") await new Promise((resolve) => setTimeout(resolve, 200));
      run = startRun(config);
      finished = await run.done;
    }
    expect(finished.code, finished.stderr).toBe(0);
    world.onRequest = () => undefined;
    expect(killedWorkers + killedRuns).toBeGreaterThanOrEqual(4);
    expect(finished.stdout).toMatch(/Store: postgres:\/\/cje:\*\*\*@127\.0\.0\.1:\d+\/\S+ \(schema cje_dist_cli_/);

    const status = cje(["status", config, "--store", POSTGRES_URL]);
    const shown = await status.done;
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/estimate\s+1\s+0\s+0/);
    // Throughput and cost columns, read from the shared store.
    expect(shown.stdout).toMatch(/stage\s+done\s+failed\s+pending\s+in flight\s+per s \(last min\)\s+per s \(average\)\s+failed calls\s+cost/);
    expect(shown.stdout).toMatch(/Cost so far: \$\d+\.\d{4}/);
    expect(shown.stdout).toMatch(/Run: none running/);
    // The last replacement worker may still be starting on a loaded machine.
    expect(shown.stdout).toMatch(/Queue: 0 units waiting, 0 being called; [1-3] workers?: cje worker \S+:\d+/);

    for (const worker of workers) worker.child.kill("SIGTERM");
    for (const stopped of await Promise.all(workers.map((w) => w.done))) {
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stdout).toMatch(/\d+ units completed, \d+ failed, \d+ skipped/);
    }

    const store = await openPostgresStore(POSTGRES_URL, { campaign: CAMPAIGN, mode: "read" });
    expect(store).toBeInstanceOf(PostgresCampaignStore);
    try {
      await expectSameAsSingleProcessRun(store, dir);
      const expectedAnalysis = (await singleProcessRun()).analysis;
      // Calls repeated (besides the retries of injected faults) are the ones cut short by a kill, and counted.
      const repeated = [...answersPerUnit(world.sent).values()].reduce((n, answers) => n + answers.length - 1, 0);
      const { interrupted } = await store.attempts();
      expect(interrupted).toBeGreaterThanOrEqual(1);
      expect(repeated).toBeLessThanOrEqual(interrupted);

      // `cje report` reads the same store.
      const report = await cje(["report", config, "--store", POSTGRES_URL, "--json", path.join(dir, "again.json"), "--html", path.join(dir, "again.html")])
        .done;
      expect(report.code, report.stderr).toBe(0);
      expect(JSON.parse(await readFile(path.join(dir, "again.json"), "utf8"))).toEqual(expectedAnalysis);

      // No secret in the store, the queue's jobs, the outputs or any process's output.
      const password = decodeURIComponent(new URL(POSTGRES_URL).password);
      const tables = await store.db.query<{ text: string }>(
        "SELECT (SELECT string_agg(u::text, '') FROM units u) || (SELECT string_agg(m::text, '') FROM meta m) || coalesce((SELECT string_agg(j.data::text || coalesce(j.output::text, ''), '') FROM pgboss.job j WHERE starts_with(j.name, $1)), '') AS text",
        [`cje/${store.schema}/`],
      );
      const texts = [
        tables.rows[0].text,
        await readFile(path.join(dir, "out", "report.html"), "utf8"),
        await readFile(path.join(dir, "again.json"), "utf8"),
        ...outputs,
      ];
      for (const text of texts) {
        expect(text.includes(OPENAI_KEY) || text.includes(ANTHROPIC_KEY)).toBe(false);
        if (password !== "") expect(text.includes(`:${password}@`)).toBe(false);
      }
    } finally {
      await store.close();
    }
  });

  it("does every unit once with three workers on keys of their own; the two left finish the jobs of one SIGKILLed mid-run", async () => {
    world = new World();
    await world.start();
    const dir = await campaignFolder(world, CAMPAIGN);
    const config = path.join(dir, "cje.config.json");
    const keys = [0, 1, 2].map((i) => ({ openai: `${OPENAI_KEY}-worker${i}`, anthropic: `${ANTHROPIC_KEY}-worker${i}` }));
    const run = startRun(config);
    // The third works one call at a time per provider (`--concurrency 1`), the others as configured (3 and 2).
    const workers = keys.map((k, i) => startWorker(config, k, i === 2 ? ["--concurrency", "1"] : []));
    // The victim dies on its third request, with that call (and the jobs it took ahead) unfinished.
    const victim = keys[0];
    let inFlight: Sent | undefined;
    let requestsAtKill = 0;
    world.onRequest = (count, request) => {
      if (inFlight !== undefined || (request.key !== victim.openai && request.key !== victim.anthropic)) return;
      if (world?.sent.filter((s) => s.key === victim.openai || s.key === victim.anthropic).length === 3) {
        workers[0].child.kill("SIGKILL");
        inFlight = request;
        requestsAtKill = count;
      }
    };
    const finished = await run.done;
    expect(finished.code, finished.stderr).toBe(0);
    expect((await workers[0].done).signal).toBe("SIGKILL");
    expect(inFlight).toBeDefined();

    // The killed worker's presence ended with it: two workers are left.
    const shown = await cje(["status", config, "--store", POSTGRES_URL]).done;
    expect(shown.stdout).toMatch(/Queue: 0 units waiting, 0 being called; 2 workers: cje worker \S+:\d+, cje worker \S+:\d+\n/);
    for (const worker of workers.slice(1)) worker.child.kill("SIGTERM");
    const counts = (await Promise.all(workers.slice(1).map((w) => w.done))).map((stopped) => {
      expect(stopped.code, stopped.stderr).toBe(0);
      return Number(/(\d+) units completed/.exec(stopped.stdout)?.[1]);
    });
    expect(counts.every((n) => n > 0)).toBe(true);
    expect([keys[2].openai, keys[2].anthropic].map((k) => world?.maxInFlight.get(k))).toEqual([1, 1]);
    expect(world.maxInFlight.get(keys[1].openai)).toBeGreaterThan(1);

    const store = await openPostgresStore(POSTGRES_URL, { campaign: CAMPAIGN, mode: "read" });
    try {
      // Totals as the single-process run's: the same units, results, token usage and estimates.
      await expectSameAsSingleProcessRun(store, dir);
      const survivors = new Set(keys.slice(1).flatMap((k) => [k.openai, k.anthropic]));
      const later = world.sent.slice(requestsAtKill);
      // The unit the victim was calling when it died was answered to a survivor.
      expect(later.some((s) => s.unit === inFlight?.unit && !s.fault && survivors.has(s.key))).toBe(true);
      // Exactly once: a unit answered twice was first answered to the victim (a call it had in flight), and
      // such calls are counted as interrupted attempts.
      let repeated = 0;
      for (const answers of answersPerUnit(world.sent).values()) {
        repeated += answers.length - 1;
        expect(answers.slice(0, -1).every((s) => !survivors.has(s.key))).toBe(true);
      }
      const { interrupted } = await store.attempts();
      expect(interrupted).toBeGreaterThanOrEqual(1);
      expect(repeated).toBeLessThanOrEqual(interrupted);
    } finally {
      await store.close();
    }
    for (const text of outputs) expect(keys.some((k) => text.includes(k.openai) || text.includes(k.anthropic))).toBe(false);
  });

  it("keeps three workers together within a provider key's request rate", async () => {
    // R = 20 requests a second per key, shared by all processes (each could do far more: 4 calls in flight
    // against a server answering in a few ms). No injected faults: every request goes through the limit.
    const perSecond = 20;
    world = new World(false);
    await world.start();
    const limit = { concurrency: 4, requestsPerMinute: perSecond * 60 };
    const prompts = 60;
    // The campaign names its store (store.urlEnv): no process is told where it is.
    const dir = await campaignFolder(world, CAMPAIGN, { prompts, openai: limit, anthropic: limit, store: { urlEnv: STORE_URL_ENV } });
    const config = path.join(dir, "cje.config.json");
    const run = cje(["run", config, "--yes", "--no-progress", "--no-work"]);
    const workers = [cje(["worker", config]), cje(["worker", config]), cje(["worker", config])];
    const finished = await run.done;
    expect(finished.code, finished.stderr).toBe(0);
    const shown = await cje(["status", config]).done;
    expect(shown.code, shown.stderr).toBe(0);
    // Per-stage progress, throughput, errors and cost, from the store the campaign names.
    expect(shown.stdout).toMatch(new RegExp(`generate\\s+${2 * prompts}\\s+0\\s+0\\s+0\\s+\\d+\\.\\d\\d\\s+\\d+`));
    expect(shown.stdout).toMatch(new RegExp(`judge\\s+${2 * prompts - 1}\\s+1\\s+0\\s+0\\s+.*\\s1\\s+no price\\n`));
    expect(shown.stdout).toMatch(/ {2}judge: 1 unit failed with refusal \(e\.g\. judge gave no valid score/);
    expect(shown.stdout).toMatch(/Cost so far: \$0\.0000 plus calls to models without a known price \(openai\/gen-a, /);
    expect(shown.stdout).toMatch(/Queue: 0 units waiting, 0 being called; 3 workers/);
    for (const worker of workers) worker.child.kill("SIGTERM");
    const counts = (await Promise.all(workers.map((w) => w.done))).map((stopped) => Number(/(\d+) units completed/.exec(stopped.stdout)?.[1]));
    // Every worker called: the limit is shared, not met by one worker doing everything.
    expect(counts.filter((n) => n > 0)).toHaveLength(3);

    // openai: 60 generations and 120 judge calls; anthropic: 60 generations and 12 labels.
    const times = (server: Sent["server"]) => (world as World).sent.filter((s) => s.server === server).map((s) => s.at);
    expect(times("openai")).toHaveLength(3 * prompts);
    expect(times("anthropic")).toHaveLength(prompts + 12);
    for (const server of ["openai", "anthropic"] as const) {
      // At most R·1.1 a second over every 5 s window: tokens fall due at most 5·R + 1 times in 5 s, and the
      // rest is room for the jitter of a loaded machine between a token's time and its request's arrival.
      expect(busiestWindow(times(server), 5000), server).toBeLessThanOrEqual(5 * perSecond * 1.1);
    }
    // The limit is what held them back: the judge stage keeps openai's bucket busy for 6 s.
    expect(busiestWindow(times("openai"), 5000)).toBeGreaterThanOrEqual(5 * perSecond * 0.6);

    // One bucket per key, counting every call, named without the key.
    const store = await openPostgresStore(POSTGRES_URL, { campaign: CAMPAIGN, mode: "read" });
    try {
      const { rows } = await store.db.query<{ bucket: string; label: string; taken: string }>(
        `SELECT bucket, label, taken FROM ${RATE_BUCKETS_TABLE} WHERE label LIKE ANY($1::text[]) ORDER BY label`,
        [world.hosts().map((host) => `% ${host}`)],
      );
      expect(rows.map((r) => [r.label, Number(r.taken)])).toEqual([
        [`anthropic: anthropic ${world.hosts()[1]}`, prompts + 12],
        [`openai: openai ${world.hosts()[0]}`, 3 * prompts],
      ]);
      expect(JSON.stringify(rows)).not.toMatch(/fake-(openai|anthropic)-key/);
    } finally {
      await store.close();
    }
  });

  it("refuses to queue without a PostgreSQL store, and a worker without one", async () => {
    world = new World();
    await world.start();
    const dir = await campaignFolder(world, "dist_cli_refusals");
    const config = path.join(dir, "cje.config.json");
    const run = await cje(["run", config, "--yes", "--no-work"]).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--no-work .* needs a PostgreSQL store \(--store postgres:\/\/…, or store.url in the campaign\)/);
    const worker = await cje(["worker", config, "--store", path.join(dir, "local.sqlite")]).done;
    expect(worker.code).toBe(1);
    expect(worker.stderr).toMatch(/workers share a PostgreSQL store/);
    const wrong = new URL(POSTGRES_URL);
    wrong.password = "N0t-The-Pa55word";
    const denied = await cje(["status", config, "--store", wrong.toString()]).done;
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/cannot open the PostgreSQL campaign store: password authentication failed/);
    expect(denied.stderr).not.toContain("N0t-The-Pa55word");
    expect(world.sent).toHaveLength(0);
  });
});
