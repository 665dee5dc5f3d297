/** Judges (and LLM oracles) from their campaign configuration. */
import path from "node:path";
import { CjeInputError, type Judge } from "@cjeval/core";
import { JUDGE_SETTING_KEYS, type JudgeSettings } from "@cjeval/provider-utils";
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
  /** The judge, built by the provider factory on first use. */
  judge(): Promise<Judge>;
}

/** Resolves `config` (reading `templateFile` relative to `baseDir`); `section` names it in errors. */
export async function configuredJudge(
  config: JudgeConfig,
  providers: ReadonlyMap<string, CampaignProvider>,
  baseDir: string,
  section: string,
): Promise<ConfiguredJudge> {
  const provider = providerNamed(providers, config.provider);
  const fromFile = config.templateFile === undefined ? {} : { template: await readTextFile(path.resolve(baseDir, config.templateFile)) };
  const given: Record<string, unknown> = { ...config, ...fromFile };
  // The settings in their schema's order, only those given (they are part of unit keys).
  const settings: JudgeSettings = Object.fromEntries(JUDGE_SETTING_KEYS.filter((key) => given[key] !== undefined).map((key) => [key, given[key]]));
  if (provider.config.type === "custom" && Object.keys(settings).length > 0) {
    throw new CjeInputError(`judge settings (${Object.keys(settings).join(", ")}) cannot be passed to a custom provider: configure its judge in code`, {
      field: `${section}.provider`,
      value: config.provider,
    });
  }
  let judge: Promise<Judge> | undefined;
  return {
    provider,
    model: config.model,
    settings,
    fingerprint: { provider: config.provider, model: config.model, ...settings },
    judge() {
      judge ??= provider.built().then((built) => built.judge(config.model, settings));
      return judge;
    },
  };
}
