import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type LoopbackServer, sendJson, startLoopbackServer, startOpenAiWorld, type OpenAiWorld } from "@cjeval/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { runCliWith, smallCampaign } from "./gated-world.js";

// The attack: server error text and names from files reached the terminal raw, so `cje status` (and the
// run) cleared the screen and set the window title. Every path printing such text now goes through one
// sanitiser (`terminalText`/`terminalLine` of @cjeval/provider-utils).

const ATTACK = "\x1b]0;pwned\x07\x1b[2J";
/** Any escape or control character but line feed (the outputs' only legitimate one). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters in the output.
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

let world: OpenAiWorld | undefined;
let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  await world?.close();
  server = world = undefined;
});

function expectClean(output: string, what: string): void {
  const bad = CONTROL.exec(output);
  expect(bad === null ? null : JSON.stringify(output.slice(Math.max(0, bad.index - 40), bad.index + 20)), what).toBeNull();
}

describe("text from servers and files on the terminal", () => {
  it("strips escape sequences from a server's error text in cje run and cje status", async () => {
    world = await startOpenAiWorld();
    const target = world.server.url;
    // Generation answers normally; the judge answers the calls on prompts q7, q17, … with an error carrying the attack.
    server = await startLoopbackServer(async (req, res) => {
      if (req.body.includes('"judge-x"') && /to q\d*7\./.test(req.body))
        return sendJson(res, 400, { error: { message: `bad request ${ATTACK}from the server`, type: "invalid_request_error", code: `x${ATTACK}` } });
      const answer = await fetch(`${target}${req.url}`, { method: "POST", headers: { "content-type": "application/json" }, body: req.body });
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(await answer.text());
    });
    const dir = await mkdtemp(path.join(tmpdir(), "cje-terminal-"));
    const config = path.join(dir, "cje.config.json");
    await writeFile(config, JSON.stringify(smallCampaign(path.join(dir, "out"), `${server.url}/v1`)));
    const run = await runCliWith(["run", config, "--yes"]);
    expect(run.stderr).not.toMatch(/cje: /);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/failed judge a\/q\d*7: .*bad request from the server/);
    expectClean(run.stdout, "run stdout");
    expectClean(run.stderr, "run stderr");
    const status = await runCliWith(["status", path.join(dir, "out", "campaign.sqlite")]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/judge: \d+ units failed with .*\(e\.g\. .*bad request from the server\)/);
    expectClean(status.stdout, "status stdout");
  });

  it("strips them from a policy name in a campaign file and in fresh-draw files", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-terminal-"));
    const config = path.join(dir, "cje.config.json");
    const campaign = smallCampaign(path.join(dir, "out"), "http://127.0.0.1:9/v1") as { policies: Array<{ name: string }> };
    campaign.policies[1].name = `b${ATTACK}`;
    await writeFile(config, JSON.stringify(campaign));
    const run = await runCliWith(["run", config, "--yes"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/policies\.1\.name/);
    expectClean(run.stderr, "run stderr");

    // A fresh-draw row naming its policy: analyze prints it in its table.
    const draws = path.join(dir, "draws.jsonl");
    const rows = [];
    for (const policy of ["base", `evil${ATTACK}`]) {
      for (let i = 0; i < 60; i++)
        rows.push({
          policy,
          prompt_id: `q${i}`,
          judge_score: ((i * 7) % 10) / 10,
          ...(policy === "base" && i % 2 === 0 ? { oracle_label: ((i * 7) % 10) / 10 } : {}),
        });
    }
    await writeFile(draws, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const analyze = await runCliWith(["analyze", draws, "--inference", "analytic"]);
    expectClean(analyze.stdout, "analyze stdout");
    expectClean(analyze.stderr, "analyze stderr");
    expect(`${analyze.stdout}${analyze.stderr}`).toMatch(/evil/);
  });
});
