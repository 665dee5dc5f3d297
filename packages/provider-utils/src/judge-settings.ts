import { CjeInputError, type Scale } from "@cjeval/core";
import { scaleSchema } from "@cjeval/core/advanced";
import { z } from "zod";
import { DEFAULT_JSON_JUDGE_MAX_TOKENS, DEFAULT_JUDGE_OUTPUT, DEFAULT_TEXT_JUDGE_MAX_TOKENS, MAX_TOP_LOGPROBS } from "./defaults.js";
import { DEFAULT_JSON_JUDGE_TEMPLATE, DEFAULT_JUDGE_SCALE, DEFAULT_JUDGE_TEMPLATE, validateJudgeTemplate } from "./judge-template.js";

/** The judge's answer formats: `text` parses the answer text, `json` asks for structured output `{ reasoning, score }`. */
export const JUDGE_OUTPUTS = ["text", "json"] as const;

/**
 * How a judge prompts and reads its model; the same settings for every provider, and the judge (or LLM
 * oracle) section of a campaign.
 */
export const JudgeSettingsSchema = z.object({
  /**
   * Judge prompt template with `{prompt}` and `{response}` slots (default: {@link DEFAULT_JUDGE_TEMPLATE},
   * or {@link DEFAULT_JSON_JUDGE_TEMPLATE} in `json` mode: the 0–100 rubric).
   */
  template: z.string().min(1).optional(),
  /** The template's native score scale (default {@link DEFAULT_JUDGE_SCALE}, 0–100). */
  scale: scaleSchema.optional(),
  /** System prompt for the judge model (default: none). */
  system: z.string().optional(),
  /** `text` (default {@link DEFAULT_JUDGE_OUTPUT}): parse the answer text; `json`: ask for structured output `{ reasoning, score }`. */
  output: z.enum(JUDGE_OUTPUTS).optional(),
  /** Sampling temperature (default: the provider's judge default — 0 for OpenAI; not sent to Anthropic unless set). */
  temperature: z.number().min(0).optional(),
  /** Output token limit (default {@link DEFAULT_TEXT_JUDGE_MAX_TOKENS} for text, {@link DEFAULT_JSON_JUDGE_MAX_TOKENS} for json). */
  maxTokens: z.number().int().positive().optional(),
  /**
   * Top log-probs per token to request for the score distribution, at most {@link MAX_TOP_LOGPROBS}
   * (0 disables; default: the provider's — the maximum where log-probs are supported, else 0).
   */
  topLogprobs: z.number().int().min(0).max(MAX_TOP_LOGPROBS).optional(),
});

/** How a judge prompts and reads its model (see {@link JudgeSettingsSchema}). */
export type JudgeSettings = Readonly<z.infer<typeof JudgeSettingsSchema>>;

/** The setting names of {@link JudgeSettingsSchema}, in order. */
export const JUDGE_SETTING_KEYS = Object.keys(JudgeSettingsSchema.shape) as ReadonlyArray<keyof JudgeSettings>;

/** {@link JudgeSettings} with every default filled in. */
export interface ResolvedJudgeSettings {
  readonly template: string;
  readonly scale: Scale;
  readonly system: string | undefined;
  readonly output: "text" | "json";
  readonly temperature: number | undefined;
  readonly maxTokens: number;
  readonly topLogprobs: number;
}

/** A provider's defaults for the settings whose best value depends on the provider. */
export interface JudgeDefaults {
  readonly topLogprobs?: number;
  readonly temperature?: number;
}

/** Fills in defaults and validates the template and scale (throws {@link CjeInputError}). */
export function resolveJudgeSettings(settings: JudgeSettings = {}, defaults: JudgeDefaults = {}): ResolvedJudgeSettings {
  const output = settings.output ?? DEFAULT_JUDGE_OUTPUT;
  const template = settings.template ?? (output === "json" ? DEFAULT_JSON_JUDGE_TEMPLATE : DEFAULT_JUDGE_TEMPLATE);
  validateJudgeTemplate(template);
  const scale = settings.scale ?? DEFAULT_JUDGE_SCALE;
  if (!(Number.isFinite(scale.min) && Number.isFinite(scale.max) && scale.min < scale.max)) {
    throw new CjeInputError("judge scale needs finite min < max", { field: "scale", value: scale });
  }
  return {
    template,
    scale,
    system: settings.system,
    output,
    temperature: settings.temperature ?? defaults.temperature,
    maxTokens: settings.maxTokens ?? (output === "json" ? DEFAULT_JSON_JUDGE_MAX_TOKENS : DEFAULT_TEXT_JUDGE_MAX_TOKENS),
    topLogprobs: settings.topLogprobs ?? defaults.topLogprobs ?? 0,
  };
}
