/**
 * The loopback OpenAI world of `@cjeval/test-utils` behind a gate: while the gate is closed, requests are
 * held unanswered (a run making them stays alive, mid-stage); opened, they are passed to the world. Also
 * the small campaign the store-lock and redaction tests run on it.
 */
import { spawn } from "node:child_process";
import type { ServerResponse } from "node:http";
import { loopbackPrompts, type LoopbackRequest, type LoopbackServer, type OpenAiWorld, startLoopbackServer, startOpenAiWorld } from "@cjeval/test-utils";
import { bin } from "./run-cli.js";

/** The gate and the world behind it. */
export interface GatedWorld {
  readonly world: OpenAiWorld;
  readonly gate: LoopbackServer;
  /** `baseURL` of a provider going through the gate. */
  readonly baseURL: string;
  /** Requests held so far. */
  held(): number;
  open(): void;
  close(): Promise<void>;
}

/** Starts the world and a closed gate in front of it. */
export async function startGatedWorld(): Promise<GatedWorld> {
  const world = await startOpenAiWorld();
  let opened = false;
  let held = 0;
  const waiting: Array<() => void> = [];
  const forward = async (req: LoopbackRequest, res: ServerResponse) => {
    if (!opened) {
      held++;
      await new Promise<void>((resolve) => waiting.push(resolve));
      if (res.destroyed) return; // its caller is gone (killed): the world never sees it
    }
    const answer = await fetch(`${world.server.url}${req.url.replace(/\?.*$/, "")}`, {
      method: req.method,
      headers: { "content-type": "application/json" },
      body: req.body,
    });
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(await answer.text());
  };
  const gate = await startLoopbackServer(forward);
  return {
    world,
    gate,
    baseURL: `${gate.url}/v1`,
    held: () => held,
    open: () => {
      opened = true;
      for (const resolve of waiting.splice(0)) resolve();
    },
    close: async () => {
      await gate.close();
      await world.close();
    },
  };
}

/** A campaign of two policies on `baseURL` (judge and LLM oracle on the same server), 20 labels of `a`. */
export function smallCampaign(dir: string, baseURL: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "small",
    prompts: { items: loopbackPrompts(40) },
    providers: { local: { type: "openai", baseURL, concurrency: 1, maxRetries: 0 } },
    policies: ["a", "b"].map((name) => ({ name, provider: "local", model: `gen-${name}`, maxTokens: 32 })),
    judge: { provider: "local", model: "judge-x", topLogprobs: 0 },
    oracle: { type: "llm", provider: "local", model: "oracle-x", topLogprobs: 0 },
    labels: { policies: ["a"], budget: 20, seed: 2 },
    estimate: { inference: "analytic" },
    outputs: { dir },
    ...extra,
  };
}

/** A running `cje …` process: its pid, output so far, and its end. */
export interface CliProcess {
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `cje …` with extra environment variables (a host name of its own, …). */
export function startCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  return { pid: child.pid as number, stdout: () => stdout, stderr: () => stderr, exited, kill: (signal) => void child.kill(signal) };
}

/** Runs `cje …` to its end. */
export async function runCliWith(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = startCli(args, env);
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}
