import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ServerResponse } from "node:http";
import BetterSqlite3 from "better-sqlite3";
import { createRng } from "@cjeval/core";
import { type LoopbackRequest, type LoopbackServer, sendJson, startLoopbackServer } from "@cjeval/provider-utils";
import { openPostgresStore, PostgresCampaignStore } from "@cjeval/runner";
import { afterEach, describe, expect, it } from "vitest";
import { bin } from "./run-cli.js";

// `cje run --store postgres://… --dispatch-only` with `cje worker` processes, against loopback OpenAI- and
// Anthropic-format servers that answer deterministically and fail first attempts (429, 500, 529). Workers and
// the run are SIGKILLed at random request counts and started again; the store must end exactly as a plain
// SQLite run's, and no secret (API keys, the database password) may reach a store, an output or a log.

const POSTGRES_URL = process.env.CJE_TEST_POSTGRES_URL ?? "postgres://cje:cje@127.0.0.1:54329/cje_test";
const OPENAI_KEY = "sk-test-DISTRIBUTED0123456789abcdef";
const ANTHROPIC_KEY = "sk-ant-test-DISTRIBUTED0123456789";
const PROMPTS = 24;
const UNPARSEABLE = "Answer by claude-gen to q5";

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

const hashOf = (text: string) => createHash("sha256").update(text).digest().readUInt32BE(0);
const chat = (content: string) => ({
  id: "chatcmpl",
  object: "chat.completion",
  created: 1,
  model: "m",
  choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content, refusal: null }, logprobs: null }],
  usage: { prompt_tokens: 40, completion_tokens: 6, total_tokens: 46 },
});
const message = (text: string) => ({
  id: "msg",
  type: "message",
  role: "assistant",
  model: "m",
  content: [{ type: "text", text }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 50, output_tokens: 4 },
});

/** The two servers, the units they were asked for, and a hook called on every request. */
class World {
  readonly sent: Array<{ unit: string; fault: boolean }> = [];
  onRequest: (count: number) => void = () => undefined;
  openai!: LoopbackServer;
  anthropic!: LoopbackServer;
  private readonly attempts = new Map<string, number>();

  async start(): Promise<void> {
    this.openai = await startLoopbackServer((req, res) => this.answer("openai", req, res));
    this.anthropic = await startLoopbackServer((req, res) => this.answer("anthropic", req, res));
  }

  async close(): Promise<void> {
    await this.openai?.close();
    await this.anthropic?.close();
  }

  private answer(kind: "openai" | "anthropic", req: LoopbackRequest, res: ServerResponse): void {
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
      reply = () => sendJson(res, 200, kind === "openai" ? chat(content) : message(content));
    } else if (body.model === "judge-x") {
      unit = `judge|${policyOf(answer?.[1] ?? "")}|${answer?.[2]}`;
      reply = () => sendJson(res, 200, chat(answer?.[0] === UNPARSEABLE ? "I cannot rate this." : String(20 + (hashOf(answer?.[0] ?? "") % 15) * 5)));
    } else {
      unit = `label|${policyOf(answer?.[1] ?? "")}|${answer?.[2]}`;
      reply = () => sendJson(res, 200, message(String(Math.min(100, 10 + (hashOf(answer?.[0] ?? "") % 15) * 6))));
    }
    const attempt = (this.attempts.get(req.body) ?? 0) + 1;
    this.attempts.set(req.body, attempt);
    const h = hashOf(req.body);
    const fault = attempt === 1 && (h % 5 === 0 || h % 9 === 0);
    this.sent.push({ unit, fault });
    this.onRequest(this.sent.length);
    setTimeout(() => {
      if (!fault) return reply();
      if (h % 5 === 0) return sendJson(res, 429, { error: { message: "rate limited", type: "rate_limit_error" } }, { "retry-after-ms": "5", "retry-after": "0" });
      return sendJson(res, kind === "anthropic" ? 529 : 500, { error: { message: "overloaded", type: "overloaded_error" } });
    }, 2 + (h % 6));
  }
}

async function campaignFolder(w: World, name: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "cje-dist-cli-"));
  await writeFile(path.join(dir, "prompts.jsonl"), Array.from({ length: PROMPTS }, (_, i) => JSON.stringify({ prompt_id: `q${i}`, prompt: `Question q${i}: tell me something.` })).join("\n") + "\n");
  const retry = { maxRetries: 6, baseDelayMs: 2, maxDelayMs: 20 };
  const config = {
    name,
    prompts: "prompts.jsonl",
    providers: {
      openai: { type: "openai", baseURL: `${w.openai.url}/v1`, concurrency: 3, ...retry },
      anthropic: { type: "anthropic", baseURL: w.anthropic.url, concurrency: 2, ...retry },
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

function cje(args: string[]): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY }, stdio: ["ignore", "pipe", "pipe"] });
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

/** Drops a campaign's schema and its queues. */
async function dropCampaign(name: string): Promise<void> {
  const store = await openPostgresStore(POSTGRES_URL, { campaign: name, mode: "read" }).catch(() => null);
  if (store === null) return;
  try {
    const { rows } = await store.db.query<{ name: string }>("SELECT name FROM pgboss.queue WHERE starts_with(name, $1)", [`cje/${store.schema}/`]);
    for (const queue of rows) {
      await store.db.query("DELETE FROM pgboss.job WHERE name = $1", [queue.name]);
      await store.db.query("SELECT pgboss.delete_queue($1)", [queue.name]);
    }
    await store.db.query(`DROP SCHEMA ${store.schema} CASCADE`);
  } finally {
    await store.close();
  }
}

let world: World | undefined;
const campaigns: string[] = [];
afterEach(async () => {
  for (const child of children) child.kill("SIGKILL");
  await world?.close();
  world = undefined;
  for (const name of campaigns.splice(0)) await dropCampaign(name);
});

/** The units of a store without timestamps and attempt counters, as in the SQLite run test. */
const UNIT_COLUMNS = "key, stage, policy, prompt_id, descriptor, status, value, provider, model, input_tokens, output_tokens, cached, error, error_code, retryable";
const maskPorts = (rows: Array<Record<string, unknown>>) => JSON.parse(JSON.stringify(rows).replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT")) as unknown;

describe.skipIf(problem !== null)("cje run --store postgres:// with cje worker", () => {
  it("ends with the store of an uninterrupted SQLite run when workers and the run are SIGKILLed and started again", async () => {
    const name = `dist_cli_${process.pid}_${Date.now().toString(36)}`;
    campaigns.push(name);

    // Reference: one uninterrupted local run on SQLite.
    world = new World();
    await world.start();
    const reference = await campaignFolder(world, name);
    const clean = await cje(["run", path.join(reference, "cje.config.json"), "--yes", "--no-progress"]).done;
    expect(clean.code, clean.stderr).toBe(0);
    const total = world.sent.length;
    expect(world.sent.filter((s) => s.fault).length).toBeGreaterThan(5);
    const db = new BetterSqlite3(path.join(reference, "out", "campaign.sqlite"), { readonly: true });
    const expectedUnits = maskPorts(db.prepare(`SELECT ${UNIT_COLUMNS} FROM units ORDER BY key`).all() as Array<Record<string, unknown>>);
    db.close();
    const expectedAnalysis = JSON.parse(await readFile(path.join(reference, "out", "results.json"), "utf8")) as unknown;
    await world.close();

    // The same campaign, distributed: the run only queues; two workers call; kills at random request counts.
    world = new World();
    await world.start();
    const dir = await campaignFolder(world, name);
    const config = path.join(dir, "cje.config.json");
    const startRun = () => cje(["run", config, "--yes", "--no-progress", "--store", POSTGRES_URL, "--dispatch-only"]);
    const startWorker = () => cje(["worker", config, "--store", POSTGRES_URL]);
    let run = startRun();
    const workers = [startWorker(), startWorker()];
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
      workers[slot] = startWorker();
    };
    // A killed run is started again until one finishes (the next may find the lock not yet released).
    let finished = await run.done;
    for (let restarts = 0; finished.signal === "SIGKILL" || /in use by/.test(finished.stderr); restarts++) {
      expect(restarts).toBeLessThan(20);
      if (finished.signal !== "SIGKILL") await new Promise((resolve) => setTimeout(resolve, 200));
      run = startRun();
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
    expect(shown.stdout).toMatch(/Run: none running/);
    // The last replacement worker may still be starting on a loaded machine.
    expect(shown.stdout).toMatch(/Queue: 0 units waiting, 0 being called; [12] workers?: cje worker \S+:\d+/);

    for (const worker of workers) worker.child.kill("SIGTERM");
    for (const stopped of await Promise.all(workers.map((w) => w.done))) {
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stdout).toMatch(/\d+ units completed, \d+ failed, \d+ skipped/);
    }

    const store = await openPostgresStore(POSTGRES_URL, { campaign: name, mode: "read" });
    expect(store).toBeInstanceOf(PostgresCampaignStore);
    try {
      expect(maskPorts((await store.db.query<Record<string, unknown>>(`SELECT ${UNIT_COLUMNS} FROM units ORDER BY key`)).rows)).toEqual(expectedUnits);
      expect(JSON.parse(await readFile(path.join(dir, "out", "results.json"), "utf8"))).toEqual(expectedAnalysis);
      // Calls repeated (besides the retries of injected faults) are the ones cut short by a kill, and counted.
      const sends = new Map<string, number>();
      for (const s of world.sent) if (!s.fault) sends.set(s.unit, (sends.get(s.unit) ?? 0) + 1);
      const repeated = [...sends.values()].reduce((n, c) => n + c - 1, 0);
      const { interrupted } = await store.attempts();
      expect(interrupted).toBeGreaterThanOrEqual(1);
      expect(repeated).toBeLessThanOrEqual(interrupted);
      expect((await store.db.query("SELECT 1 FROM job_leases")).rows).toHaveLength(0);

      // `cje report` reads the same store.
      const report = await cje(["report", config, "--store", POSTGRES_URL, "--json", path.join(dir, "again.json"), "--html", path.join(dir, "again.html")]).done;
      expect(report.code, report.stderr).toBe(0);
      expect(JSON.parse(await readFile(path.join(dir, "again.json"), "utf8"))).toEqual(expectedAnalysis);

      // No secret in the store, the queue's jobs, the outputs or any process's output.
      const password = decodeURIComponent(new URL(POSTGRES_URL).password);
      const tables = await store.db.query<{ text: string }>(
        "SELECT (SELECT string_agg(u::text, '') FROM units u) || (SELECT string_agg(m::text, '') FROM meta m) || coalesce((SELECT string_agg(j.data::text || coalesce(j.output::text, ''), '') FROM pgboss.job j WHERE starts_with(j.name, $1)), '') AS text",
        [`cje/${store.schema}/`],
      );
      const texts = [tables.rows[0].text, await readFile(path.join(dir, "out", "report.html"), "utf8"), await readFile(path.join(dir, "again.json"), "utf8"), ...outputs];
      for (const text of texts) {
        expect(text.includes(OPENAI_KEY) || text.includes(ANTHROPIC_KEY)).toBe(false);
        if (password !== "") expect(text.includes(`:${password}@`)).toBe(false);
      }
    } finally {
      await store.close();
    }
  });

  it("refuses to dispatch without a PostgreSQL store, and a worker without one", async () => {
    world = new World();
    await world.start();
    const dir = await campaignFolder(world, "dist_cli_refusals");
    const config = path.join(dir, "cje.config.json");
    const run = await cje(["run", config, "--yes", "--dispatch-only"]).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--dispatch-only .* needs --store postgres:\/\//);
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
