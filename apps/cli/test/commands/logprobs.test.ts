import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { echoCompletion, type LoopbackServer, sendJson, startLoopbackServer } from "@cjeval/test-utils";
import { Command, CommanderError } from "commander";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerLogprobsCommand } from "../../src/commands/logprobs.js";

let server: LoopbackServer | undefined;
let folder: string;
let stderr: string[];

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "cje-cli-lp-"));
  stderr = [];
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(args: string[]): Promise<number> {
  const program = new Command("cje").exitOverride().configureOutput({ writeOut: () => {}, writeErr: (s) => void stderr.push(s) });
  registerLogprobsCommand(program);
  try {
    await program.parseAsync(["logprobs", ...args], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
}

/** Each character is a token with log-prob −0.1 (the first has none), echoed vLLM-style; prompts containing "BROKEN" get +0.5. */
async function echoServer(): Promise<LoopbackServer> {
  return startLoopbackServer((req, res) => {
    const { prompt } = JSON.parse(req.body) as { prompt: string };
    sendJson(
      res,
      200,
      echoCompletion(prompt, { id: "cmpl", model: "m", tokens: [...prompt], topLogprobs: false, logprob: () => (prompt.includes("BROKEN") ? 0.5 : -0.1) }),
    );
  });
}

async function writeRows(records: unknown[]): Promise<string> {
  const file = join(folder, "logged.jsonl");
  await writeFile(file, `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
  return file;
}
const readOut = async (file: string) =>
  (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("cje logprobs", () => {
  it("adds target_policy_logprobs.<policy>, keeps other policies and order, reports failed rows with null and exits 1", async () => {
    server = await echoServer();
    const input = await writeRows([
      { prompt_id: 1, prompt: "Hi", response: "Hello", target_policy_logprobs: { other: -3 } },
      { prompt_id: 2, prompt: "BROKEN", response: "x" },
      { prompt_id: 3, prompt: "Yo", response: "Hey there" },
    ]);
    const out = join(folder, "lp.jsonl");
    const code = await run([
      "--in",
      input,
      "--out",
      out,
      "--provider",
      "openai",
      "--base-url",
      server.url,
      "--model",
      "m",
      "--policy",
      "pi_clone",
      "--system-prompt",
      "Be nice.",
    ]);
    expect(code).toBe(1);
    const sent = JSON.parse(server.requests[0].body) as { prompt: string; echo: boolean };
    expect(sent.prompt).toBe("<|im_start|>system\nBe nice.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>");
    const rows = await readOut(out);
    expect(rows.map((r) => r.prompt_id)).toEqual([1, 2, 3]);
    // reply tokens = characters of "Hello<|im_end|>" (15), each −0.1
    expect((rows[0].target_policy_logprobs as Record<string, number>).pi_clone).toBeCloseTo(-1.5, 10);
    expect((rows[0].target_policy_logprobs as Record<string, number>).other).toBe(-3);
    expect(rows[1]).toMatchObject({ target_policy_logprobs: { pi_clone: null } });
    expect(rows[1].error).toMatch(/invalid log-prob/);
    expect((rows[2].target_policy_logprobs as Record<string, number>).pi_clone).toBeCloseTo(-1.9, 10);
    expect(stderr.join("")).toContain("scored 3 rows: 2 ok, 1 failed");
  });

  it("writes base_policy_logprob with --base and a chosen chat template", async () => {
    server = await echoServer();
    const input = await writeRows([{ prompt_id: "a", prompt: "Q", response: " A" }]);
    const out = join(folder, "base.jsonl");
    expect(
      await run(["--in", input, "--out", out, "--provider", "openai", "--base-url", server.url, "--model", "m", "--base", "--chat-template", "plain"]),
    ).toBe(0);
    expect(JSON.parse(server.requests[0].body).prompt).toBe("user: Q\nassistant: A");
    expect((await readOut(out))[0].base_policy_logprob).toBeCloseTo(-0.2, 10);
  });

  it("refuses Anthropic (no logprobs capability) and ambiguous targets, before any request", async () => {
    const input = await writeRows([{ prompt_id: "a", prompt: "Q", response: "A" }]);
    const common = ["--in", input, "--out", join(folder, "x.jsonl"), "--model", "m", "--base-url", "http://127.0.0.1:9"];
    await expect(run([...common, "--provider", "anthropic", "--policy", "p"])).rejects.toThrow(/capability 'logprobs'/);
    await expect(run([...common, "--provider", "openai"])).rejects.toThrow(/exactly one of --policy <name> and --base/);
    await expect(run([...common, "--provider", "openai", "--policy", "p", "--base"])).rejects.toThrow(/exactly one/);
  });
});
