import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CjeInputError } from "@cjeval/core";
import { beforeEach, describe, expect, it } from "vitest";
import { campaignSnapshot } from "../../src/report/snapshot.js";
import { DEFAULT_CAMPAIGN_FILES, defineCampaign, findCampaignFile, loadCampaign, resolveCampaign, writeStarterCampaign } from "../../src/index.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), "cje-config-"));
});

const minimal = {
  name: "t",
  prompts: "prompts.jsonl",
  providers: { openai: { type: "openai" } },
  policies: [{ name: "base", provider: "openai", model: "gpt-4o-mini" }],
  judge: { provider: "openai", model: "gpt-4o-mini" },
};

async function rejection(promise: Promise<unknown>): Promise<CjeInputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CjeInputError)) throw new Error(`expected a CjeInputError, got ${String(error)}`);
  return error;
}

async function withEnv<T>(name: string, value: string | undefined, run: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

describe("the campaign's store setting", () => {
  it("takes a PostgreSQL URL as given, a SQLite file relative to the campaign, or the URL from an environment variable", async () => {
    const url = "postgres://cje:secret@127.0.0.1:5432/evals";
    expect(resolveCampaign({ ...minimal, store: { url } }, { baseDir: folder }).paths.store).toBe(url);
    expect(resolveCampaign({ ...minimal, store: { url: "shared/c.sqlite" } }, { baseDir: folder }).paths.store).toBe(path.join(folder, "shared", "c.sqlite"));
    expect(resolveCampaign(minimal, { baseDir: folder }).paths.store).toBe(path.join(folder, ".cje", "t", "campaign.sqlite"));
    const fromEnv = await withEnv("CJE_TEST_STORE", url, async () => resolveCampaign({ ...minimal, store: { urlEnv: "CJE_TEST_STORE" } }, { baseDir: folder }));
    expect(fromEnv.paths.store).toBe(url);
    // The URL (and its password) stays out of the snapshot the store records.
    expect(JSON.stringify(campaignSnapshot(resolveCampaign({ ...minimal, store: { url } }).config))).not.toContain("secret");
  });

  it("rejects a missing variable, both url and urlEnv, and a store set twice", async () => {
    const missing = await withEnv("CJE_TEST_STORE", undefined, async () =>
      rejection(Promise.resolve().then(() => resolveCampaign({ ...minimal, store: { urlEnv: "CJE_TEST_STORE" } }, { source: "cje.config.json" }))),
    );
    expect(missing.location).toMatchObject({ file: "cje.config.json", field: "store.urlEnv" });
    expect(missing.message).toMatch(/CJE_TEST_STORE .* is not set/);
    expect(() => resolveCampaign({ ...minimal, store: { url: "a.sqlite", urlEnv: "X" } })).toThrow(/exactly one of url and urlEnv/);
    expect(() => resolveCampaign({ ...minimal, store: { url: "a.sqlite" }, outputs: { store: "b.sqlite" } })).toThrow(/store is set twice/);
  });
});

describe("campaign files", () => {
  it("loads the commented TypeScript starter through jiti, with paths resolved next to it", async () => {
    const files = await writeStarterCampaign(folder);
    expect(path.basename(files.config)).toBe("cje.config.ts");
    expect(findCampaignFile(folder)).toBe(files.config);
    const campaign = await loadCampaign(files.config);
    expect(campaign.config.name).toBe("my-eval");
    expect(campaign.config.policies.map((p) => p.name)).toEqual(["base", "concise"]);
    expect(campaign.paths.store).toBe(path.join(folder, ".cje", "my-eval", "campaign.sqlite"));
    expect(campaign.paths.html).toBe(path.join(folder, ".cje", "my-eval", "report.html"));
    await expect(writeStarterCampaign(folder)).rejects.toThrow(/already exists/);
  });

  it("loads the YAML starter", async () => {
    const files = await writeStarterCampaign(folder, { format: "yaml" });
    const campaign = await loadCampaign(files.config);
    expect(campaign.config.oracle).toEqual({ type: "llm", provider: "openai", model: "gpt-4o" });
    expect(campaign.config.labels).toEqual({ share: 0.15, seed: 1 });
  });

  it("documents audits and off-policy estimators in both starters; uncommented, they validate", async () => {
    for (const format of ["ts", "yaml"] as const) {
      const dir = path.join(folder, format);
      const files = await writeStarterCampaign(dir, { format });
      const text = await readFile(files.config, "utf8");
      const c = format === "ts" ? "//" : "#";
      const enabled = text
        .split("\n")
        .filter((line) => !/^\s*labels: \{ share/.test(line))
        .map((line) => line.replace(new RegExp(`^(\\s*)${c} ((labels|audit|logprobs|estimate|vllm|store): )`), "$1$2"))
        .join("\n");
      await writeFile(files.config, enabled);
      const resolved = await withEnv("CJE_STORE_URL", "postgres://cje@db.example:5432/evals", () => loadCampaign(files.config));
      expect(resolved.paths.store).toBe("postgres://cje@db.example:5432/evals");
      const campaign = resolved.config;
      expect(campaign.audit).toEqual({ probesPerPolicy: 50, deltaMax: 0.05 });
      expect(campaign.labels?.policies).toEqual(["base"]);
      expect(campaign.estimate?.estimators).toEqual(["direct", "stacked-dr"]);
      expect(campaign.logprobs).toEqual({ provider: "vllm", logging: "base" });
    }
  });

  it("names file, line, field and value of a schema error in JSON and YAML", async () => {
    const json = path.join(folder, "c.json");
    const bad = {
      ...minimal,
      policies: [
        { name: "base", provider: "openai", model: "m" },
        { name: "b", provider: "nope", model: "m" },
      ],
    };
    await writeFile(json, JSON.stringify(bad, null, 2));
    const error = await rejection(loadCampaign(json));
    expect(error.location).toMatchObject({ file: json, field: "policies.1.provider", value: "nope" });
    expect(error.location.line).toBe(17);
    expect(error.message).toMatch(/unknown provider 'nope' \(declared: openai\)/);

    const yaml = path.join(folder, "c.yaml");
    await writeFile(
      yaml,
      "name: t\nprompts: p.jsonl\nproviders: { openai: { type: openai } }\npolicies:\n  - { name: base, provider: openai, model: m, temprature: 1 }\njudge: { provider: openai, model: m }\n",
    );
    const typo = await rejection(loadCampaign(yaml));
    expect(typo.location).toMatchObject({ file: yaml, line: 5, field: "policies.0" });
    expect(typo.message).toMatch(/temprature/);
  });

  it("names the line of a JSON or YAML syntax error", async () => {
    const json = path.join(folder, "c.json");
    await writeFile(json, '{\n  "name": "t",\n  "prompts": \n}\n');
    expect((await rejection(loadCampaign(json))).location).toMatchObject({ file: json, line: 4 });
    const yaml = path.join(folder, "c.yml");
    await writeFile(yaml, "name: t\npolicies: [a, b\njudge: x\n");
    expect((await rejection(loadCampaign(yaml))).location.line).toBeGreaterThanOrEqual(2);
  });

  it("checks cross references, label settings and the module's default export", async () => {
    expect(() => resolveCampaign({ ...minimal, labels: { share: 0.1 } })).toThrow(/oracle and labels go together/);
    expect(() => resolveCampaign({ ...minimal, oracle: { type: "human", file: "l.csv" }, labels: { share: 0.1, budget: 5 } })).toThrow(
      /exactly one of budget and share/,
    );
    expect(() => resolveCampaign({ ...minimal, oracle: { type: "human", file: "l.csv" }, labels: { share: 0.1, design: "lottery" } })).toThrow(
      /labels\.design/,
    );
    expect(() => resolveCampaign({ ...minimal, policies: [minimal.policies[0], minimal.policies[0]] })).toThrow(/duplicate policy name/);
    expect(() => resolveCampaign({ ...minimal, name: "../escape" })).toThrow(/field 'name'/);
    expect(defineCampaign(minimal as never)).toBe(minimal);
    const noDefault = path.join(folder, "cje.config.mjs");
    await writeFile(noDefault, "export const campaign = {};\n");
    await expect(loadCampaign(noDefault)).rejects.toThrow(/no default export/);
    await expect(loadCampaign(path.join(folder, "c.toml"))).rejects.toThrow(/unknown campaign file type/);
    expect(() => findCampaignFile(path.join(folder, "empty"))).toThrow(new RegExp(DEFAULT_CAMPAIGN_FILES[0].replace(".", "\\.")));
  });
});
