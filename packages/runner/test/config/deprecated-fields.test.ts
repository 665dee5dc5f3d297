import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CjeInputError } from "@cjeval/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEPRECATED_FIELD_WARNING } from "../../src/config/load.js";
import { configuredJudge } from "../../src/providers/judges.js";
import { campaignProviders } from "../../src/providers/registry.js";
import { loadCampaign, resolveCampaign } from "../../src/index.js";

const base = {
  name: "t",
  prompts: "prompts.jsonl",
  providers: { openai: { type: "openai" } },
  policies: [{ name: "base", provider: "openai", model: "gpt-4o-mini" }],
};
const TEMPLATE = "Rate 1-5.\nQ: {prompt}\nA: {response}";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the judge prompt template's former names", () => {
  it("read 'rubric' as 'template' and 'rubricFile' as 'templateFile', with a warning naming file, line and new name", async () => {
    const folder = await mkdtemp(path.join(tmpdir(), "cje-deprecated-"));
    await writeFile(path.join(folder, "oracle.txt"), TEMPLATE);
    const file = path.join(folder, "cje.config.yaml");
    await writeFile(
      file,
      [
        "name: t",
        "prompts: prompts.jsonl",
        "providers: { openai: { type: openai } }",
        "policies: [{ name: base, provider: openai, model: gpt-4o-mini }]",
        "judge:",
        "  provider: openai",
        "  model: gpt-4o-mini",
        `  rubric: ${JSON.stringify(TEMPLATE)}`,
        "  scale: { min: 1, max: 5 }",
        "oracle: { type: llm, provider: openai, model: gpt-4o, rubricFile: oracle.txt }",
        "labels: { share: 0.5 }",
        "",
      ].join("\n"),
    );
    const emitted = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const campaign = await loadCampaign(file);
    expect(campaign.config.judge).toEqual({ provider: "openai", model: "gpt-4o-mini", template: TEMPLATE, scale: { min: 1, max: 5 } });
    expect(campaign.config.judge).not.toHaveProperty("rubric");
    expect(campaign.config.oracle).toEqual({ type: "llm", provider: "openai", model: "gpt-4o", templateFile: "oracle.txt" });
    const messages = emitted.mock.calls.map(([message, options]) => {
      expect(options).toEqual({ type: "DeprecationWarning", code: DEPRECATED_FIELD_WARNING });
      return String(message);
    });
    expect(messages).toEqual([
      `${file}:8: 'judge.rubric' is deprecated and will be removed: rename it 'judge.template' (it is read as 'judge.template' for now)`,
      `${file}:10: 'oracle.rubricFile' is deprecated and will be removed: rename it 'oracle.templateFile' (it is read as 'oracle.templateFile' for now)`,
    ]);

    // The old names give the judge the same settings, hence the same unit keys, as the new ones.
    const renamed = resolveCampaign({ ...base, judge: { provider: "openai", model: "gpt-4o-mini", template: TEMPLATE, scale: { min: 1, max: 5 } } });
    const providers = campaignProviders(campaign.config, undefined);
    const [old, current] = await Promise.all([
      configuredJudge(campaign.config.judge, providers, folder, "judge"),
      configuredJudge(renamed.config.judge, providers, folder, "judge"),
    ]);
    expect(old.fingerprint).toEqual(current.fingerprint);
    expect(old.settings).toEqual({ template: TEMPLATE, scale: { min: 1, max: 5 } });
    const oracle = await configuredJudge(campaign.config.oracle as never, providers, folder, "oracle");
    expect(oracle.settings).toEqual({ template: TEMPLATE });
  });

  it("warn through onWarning, and not at all under the current names", () => {
    const warnings: string[] = [];
    resolveCampaign({ ...base, judge: { provider: "openai", model: "m", rubric: TEMPLATE } }, { onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      "in-memory: 'judge.rubric' is deprecated and will be removed: rename it 'judge.template' (it is read as 'judge.template' for now)",
    ]);
    warnings.length = 0;
    resolveCampaign({ ...base, judge: { provider: "openai", model: "m", template: TEMPLATE } }, { onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
  });

  it("reject a field given under both names, and a template given both inline and as a file", () => {
    const problem = (judge: Record<string, unknown>) => {
      try {
        resolveCampaign({ ...base, judge: { provider: "openai", model: "m", ...judge } }, { onWarning: () => {} });
      } catch (error) {
        if (error instanceof CjeInputError) return error;
      }
      throw new Error("expected a CjeInputError");
    };
    const both = problem({ rubric: TEMPLATE, template: TEMPLATE });
    expect(both.message).toMatch(/'rubric' is the deprecated name of 'template': give only 'template'/);
    expect(both.location).toMatchObject({ field: "judge.rubric" });
    expect(problem({ rubricFile: "a.txt", templateFile: "b.txt" }).location).toMatchObject({ field: "judge.rubricFile" });
    const inlineAndFile = problem({ template: TEMPLATE, templateFile: "a.txt" });
    expect(inlineAndFile.message).toMatch(/give template or templateFile, not both/);
    expect(inlineAndFile.location).toMatchObject({ field: "judge.templateFile" });
    expect(problem({ rubric: TEMPLATE, rubricFile: "a.txt" }).location).toMatchObject({ field: "judge.templateFile" });
  });
});
