import { mkdir, mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { CjeInputError } from "@cjeval/core";
import { MemoryCache } from "@cjeval/provider-utils";
import { chatCompletion, type LoopbackServer, type OpenAiWorld, sendJson, startLoopbackServer, startOpenAiWorld, trustCampaign } from "@cjeval/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { loadCampaign, resolveCampaign, runCampaign } from "../../src/index.js";
import { createProvider } from "../../src/providers/factory.js";
import { rateBucketOf } from "../../src/providers/rate-bucket.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const KEY_ENV = "CJE_TEST_AI_SDK_KEY";
const KEY = "aisdk-test-key-0123456789abcdef";

let server: LoopbackServer | undefined;
let world: OpenAiWorld | undefined;
afterEach(async () => {
  await server?.close();
  await world?.close();
  server = undefined;
  world = undefined;
  delete process.env[KEY_ENV];
});

async function scoring(): Promise<LoopbackServer> {
  server = await startLoopbackServer((_req, res) => sendJson(res, 200, chatCompletion("42", { usage: { prompt: 10, completion: 1 } })));
  return server;
}

/** A folder outside the repository with `@ai-sdk/openai-compatible` installed (linked), as a user's campaign folder. */
async function campaignFolder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "cje-ai-sdk-"));
  await mkdir(path.join(dir, "node_modules", "@ai-sdk"), { recursive: true });
  const installed = path.dirname(fileURLToPath(import.meta.resolve("@ai-sdk/openai-compatible/package.json")));
  await symlink(installed, path.join(dir, "node_modules", "@ai-sdk", "openai-compatible"), "dir");
  return dir;
}

describe("createProvider with AI SDK models", () => {
  it("builds a provider from a model factory written in code (cje.config.ts): judge, generator, usage, cache", async () => {
    const s = await scoring();
    const cache = new MemoryCache();
    const model = createOpenAICompatible({ name: "loop", baseURL: `${s.url}/v1` });
    const built = await createProvider({ type: "ai-sdk", model, prices: { m: { inputPerMillion: 1e6, outputPerMillion: 0 } } }, { name: "local", cache });
    expect(built).toMatchObject({ type: "ai-sdk", id: "local" });
    expect(await built.judge("m", { output: "text" }).judge({ prompt: "p", response: "r" })).toMatchObject({ nativeScore: 42, cached: false });
    expect((await built.generator("m", { system: "s" }).generate({ prompt: "p" })).text).toBe("42");
    expect(JSON.parse(s.requests[1].body).messages[0]).toEqual({ role: "system", content: "s" });
    expect(built.usage.totals()).toMatchObject({ requests: 2, costUsd: 20 });
    expect(cache.size).toBe(2);
    expect(() => built.logprobScorer("m")).toThrow(/capability 'logprobs'/);
  });

  it("builds one from a module and its factory, resolved from the campaign's folder, with the key from apiKeyEnv", async () => {
    const s = await scoring();
    const dir = await campaignFolder();
    process.env[KEY_ENV] = KEY;
    const config = {
      type: "ai-sdk",
      module: "@ai-sdk/openai-compatible",
      factory: "createOpenAICompatible",
      options: { name: "loop", baseURL: `${s.url}/v1` },
      apiKeyEnv: KEY_ENV,
    } as const;
    const built = await createProvider(config, { name: "compat", baseDir: dir });
    expect(await built.judge("m").judge({ prompt: "p", response: "r" })).toMatchObject({ nativeScore: 42 });
    expect(s.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
    // A file module relative to the campaign, whose provider hands out models through languageModel().
    const fromFile = await createProvider(
      { type: "ai-sdk", module: "./fixtures/loop-models.mjs", factory: "createLoop", options: { baseURL: `${s.url}/v1` } },
      { baseDir: HERE },
    );
    expect((await fromFile.generator("g").generate({ prompt: "p" })).text).toBe("42");
    expect(JSON.parse(s.requests[1].body).model).toBe("g");
    // Its rate bucket is the module, factory, options and key; the key itself is not in the label.
    expect(rateBucketOf("compat", config, "s").bucket).toBe(rateBucketOf("other", config, "t").bucket);
    expect(rateBucketOf("compat", config, "s").label).not.toContain(KEY);
  });

  it("names the field of every configuration problem", async () => {
    const model = () => "m";
    const field = async (config: unknown, options = {}) =>
      ((await createProvider(config as never, options).catch((e: unknown) => e)) as CjeInputError).location?.field;
    expect(await field({ type: "ai-sdk" })).toBe("module");
    expect(await field({ type: "ai-sdk", model, module: "x", factory: "y" })).toBe("model");
    expect(await field({ type: "ai-sdk", module: "@ai-sdk/openai-compatible" })).toBe("factory");
    expect(await field({ type: "ai-sdk", model, options: {} })).toBe("options");
    expect(await field({ type: "ai-sdk", model: "google" })).toBe("model");
    expect(await field({ type: "ai-sdk", module: "@ai-sdk/not-installed", factory: "create" }, { name: "g", baseDir: HERE })).toBe("providers.g.module");
    const noFactory = await createProvider(
      { type: "ai-sdk", module: "./fixtures/loop-models.mjs", factory: "createLoops" },
      { name: "g", baseDir: HERE },
    ).catch((e: unknown) => e);
    expect(noFactory).toBeInstanceOf(CjeInputError);
    expect((noFactory as CjeInputError).message).toMatch(/no function 'createLoops' \(it has createLoop\)/);
    expect(await field({ type: "ai-sdk", module: "./fixtures/loop-models.mjs", factory: "createLoop", apiKeyEnv: KEY_ENV }, { name: "g", baseDir: HERE })).toBe(
      "providers.g.apiKeyEnv",
    );
  });
});

describe("a campaign on AI SDK models", () => {
  it("runs generate → judge → label → estimate from a YAML file naming the provider package and a module of its own, every unit once", async () => {
    world = await startOpenAiWorld();
    const dir = await campaignFolder();
    process.env[KEY_ENV] = KEY;
    const base = trustCampaign(world, path.join(dir, "out"));
    const yaml = [
      "name: ai-sdk-campaign",
      `prompts: ${JSON.stringify(base.prompts)}`,
      "providers:",
      "  world:",
      "    type: ai-sdk",
      "    module: '@ai-sdk/openai-compatible'",
      "    factory: createOpenAICompatible",
      `    options: { name: world, baseURL: '${world.baseURL}' }`,
      `    apiKeyEnv: ${KEY_ENV}`,
      "    billable: false",
      "    maxRetries: 0",
      "  oracles:",
      "    type: ai-sdk",
      "    module: ./models.mjs",
      "    factory: createWorld",
      `    options: { baseURL: '${world.baseURL}' }`,
      `    apiKeyEnv: ${KEY_ENV}`,
      "policies:",
      ...base.policies.map((p) => `  - { name: ${p.name}, provider: world, model: ${p.model}, maxTokens: 32 }`),
      "judge: { provider: world, model: judge-x }",
      "oracle: { type: llm, provider: oracles, model: oracle-x }",
      "labels: { policies: [a], budget: 40, seed: 2 }",
      "estimate: { inference: analytic }",
      "outputs: { dir: out }",
    ].join("\n");
    await writeFile(path.join(dir, "cje.config.yaml"), `${yaml}\n`);
    // A module of the campaign's own, relative to the campaign file (its import resolves in the campaign's folder).
    await writeFile(
      path.join(dir, "models.mjs"),
      'import { createOpenAICompatible } from "@ai-sdk/openai-compatible";\nexport const createWorld = (options) => createOpenAICompatible({ name: "world", ...options });\n',
    );
    const campaign = await loadCampaign(path.join(dir, "cje.config.yaml"));
    const dry = await runCampaign(campaign, { dryRun: true });
    expect(dry.cost.billableCalls).toBe(40); // the oracles provider bills (the default); world does not
    const run = await runCampaign(campaign, { yes: true });
    expect(run.status).toBe("complete");
    expect(run.failures).toEqual([]);
    const count = (kind: string) => world!.calls.filter((c) => c.kind === kind).length;
    expect([count("generate"), count("judge"), count("oracle")]).toEqual([180, 180, 40]);
    const distinct = new Set(world.calls.map((c) => `${c.kind} ${c.model} ${c.policy} ${c.promptId}`));
    expect(distinct.size).toBe(world.calls.length);
    expect(world.server.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(run.analysis?.policies.map((p) => p.policy).sort()).toEqual(["a", "b", "drift"]);
    const results = JSON.parse(await readFile(run.paths.json, "utf8")) as { policies: unknown[] };
    expect(results.policies).toHaveLength(3);
    // Resuming calls nothing again.
    const before = world.server.requests.length;
    expect((await runCampaign(campaign, { yes: true })).status).toBe("complete");
    expect(world.server.requests.length).toBe(before);
  });

  it("takes AI SDK models in code (cje.config.ts) for policies, judge and oracle", () => {
    const campaign = resolveCampaign({
      name: "code",
      prompts: "p.jsonl",
      providers: { gemini: { type: "ai-sdk", model: () => "m", concurrency: 2, requestsPerMinute: 60 } },
      policies: [{ name: "base", provider: "gemini", model: "gemini-2.5-flash", seed: 1 }],
      judge: { provider: "gemini", model: "gemini-2.5-pro", output: "json" },
    });
    expect(campaign.config.providers.gemini).toMatchObject({ type: "ai-sdk", concurrency: 2 });
    expect(() =>
      resolveCampaign({
        name: "x",
        prompts: "p.jsonl",
        providers: { g: { type: "ai-sdk", module: "m" } },
        policies: [{ name: "b", provider: "g", model: "m" }],
        judge: { provider: "g", model: "m" },
      }),
    ).toThrow(/factory/);
  });
});
