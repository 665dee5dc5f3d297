import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ORACLE_INCLUSION_FIELD } from "@cjeval/core/advanced";
import { formatJsonl, readToLabel } from "@cjeval/oracle";
import { chatCompletion, type LoopbackServer, sendJson, startLoopbackServer } from "@cjeval/test-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const KEY = "fake-openai-key-CLIORACLE0123456789abcdef";
const savedKey = process.env.OPENAI_API_KEY;
let server: LoopbackServer | undefined;

// The CLI runs as a child process and inherits this environment.
beforeEach(() => {
  process.env.OPENAI_API_KEY = KEY;
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (savedKey === undefined) delete process.env.OPENAI_API_KEY;
  else process.env.OPENAI_API_KEY = savedKey;
});

/** A to-label file of items it1…itN (prompt `prompt i`), unlabelled except those in `labelled`. */
async function toLabelFile(n: number, labelled: Record<number, number> = {}): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), "cje-label-oracle-")), "to-label.jsonl");
  const rows = Array.from({ length: n }, (_, k) => ({
    item_id: `it${k + 1}`,
    policy: "a",
    prompt_id: `q${k + 1}`,
    draw_idx: 0,
    judge_score: 0.5,
    [ORACLE_INCLUSION_FIELD]: 0.5,
    design_weight: 2,
    prompt: `prompt ${k + 1}`,
    response: `response ${k + 1}`,
    oracle_label: labelled[k + 1] ?? null,
  }));
  await writeFile(file, formatJsonl(rows));
  return file;
}

/**
 * OpenAI chat server answering the default 0–100 rubric with 25·(i − 1) for `prompt i` (label i on a 1–5
 * scale), or with no number at all for the items in `unparseable`.
 */
async function oracleServer(unparseable: readonly number[] = []): Promise<LoopbackServer> {
  return startLoopbackServer((req, res) => {
    const content = (JSON.parse(req.body) as { messages: Array<{ content: string }> }).messages.at(-1)?.content ?? "";
    const i = Number(/prompt (\d+)/.exec(content)?.[1]);
    const text = unparseable.includes(i) ? "Hard to say, it depends." : String(25 * (i - 1));
    sendJson(res, 200, chatCompletion(text, { id: "c", model: "oracle-model", usage: { prompt: 50, completion: 2 } }));
  });
}

const labels = async (file: string) => (await readToLabel(file)).rows.map((r) => r.oracle_label);

describe("cje label --oracle", () => {
  it("labels every pending item on the file's scale, one request each, and a second run sends nothing", async () => {
    server = await oracleServer();
    const file = await toLabelFile(5, { 2: 5 });
    const args = ["label", file, "--oracle", "openai:oracle-model", "--base-url", `${server.url}/v1`, "--concurrency", "2"];
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(await labels(file)).toEqual([1, 5, 3, 4, 5]);
    expect(server.requests).toHaveLength(4);
    expect(server.requests.every((r) => r.url === "/v1/chat/completions")).toBe(true);
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
    expect(first.stdout).toContain(`Oracle openai:oracle-model on ${file}: 4 labelled, 0 failed, 4 pending at start; 5 of 5 labelled now.`);
    expect(first.stdout).toContain("4 requests, 200 input + 8 output tokens, cost unknown (no price for oracle-model)");
    expect(first.stderr).toContain("[4/4] ");

    const second = await runCli(args);
    expect(second.code, second.stderr).toBe(0);
    expect(server.requests).toHaveLength(4);
    expect(second.stdout).toContain("0 labelled, 0 failed, 0 pending at start; 5 of 5 labelled now.");
    for (const output of [first.stdout, first.stderr, second.stdout, second.stderr, await readFile(file, "utf8")]) expect(output).not.toContain(KEY);
  });

  it("leaves an item with an unparseable answer pending, names it, labels the others and exits 1", async () => {
    server = await oracleServer([3]);
    const file = await toLabelFile(4);
    const run = await runCli(["label", file, "--oracle", "openai:oracle-model", "--base-url", `${server.url}/v1`]);
    expect(run.code).toBe(1);
    expect(await labels(file)).toEqual([1, 2, null, 4]);
    expect(server.requests).toHaveLength(4);
    expect(run.stdout).toContain("3 labelled, 1 failed, 4 pending at start; 3 of 4 labelled now.");
    expect(run.stderr).toMatch(/1 of 4 items failed and stay unlabelled[^\n]*\n\s+it3: judge gave no valid score/);
    expect(run.stderr + run.stdout).not.toContain(KEY);

    const retry = await runCli(["label", file, "--oracle", "openai:oracle-model", "--base-url", `${server.url}/v1`]);
    expect(retry.code).toBe(1);
    expect(server.requests).toHaveLength(5);
  });

  it("asks a custom rubric for labels on the file's --scale", async () => {
    let seen = "";
    server = await startLoopbackServer((req, res) => {
      seen = (JSON.parse(req.body) as { messages: Array<{ content: string }> }).messages.at(-1)?.content ?? "";
      sendJson(res, 200, chatCompletion("Rating: 7", { id: "c", model: "m", usage: null }));
    });
    const file = await toLabelFile(1);
    const rubric = path.join(path.dirname(file), "rubric.txt");
    await writeFile(rubric, "Rate 0-10.\nQ: {prompt}\nA: {response}");
    const run = await runCli(["label", file, "--oracle", "openai:m", "--rubric", rubric, "--scale", "0,10", "--base-url", `${server.url}/v1`]);
    expect(run.code, run.stderr).toBe(0);
    expect(seen).toBe("Rate 0-10.\nQ: prompt 1\nA: response 1");
    expect(await labels(file)).toEqual([7]);
  });

  it("rejects a malformed --oracle and oracle flags without --oracle", async () => {
    const file = await toLabelFile(1);
    const bad = await runCli(["label", file, "--oracle", "gpt-4o"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("expected openai:<model> or anthropic:<model>, got 'gpt-4o'");
    const stray = await runCli(["label", file, "--base-url", "http://127.0.0.1:9/v1"]);
    expect(stray.code).toBe(1);
    expect(stray.stderr).toContain("--base-url needs --oracle");
  });
});
