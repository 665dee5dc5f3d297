/** Judges (and LLM oracles) from their campaign configuration. */
import path from "node:path";
import { CjeInputError, requireCapability, type Judge } from "@cjeval/core";
import type { JudgeSettings } from "@cjeval/provider-utils";
import type { JudgeConfig } from "../config/schema.js";
import { readTextFile } from "@cjeval/importers";
import { providerNamed, type CampaignProvider } from "./registry.js";

/** A configured judge: its provider, what determines its answers, and the judge itself (built on first use). */
export interface ConfiguredJudge {
  readonly provider: CampaignProvider;
  readonly model: string;
  /** The settings passed to the adapter. */
  readonly settings: JudgeSettings;
  /** Everything that changes a verdict (part of unit keys). */
  readonly fingerprint: Readonly<Record<string, unknown>>;
  judge(): Judge;
}

/** Resolves `config` (reading `rubricFile` relative to `baseDir`); `section` names it in errors. */
export async function configuredJudge(
  config: JudgeConfig,
  providers: ReadonlyMap<string, CampaignProvider>,
  baseDir: string,
  section: string,
): Promise<ConfiguredJudge> {
  const provider = providerNamed(providers, config.provider);
  const template = config.rubricFile === undefined ? config.rubric : await readTextFile(path.resolve(baseDir, config.rubricFile));
  const settings: JudgeSettings = {
    ...(template === undefined ? {} : { template }),
    ...(config.scale === undefined ? {} : { scale: config.scale }),
    ...(config.system === undefined ? {} : { system: config.system }),
    ...(config.output === undefined ? {} : { output: config.output }),
    ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
    ...(config.maxTokens === undefined ? {} : { maxTokens: config.maxTokens }),
    ...(config.topLogprobs === undefined ? {} : { topLogprobs: config.topLogprobs }),
  };
  if (provider.config.type === "custom" && Object.keys(settings).length > 0) {
    throw new CjeInputError(`judge settings (${Object.keys(settings).join(", ")}) cannot be passed to a custom provider: configure its judge in code`, {
      field: `${section}.provider`,
      value: config.provider,
    });
  }
  let judge: Judge | undefined;
  return {
    provider,
    model: config.model,
    settings,
    fingerprint: { provider: config.provider, model: config.model, ...settings },
    judge() {
      judge ??= build(provider, config.model, settings);
      return judge;
    },
  };
}

function build(provider: CampaignProvider, model: string, settings: JudgeSettings): Judge {
  const built = provider.built();
  switch (built.kind) {
    case "openai":
      return built.provider.judge(model, settings);
    case "anthropic":
      return built.provider.judge(model, settings);
    case "custom":
      requireCapability(built.provider, "judge");
      return built.provider.judge(model);
  }
}
