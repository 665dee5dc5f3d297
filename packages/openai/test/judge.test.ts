import { FileCache } from "@cjeval/provider-utils";
import { chatCompletion, type LoopbackServer, sendJson, startLoopbackServer } from "@cjeval/test-utils";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenAI } from "../src/provider.js";

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type ChatBody = {
  model: string;
  messages: Array<{ role: string; content: string }>;
  logprobs?: boolean;
  top_logprobs?: number;
  response_format?: unknown;
  temperature?: number;
  max_tokens?: number;
};

async function serve(reply: (body: ChatBody) => unknown): Promise<LoopbackServer> {
  server = await startLoopbackServer((req, res) => sendJson(res, 200, reply(JSON.parse(req.body) as ChatBody)));
  return server;
}

const scoreToken = (token: string, p: number, top: Array<[string, number]>) => ({
  token,
  logprob: Math.log(p),
  top: top.map(([t, q]) => [t, Math.log(q)] as [string, number]),
});

describe("OpenAI judge", () => {
  it("sends the default rubric with top log-probs and returns score, native score and distribution", async () => {
    const s = await serve(() =>
      chatCompletion("80", {
        logprobs: [
          scoreToken("80", 0.6, [
            ["80", 0.6],
            ["90", 0.2],
            ["85", 0.1],
            ["I", 0.05],
          ]),
        ],
      }),
    );
    const openai = createOpenAI({ baseURL: `${s.url}/v1`, apiKey: "k" });
    const result = await openai.judge("judge-model").judge({ prompt: "Capital of France?", response: "Paris." });
    const body = JSON.parse(s.requests[0].body) as ChatBody;
    expect(body).toMatchObject({ model: "judge-model", logprobs: true, top_logprobs: 20, temperature: 0, max_tokens: 16 });
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0].content).toContain("[User prompt]\nCapital of France?");
    expect(body.messages[0].content).toContain("[Assistant response]\nParis.");
    expect(result).toMatchObject({ score: 0.8, nativeScore: 80, raw: "80", scale: { min: 0, max: 100 }, cached: false });
    expect(result.distribution?.coveredMass).toBeCloseTo(0.9, 12);
    expect(result.distribution?.expectedNative).toBeCloseTo((80 * 0.6 + 90 * 0.2 + 85 * 0.1) / 0.9, 10);
    expect(result.distribution?.argmaxNative).toBe(80);
  });

  it("uses a custom template, scale and system prompt, and JSON structured output", async () => {
    const s = await serve(() => chatCompletion('{"reasoning":"Accurate.","score":9}'));
    const openai = createOpenAI({ baseURL: s.url, apiKey: "k" });
    const judge = openai.judge("j", { template: "Q={prompt} A={response}", scale: { min: 1, max: 10 }, system: "You grade.", output: "json", topLogprobs: 0 });
    const result = await judge.judge({ prompt: "q", response: "a" });
    const body = JSON.parse(s.requests[0].body) as ChatBody;
    expect(body.messages).toEqual([
      { role: "system", content: "You grade." },
      { role: "user", content: "Q=q A=a" },
    ]);
    expect(body.logprobs).toBeUndefined();
    expect(body.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "judge_score", strict: true } });
    expect(result).toMatchObject({ nativeScore: 9, score: 8 / 9 });
    expect(result.distribution).toBeUndefined();
  });

  it("reports refusals and unusable answers as failures with the raw text", async () => {
    const replies = [
      chatCompletion(null, { refusal: "I can't assist with that." }),
      chatCompletion("I'm sorry, I cannot rate this."),
      chatCompletion("Score: 150"),
      chatCompletion("Looks fine to me."),
    ];
    let n = 0;
    const s = await serve(() => replies[n++]);
    const judge = createOpenAI({ baseURL: s.url, apiKey: "k" }).judge("j");
    const outcomes = [];
    for (let i = 0; i < replies.length; i++) outcomes.push(await judge.judge({ prompt: `p${i}`, response: "r" }).catch((e: unknown) => e));
    expect(outcomes.map((e) => (e as { code: string }).code)).toEqual(["refusal", "refusal", "invalid_output", "invalid_output"]);
    expect((outcomes[2] as { raw: string }).raw).toBe("Score: 150");
    expect(s.requests).toHaveLength(4); // final failures are not retried
  });

  it("serves a re-run from the file cache without any request, and the cache holds no key", async () => {
    const s = await serve(() => chatCompletion("70"));
    const folder = await mkdtemp(join(tmpdir(), "cje-openai-cache-"));
    const key = "fake-openai-key-CACHEKEY0123456789abcd";
    const first = createOpenAI({ baseURL: s.url, apiKey: key, cache: new FileCache(folder) });
    await first.judge("j").judge({ prompt: "p", response: "r" });
    const second = createOpenAI({ baseURL: s.url, apiKey: key, cache: new FileCache(folder) });
    const again = await second.judge("j").judge({ prompt: "p", response: "r" });
    expect(again).toMatchObject({ nativeScore: 70, cached: true });
    expect(s.requests).toHaveLength(1);
    expect(second.usage.totals()).toMatchObject({ requests: 0, cachedRequests: 1 });
    for (const sub of await readdir(folder)) {
      for (const file of await readdir(join(folder, sub))) expect(await readFile(join(folder, sub, file), "utf8")).not.toContain(key);
    }
  });
});

describe("OpenAI generator", () => {
  it("maps policy settings to the request and accounts usage and cost", async () => {
    const s = await serve(() => chatCompletion("Paris is the capital.", { finish: "stop" }));
    const openai = createOpenAI({ baseURL: s.url, apiKey: "k", prices: { "policy-a": { inputPerMillion: 1, outputPerMillion: 2 } } });
    const policy = openai.generator("policy-a", { system: "Be terse.", temperature: 0.7, maxTokens: 64 });
    const out = await policy.generate({ prompt: "Capital of France?", seed: 42 });
    const body = JSON.parse(s.requests[0].body) as ChatBody & { seed: number };
    expect(body).toMatchObject({ model: "policy-a", temperature: 0.7, max_tokens: 64, seed: 42 });
    expect(body.messages[0]).toEqual({ role: "system", content: "Be terse." });
    expect(out).toEqual({ text: "Paris is the capital.", finishReason: "stop", usage: { inputTokens: 50, outputTokens: 1 }, cached: false });
    expect(openai.usage.byModel()[0].costUsd).toBeCloseTo((50 * 1 + 1 * 2) / 1e6, 15);
  });

  it("uses max_completion_tokens on OpenAI's own API and needs a key there", async () => {
    const s = await serve(() => chatCompletion("ok"));
    const toLoopback: typeof fetch = (url, init) => fetch(String(url).replace("https://api.openai.com/v1", s.url), init);
    const official = createOpenAI({ baseURL: "https://api.openai.com/v1", apiKey: "k", fetch: toLoopback });
    await official.generator("gpt-4o-mini").generate({ prompt: "hi", maxTokens: 5 });
    expect(JSON.parse(s.requests[0].body)).toMatchObject({ max_completion_tokens: 5 });
    expect(JSON.parse(s.requests[0].body).max_tokens).toBeUndefined();
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      expect(() => createOpenAI({ baseURL: "https://api.openai.com/v1" })).toThrow(/OPENAI_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });
});
