import { ProviderError } from "@cjeval/core";
import { describe, expect, it } from "vitest";
import { MemoryCache } from "../src/cache.js";
import {
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_JSON_JUDGE_MAX_TOKENS,
  DEFAULT_JUDGE_OUTPUT,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_TEXT_JUDGE_MAX_TOKENS,
  DEFAULT_TIMEOUT_MS,
  MAX_TOP_LOGPROBS,
} from "../src/defaults.js";
import { ConnectionOptionsSchema } from "../src/connection.js";
import { GeneratorSettingsSchema } from "../src/generator-settings.js";
import { JUDGE_SETTING_KEYS, JudgeSettingsSchema, resolveJudgeSettings } from "../src/judge-settings.js";
import { DEFAULT_JUDGE_SCALE, DEFAULT_JSON_JUDGE_TEMPLATE, DEFAULT_JUDGE_TEMPLATE } from "../src/judge-template.js";
import { CallPipeline } from "../src/pipeline.js";
import { PIPELINE_DEFAULTS, PipelineSettingsSchema, resolvePipelineSettings } from "../src/pipeline-settings.js";
import { DEFAULT_RETRY_POLICY, retryDelayMs } from "../src/retry.js";

describe("pipeline defaults", () => {
  it("come from the named constants", () => {
    expect(PIPELINE_DEFAULTS).toEqual({
      concurrency: DEFAULT_CONCURRENCY,
      timeoutMs: DEFAULT_TIMEOUT_MS,
      maxRetries: DEFAULT_MAX_RETRIES,
      baseDelayMs: DEFAULT_BASE_DELAY_MS,
      maxDelayMs: DEFAULT_MAX_DELAY_MS,
      maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
    });
    expect(DEFAULT_RETRY_POLICY).toEqual({
      maxRetries: DEFAULT_MAX_RETRIES,
      baseDelayMs: DEFAULT_BASE_DELAY_MS,
      maxDelayMs: DEFAULT_MAX_DELAY_MS,
      maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
    });
    expect(resolvePipelineSettings({})).toEqual(PIPELINE_DEFAULTS);
    expect(resolvePipelineSettings({ concurrency: 2, timeoutMs: 5 })).toMatchObject({ concurrency: 2, timeoutMs: 5, maxRetries: DEFAULT_MAX_RETRIES });
  });

  it("are what a pipeline and the backoff use when nothing is set", () => {
    const pipeline = new CallPipeline({ provider: "p", toProviderError: (e) => new ProviderError(String(e), { code: "network" }) });
    expect(pipeline.limiter.concurrency).toBe(DEFAULT_CONCURRENCY);
    // The first retry waits between half and all of the base delay; a late retry is capped.
    expect(retryDelayMs(1, undefined, {}, () => 1)).toBe(DEFAULT_BASE_DELAY_MS);
    expect(retryDelayMs(30, undefined, {}, () => 1)).toBe(DEFAULT_MAX_DELAY_MS);
  });
});

describe("option schemas", () => {
  it("validate pipeline settings, keeping code hooks as given", () => {
    const cache = new MemoryCache();
    const sleep = async () => {};
    const parsed = PipelineSettingsSchema.parse({ concurrency: 3, timeoutMs: 10, prices: { m: { inputPerMillion: 1, outputPerMillion: 2 } }, cache, sleep });
    expect(parsed.cache).toBe(cache);
    expect(parsed.sleep).toBe(sleep);
    expect(PipelineSettingsSchema.safeParse({ concurrency: 0 }).success).toBe(false);
    expect(PipelineSettingsSchema.safeParse({ timeoutMs: 1.5 }).success).toBe(false);
    expect(PipelineSettingsSchema.safeParse({ maxRetries: -1 }).success).toBe(false);
    expect(PipelineSettingsSchema.safeParse({ cache: {} }).success).toBe(false);
    expect(PipelineSettingsSchema.safeParse({ prices: { m: { inputPerMillion: -1, outputPerMillion: 0 } } }).success).toBe(false);
  });

  it("validate connection options and generator settings", () => {
    expect(ConnectionOptionsSchema.safeParse({ baseURL: "http://127.0.0.1:8000/v1", apiKeyEnv: "MY_KEY" }).success).toBe(true);
    expect(ConnectionOptionsSchema.safeParse({ baseURL: "not a url" }).success).toBe(false);
    expect(GeneratorSettingsSchema.safeParse({ system: "s", temperature: 0.7, maxTokens: 10, seed: 1 }).success).toBe(true);
    expect(GeneratorSettingsSchema.safeParse({ maxTokens: 0 }).success).toBe(false);
  });

  it("name the judge prompt template 'template' and bound top log-probs", () => {
    expect(JUDGE_SETTING_KEYS).toEqual(["template", "scale", "system", "output", "temperature", "maxTokens", "topLogprobs"]);
    expect(JudgeSettingsSchema.safeParse({ topLogprobs: MAX_TOP_LOGPROBS }).success).toBe(true);
    expect(JudgeSettingsSchema.safeParse({ topLogprobs: MAX_TOP_LOGPROBS + 1 }).success).toBe(false);
    expect(JudgeSettingsSchema.safeParse({ rubric: "x" }).data).toEqual({});
  });
});

describe("judge defaults", () => {
  it("come from the named constants", () => {
    expect(resolveJudgeSettings({})).toEqual({
      template: DEFAULT_JUDGE_TEMPLATE,
      scale: DEFAULT_JUDGE_SCALE,
      system: undefined,
      output: DEFAULT_JUDGE_OUTPUT,
      temperature: undefined,
      maxTokens: DEFAULT_TEXT_JUDGE_MAX_TOKENS,
      topLogprobs: 0,
    });
    expect(resolveJudgeSettings({ output: "json" })).toMatchObject({ template: DEFAULT_JSON_JUDGE_TEMPLATE, maxTokens: DEFAULT_JSON_JUDGE_MAX_TOKENS });
    expect(resolveJudgeSettings({}, { topLogprobs: MAX_TOP_LOGPROBS, temperature: 0 })).toMatchObject({ topLogprobs: MAX_TOP_LOGPROBS, temperature: 0 });
  });
});
