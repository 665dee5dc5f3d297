import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ServerResponse } from "node:http";
import BetterSqlite3 from "better-sqlite3";
import { AnalysisResultSchema } from "@cjeval/core";
import { createRng } from "@cjeval/core/advanced";
import { echoCompletion, type LoopbackRequest, type LoopbackServer, sendJson, startLoopbackServer } from "@cjeval/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { chat, hashOf, judgeReply, message, oracleReply } from "./campaign-wire.js";
import { bin } from "./run-cli.js";

// A campaign against loopback OpenAI- and Anthropic-format servers that answer deterministically (so an
// interrupted campaign can be compared with an uninterrupted one) and inject faults: 429 with Retry-After,
// 500 and 529 on a request's first attempt, and a judge answer without a score (a final failure).

const OPENAI_KEY = "fake-openai-key-RUNCAMPAIGN0123456789abcdef";
const ANTHROPIC_KEY = "fake-anthropic-key-RUNCAMPAIGN0123456789";
const PROMPTS = 30;

/** One request as the servers saw it, with the campaign unit it belongs to. */
interface Sent {
  readonly unit: string;
  /** Index of the `cje run` process that sent it. */
  readonly segment: number;
  /** A fault was injected instead of an answer. */
  readonly fault: boolean;
}

const match = (text: string, re: RegExp) => re.exec(text) ?? undefined;

/** The echoed prompt with a log-prob per token (tokens: a newline, or a run of non-spaces with its leading spaces). */
function echo(prompt: string): unknown {
  return echoCompletion(prompt, { id: "cmpl", model: "lp", topLogprobs: false, logprob: (t) => -((hashOf(t) % 300) / 100) - 0.1 });
}

/** The two servers of one scenario, their request log, and the hook that kills a run at a request count. */
class World {
  readonly log: Sent[] = [];
  segment = 0;
  /** Called with the running request count; may kill the child and return true to leave the request hanging. */
  onRequest: (count: number) => boolean = () => false;
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
    const body = JSON.parse(req.body) as { model: string; prompt?: string; messages?: Array<{ content: string | Array<{ text: string }> }> };
    const last = body.messages?.at(-1)?.content;
    const text = body.prompt ?? (typeof last === "string" ? last : (last?.map((b) => b.text).join("") ?? ""));
    const answer = match(text, /Answer by (\S+) to (q\d+)/);
    const question = match(text, /Question (q\d+)/)?.[1];
    const policyOf = (model: string) => (model === "gen-a" ? "a" : "b");
    let unit: string;
    let reply: () => void;
    if (body.model === "gen-a" || body.model === "claude-gen") {
      unit = `generate|${policyOf(body.model)}|${question}`;
      const content = `Answer by ${body.model} to ${question}`;
      reply = () => sendJson(res, 200, kind === "openai" ? chat(content) : message(content));
    } else if (body.model === "judge-x") {
      unit = `judge|${policyOf(answer?.[1] ?? "")}|${answer?.[2]}`;
      reply = () => sendJson(res, 200, chat(judgeReply(answer?.[0] ?? "")));
    } else if (body.model === "lp-a" || body.model === "lp-b") {
      unit = `logprobs|${policyOf(answer?.[1] ?? "")}|${answer?.[2]}|${body.model.slice(3)}`;
      reply = () => sendJson(res, 200, echo(body.prompt ?? ""));
    } else {
      unit = `label|${policyOf(answer?.[1] ?? "")}|${answer?.[2]}`;
      reply = () => sendJson(res, 200, message(oracleReply(answer?.[0] ?? "")));
    }
    const attempt = (this.attempts.get(req.body) ?? 0) + 1;
    this.attempts.set(req.body, attempt);
    const h = hashOf(req.body);
    const fault = attempt === 1 && (h % 5 === 0 || h % 9 === 0);
    this.log.push({ unit, segment: this.segment, fault });
    if (this.onRequest(this.log.length)) return; // killed: the request hangs
    setTimeout(
      () => {
        if (!fault) return reply();
        if (h % 5 === 0)
          return sendJson(res, 429, { error: { message: "rate limited", type: "rate_limit_error" } }, { "retry-after-ms": "5", "retry-after": "0" });
        return sendJson(res, kind === "anthropic" ? 529 : 500, { error: { message: "overloaded", type: "overloaded_error" } });
      },
      2 + (h % 6),
    );
  }
}

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function campaignFolder(w: World): Promise<{ dir: string; config: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "cje-run-"));
  await writeFile(
    path.join(dir, "prompts.jsonl"),
    `${Array.from({ length: PROMPTS }, (_, i) => JSON.stringify({ prompt_id: `q${i}`, prompt: `Question q${i}: tell me something.` })).join("\n")}\n`,
  );
  const retry = { maxRetries: 6, baseDelayMs: 2, maxDelayMs: 20 };
  const config = {
    name: "loopback",
    prompts: "prompts.jsonl",
    providers: {
      openai: { type: "openai", baseURL: `${w.openai.url}/v1`, concurrency: 4, ...retry },
      anthropic: { type: "anthropic", baseURL: w.anthropic.url, concurrency: 3, ...retry },
    },
    policies: [
      { name: "a", provider: "openai", model: "gen-a", system: "Be brief.", maxTokens: 64 },
      { name: "b", provider: "anthropic", model: "claude-gen", maxTokens: 64 },
    ],
    judge: { provider: "openai", model: "judge-x", topLogprobs: 0 },
    logprobs: { provider: "openai", logging: "a", models: { a: "lp-a", b: "lp-b" } },
    oracle: { type: "llm", provider: "anthropic", model: "claude-oracle" },
    labels: { budget: 16, seed: 4 },
    estimate: { inference: "analytic" },
    outputs: { dir: "out" },
  };
  await writeFile(path.join(dir, "cje.config.json"), JSON.stringify(config, null, 2));
  return { dir, config: path.join(dir, "cje.config.json") };
}

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function startRun(config: string): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [bin, "run", config, "--yes"], {
    env: { ...process.env, OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<Finished>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** The store without timestamps, attempt counters and the run lock (server ports, which differ per scenario, masked). */
function dumpStore(file: string): { units: unknown[]; meta: unknown[] } {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const units = db
      .prepare(
        "SELECT key, stage, policy, prompt_id, descriptor, status, value, provider, model, input_tokens, output_tokens, cached, error, error_code, retryable FROM units ORDER BY key",
      )
      .all();
    const meta = (db.prepare("SELECT key, value FROM meta WHERE key <> 'lock' ORDER BY key").all() as Array<{ key: string; value: string }>).map((m) => ({
      ...m,
      value: m.value.replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT"),
    }));
    return { units, meta };
  } finally {
    db.close();
  }
}

/** Units with a stored result, named as the servers name them. */
function storedUnits(file: string): Set<string> {
  if (!existsSync(file)) return new Set();
  const db = new BetterSqlite3(file);
  try {
    const rows = db
      .prepare("SELECT stage, policy, prompt_id, descriptor FROM units WHERE status = 'done' AND stage IN ('generate', 'judge', 'logprobs', 'label')")
      .all() as Array<{
      stage: string;
      policy: string;
      prompt_id: string;
      descriptor: string;
    }>;
    return new Set(
      rows.map((r) =>
        r.stage === "logprobs"
          ? `logprobs|${r.policy}|${r.prompt_id}|${(JSON.parse(r.descriptor) as { target: string }).target}`
          : `${r.stage}|${r.policy}|${r.prompt_id}`,
      ),
    );
  } finally {
    db.close();
  }
}

describe("cje run", () => {
  it("runs a campaign against loopback OpenAI and Anthropic servers; SIGKILLed at random points and resumed, it ends with the same store", async () => {
    // Reference: one uninterrupted run.
    world = new World();
    await world.start();
    const reference = await campaignFolder(world);
    const clean = await startRun(reference.config).done;
    expect(clean.code, clean.stderr).toBe(0);
    const total = world.log.length;
    expect(world.log.filter((s) => s.fault).length).toBeGreaterThan(10);
    expect(clean.stdout).toMatch(/Report: .*report\.html/);
    const expected = dumpStore(path.join(reference.dir, "out", "campaign.sqlite"));
    const analysis = AnalysisResultSchema.parse(JSON.parse(await readFile(path.join(reference.dir, "out", "results.json"), "utf8")));
    expect(analysis.policies.map((p) => [p.policy, p.n])).toEqual([
      ["a", PROMPTS],
      ["b", PROMPTS - 1],
    ]);
    expect(analysis.policies.every((p) => p.estimate !== null && p.ci[0] !== null)).toBe(true);
    expect(analysis.diagnostics.label_design).toMatchObject({ kind: "known_propensity", n_labelled: 16 });
    await world.close();

    // The same campaign, SIGKILLed at random request counts (the request that triggers the kill hangs, others are in flight).
    world = new World();
    await world.start();
    const killed = await campaignFolder(world);
    const store = path.join(killed.dir, "out", "campaign.sqlite");
    const rng = createRng(20261128);
    const kills = Array.from({ length: 6 }, () => 1 + Math.floor(rng.nextFloat() * (total - 2))).sort((x, y) => x - y);
    const storedBefore: Set<string>[] = [];
    let killedRuns = 0;
    for (const at of kills) {
      if (world.log.length >= at) continue;
      storedBefore[world.segment] = storedUnits(store);
      const run = startRun(killed.config);
      world.onRequest = (count) => {
        if (count < at || run.child.exitCode !== null) return false;
        run.child.kill("SIGKILL");
        return true;
      };
      const finished = await run.done;
      world.onRequest = () => false;
      if (finished.signal === "SIGKILL") killedRuns++;
      world.segment++;
    }
    expect(killedRuns).toBeGreaterThanOrEqual(5);
    storedBefore[world.segment] = storedUnits(store);
    const last = await startRun(killed.config).done;
    expect(last.code, last.stderr).toBe(0);

    // No request for a unit whose result was stored before the run that sent it.
    for (const sent of world.log) expect(storedBefore[sent.segment]?.has(sent.unit), `${sent.unit} re-sent in run ${sent.segment}`).toBe(false);
    // Repeated sends (not retries of injected faults) come only from calls in flight at a kill, and the store counts them.
    const sends = new Map<string, number>();
    for (const sent of world.log) if (!sent.fault) sends.set(sent.unit, (sends.get(sent.unit) ?? 0) + 1);
    const repeated = [...sends.values()].reduce((n, c) => n + c - 1, 0);
    const db = new BetterSqlite3(store, { readonly: true });
    const { interrupted } = db.prepare("SELECT SUM(interrupted_attempts) AS interrupted FROM units").get() as { interrupted: number };
    db.close();
    expect(interrupted).toBeGreaterThanOrEqual(killedRuns);
    expect(repeated).toBeLessThanOrEqual(interrupted);
    expect(last.stdout).toContain(`${interrupted} interrupted by a stopped run`);

    // Same store contents as the uninterrupted run; same analysis.
    expect(dumpStore(store)).toEqual(expected);
    expect(JSON.parse(await readFile(path.join(killed.dir, "out", "results.json"), "utf8"))).toEqual(analysis);

    // Secrets never reach the store, the outputs or the logs.
    for (const file of [store, `${store}-wal`, path.join(killed.dir, "out", "report.html"), path.join(killed.dir, "out", "results.json")]) {
      let bytes = "";
      try {
        bytes = readFileSync(file).toString("latin1");
      } catch {
        continue;
      }
      expect(bytes.includes(OPENAI_KEY) || bytes.includes(ANTHROPIC_KEY), file).toBe(false);
    }
    for (const output of [clean.stdout, clean.stderr, last.stdout, last.stderr])
      expect(output.includes(OPENAI_KEY) || output.includes(ANTHROPIC_KEY)).toBe(false);
  });

  it("prints the cost estimate and stops on --dry-run; refuses to spend off a terminal without --yes", async () => {
    world = new World();
    await world.start();
    const { config } = await campaignFolder(world);
    const dry = await new Promise<Finished>((resolve) => {
      const child = spawn(process.execPath, [bin, "run", config, "--dry-run"], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr: "" }));
    });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/generate\s+openai\/gen-a\s+30/);
    expect(dry.stdout).toMatch(/label\s+anthropic\/claude-oracle\s+16/);
    expect(dry.stdout).toMatch(/Estimated cost: \$0\.00 \(plus .*no price known\)/);
    const refused = await new Promise<Finished>((resolve) => {
      const child = spawn(process.execPath, [bin, "run", config], { stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("close", (code, signal) => resolve({ code, signal, stdout: "", stderr }));
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/pass --yes/);
    expect(world.log).toHaveLength(0);
  });
});
