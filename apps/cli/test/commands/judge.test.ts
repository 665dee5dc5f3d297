import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chatCompletion, type LoopbackServer, sendJson, startLoopbackServer } from "@cjeval/test-utils";
import { Command, CommanderError } from "commander";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerJudgeCommand } from "../../src/commands/judge.js";

const KEY = "fake-openai-key-CLIJUDGE0123456789abcdef";
let server: LoopbackServer | undefined;
let folder: string;
let stderr: string[];
const saved = { openai: process.env.OPENAI_API_KEY, anthropic: process.env.ANTHROPIC_API_KEY };

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "cje-cli-judge-"));
  stderr = [];
  process.env.OPENAI_API_KEY = KEY;
  process.env.ANTHROPIC_API_KEY = KEY;
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const [name, value] of [
    ["OPENAI_API_KEY", saved.openai],
    ["ANTHROPIC_API_KEY", saved.anthropic],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

async function run(args: string[]): Promise<number> {
  const program = new Command("cje").exitOverride().configureOutput({ writeOut: () => {}, writeErr: (s) => void stderr.push(s) });
  registerJudgeCommand(program);
  try {
    await program.parseAsync(["judge", ...args], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
}

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ prompt_id: `p${i}`, prompt: `question ${i}`, response: `answer ${i}`, policy: "base" }));
async function writeRows(records: unknown[]): Promise<string> {
  const file = join(folder, "rows.jsonl");
  await writeFile(file, `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
  return file;
}
const readOut = async (file: string) =>
  (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** OpenAI chat server: scores `question i` as 10·i with logprobs, except question 3 (400) and 4 (a refusal). */
async function openAIJudgeServer(): Promise<LoopbackServer> {
  return startLoopbackServer((req, res) => {
    const content = (JSON.parse(req.body) as { messages: Array<{ content: string }> }).messages.at(-1)?.content ?? "";
    const i = Number(/question (\d+)/.exec(content)?.[1]);
    setTimeout(
      () => {
        if (i === 3) return sendJson(res, 400, { error: { message: `prompt rejected for ${String(req.headers.authorization)}` } });
        const text = i === 4 ? "I'm sorry, I can't rate that." : String(10 * i);
        sendJson(
          res,
          200,
          chatCompletion(text, {
            id: "c",
            model: "j",
            logprobs: [
              {
                token: text,
                logprob: -0.2,
                top: [
                  [text, -0.2],
                  ["99", -1.8],
                ],
              },
            ],
            usage: { prompt: 100, completion: 1 },
          }),
        );
      },
      20 - 3 * i,
    ); // later rows answer first: output order must still follow input order
  });
}

describe("cje judge", () => {
  it("scores rows in input order, writes failures with an error field, exits 1, and never leaks the key", async () => {
    server = await openAIJudgeServer();
    const input = await writeRows(rows(6));
    const out = join(folder, "scored.jsonl");
    const code = await run(["--in", input, "--out", out, "--provider", "openai", "--model", "judge-x", "--base-url", server.url, "--concurrency", "3"]);
    expect(code).toBe(1);
    const output = await readOut(out);
    expect(output.map((r) => r.prompt_id)).toEqual(["p0", "p1", "p2", "p3", "p4", "p5"]);
    for (const i of [0, 1, 2, 5]) {
      expect(output[i]).toMatchObject({ policy: "base", judge_score: (10 * i) / 100, judge_score_native: 10 * i, judge_raw: String(10 * i) });
      expect(output[i].judge_score_mass as number).toBeCloseTo(Math.exp(-0.2) + Math.exp(-1.8), 10);
      expect(output[i].error).toBeUndefined();
    }
    expect(output[3].error).toMatch(/HTTP 400/);
    expect(output[3].judge_score).toBeUndefined();
    expect(output[4]).toMatchObject({ judge_raw: "I'm sorry, I can't rate that." });
    expect(output[4].error).toMatch(/refus/);
    const log = stderr.join("");
    expect(log).toContain("judged 6 rows: 4 ok, 2 failed");
    expect(log).toContain("2 of 6 rows failed");
    expect(log).toContain("cost unknown (no price for judge-x)");
    expect(await readFile(out, "utf8")).not.toContain(KEY);
    expect(log).not.toContain(KEY);
    expect(server.maxInFlight).toBeLessThanOrEqual(3);
  });

  it("re-runs from --cache without requests, exit 0 when every row succeeds", async () => {
    server = await openAIJudgeServer();
    const input = await writeRows(rows(3));
    const args = [
      "--in",
      input,
      "--out",
      join(folder, "a.jsonl"),
      "--provider",
      "openai",
      "--model",
      "gpt-4o-mini",
      "--base-url",
      server.url,
      "--cache",
      join(folder, "cache"),
    ];
    expect(await run(args)).toBe(0);
    expect(server.requests).toHaveLength(3);
    expect(await run(args)).toBe(0);
    expect(server.requests).toHaveLength(3);
    expect(stderr.at(-1)).toContain("0 requests, 3 from cache");
  });

  it("judges with Anthropic through the same command", async () => {
    server = await startLoopbackServer((_req, res) =>
      sendJson(res, 200, {
        id: "m",
        type: "message",
        role: "assistant",
        model: "claude",
        content: [{ type: "text", text: "Score: 64" }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 30, output_tokens: 4 },
      }),
    );
    const input = await writeRows(rows(2));
    const out = join(folder, "claude.jsonl");
    expect(await run(["--in", input, "--out", out, "--provider", "anthropic", "--model", "claude-3-5-haiku-20241022", "--base-url", server.url])).toBe(0);
    expect((await readOut(out)).map((r) => r.judge_score_native)).toEqual([64, 64]);
    expect(server.requests[0].url).toBe("/v1/messages");
    expect(stderr.join("")).toContain("cost $0.0001");
  });

  it("judges with any AI SDK model: --provider ai-sdk names the provider package, its factory and options", async () => {
    server = await openAIJudgeServer();
    process.env.CJE_TEST_AI_SDK_KEY = KEY;
    const input = await writeRows(rows(6));
    const out = join(folder, "ai-sdk.jsonl");
    const args = ["--in", input, "--out", out, "--provider", "ai-sdk", "--module", "@ai-sdk/openai-compatible", "--factory", "createOpenAICompatible"];
    const code = await run([
      ...args,
      "--options",
      '{"name":"loop"}',
      "--base-url",
      `${server.url}/v1`,
      "--api-key-env",
      "CJE_TEST_AI_SDK_KEY",
      "--model",
      "judge-x",
      "--concurrency",
      "3",
    ]);
    delete process.env.CJE_TEST_AI_SDK_KEY;
    expect(code).toBe(1);
    const output = await readOut(out);
    expect(output.map((r) => r.judge_score_native)).toEqual([0, 10, 20, undefined, undefined, 50]);
    expect(output[3].error).toMatch(/HTTP 400/);
    expect(output[4]).toMatchObject({ judge_raw: "I'm sorry, I can't rate that." });
    expect(server.requests).toHaveLength(6);
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
    expect(stderr.join("")).toContain("judged 6 rows: 4 ok, 2 failed");
    expect(await readFile(out, "utf8")).not.toContain(KEY);
    expect(stderr.join("")).not.toContain(KEY);
    const missing = await run([...args.slice(0, 6), "--model", "m"]).catch((e: unknown) => e);
    expect(String((missing as Error).message)).toMatch(/--provider ai-sdk needs --module/);
  });

  it("rejects a bad row before sending anything, naming file, line, field and value", async () => {
    server = await openAIJudgeServer();
    const input = await writeRows([rows(1)[0], { prompt_id: "p1", prompt: "q", response: 42 }]);
    const error = await run(["--in", input, "--out", join(folder, "x.jsonl"), "--provider", "openai", "--model", "m", "--base-url", server.url]).catch(
      (e: unknown) => e,
    );
    expect(String((error as Error).message)).toBe(`${input}:2: field 'response' = 42: must be a string`);
    expect(server.requests).toHaveLength(0);
  });

  it("uses a custom rubric template and scale", async () => {
    let seen = "";
    server = await startLoopbackServer((req, res) => {
      seen = (JSON.parse(req.body) as { messages: Array<{ content: string }> }).messages[0].content;
      sendJson(res, 200, chatCompletion("Rating: 4", { id: "c", model: "j", usage: null }));
    });
    const template = join(folder, "rubric.txt");
    await writeFile(template, "Rate 1-5.\nQ: {prompt}\nA: {response}");
    const input = await writeRows(rows(1));
    const out = join(folder, "t.jsonl");
    expect(
      await run(["--in", input, "--out", out, "--provider", "openai", "--model", "m", "--base-url", server.url, "--template", template, "--scale", "1,5"]),
    ).toBe(0);
    expect(seen).toBe("Rate 1-5.\nQ: question 0\nA: answer 0");
    expect((await readOut(out))[0]).toMatchObject({ judge_score: 0.75, judge_score_native: 4 });
  });
});
