import { ProviderError } from "@cjeval/core";
import { describe, expect, it } from "vitest";
import { createJudge } from "../src/judge.js";
import { resolveJudgeSettings } from "../src/judge-settings.js";
import { DEFAULT_JUDGE_TEMPLATE, renderJudgePrompt } from "../src/judge-template.js";

describe("judge templating", () => {
  it("fills slots once, leaving slot-like text inside the row alone", () => {
    const out = renderJudgePrompt("P={prompt} R={response}", { prompt: "say {response}", response: "ok {prompt}" });
    expect(out).toBe("P=say {response} R=ok {prompt}");
    expect(DEFAULT_JUDGE_TEMPLATE).toContain("{prompt}");
  });

  it("rejects templates without both slots and bad scales", () => {
    expect(() => resolveJudgeSettings({ template: "Rate {response}" })).toThrow(/\{prompt\}/);
    expect(() => resolveJudgeSettings({ scale: { min: 5, max: 5 } })).toThrow(/scale/);
  });
});

describe("createJudge", () => {
  const settings = resolveJudgeSettings({ template: "Q: {prompt}\nA: {response}\nScore 1-10:", scale: { min: 1, max: 10 } });

  it("maps the native score to [0, 1] and adds the score distribution", async () => {
    let seen = "";
    const judge = createJudge({
      provider: "fake",
      modelId: "m",
      settings,
      complete: async (prompt) => {
        seen = prompt.user;
        return {
          cached: false,
          value: {
            text: "7",
            tokens: [
              {
                token: "7",
                logprob: Math.log(0.5),
                top: [
                  { token: "7", logprob: Math.log(0.5) },
                  { token: "9", logprob: Math.log(0.5) },
                ],
              },
            ],
            usage: { inputTokens: 10, outputTokens: 1 },
          },
        };
      },
    });
    const result = await judge.judge({ prompt: "2+2?", response: "4" });
    expect(seen).toBe("Q: 2+2?\nA: 4\nScore 1-10:");
    expect(result).toMatchObject({ nativeScore: 7, score: 6 / 9, raw: "7", usage: { inputTokens: 10, outputTokens: 1 }, cached: false });
    expect(result.distribution?.expectedNative).toBeCloseTo(8, 12);
    expect(result.distribution?.argmaxNative).toBe(7);
  });

  it("reads structured output with zod and reports refusals and garbage as failures", async () => {
    const judgeOf = (value: object) =>
      createJudge({ provider: "fake", modelId: "m", settings, complete: async () => ({ cached: true, value: { text: "", ...value } }) });
    await expect(judgeOf({ structured: { reasoning: "fine", score: 4 } }).judge({ prompt: "p", response: "r" })).resolves.toMatchObject({
      nativeScore: 4,
      score: 1 / 3,
      cached: true,
      raw: '{"reasoning":"fine","score":4}',
    });
    const refusal = await judgeOf({ text: "I can't help with that." })
      .judge({ prompt: "p", response: "r" })
      .catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ProviderError);
    expect(refusal).toMatchObject({ code: "refusal", retryable: false, raw: "I can't help with that." });
    await expect(judgeOf({ structured: { score: 42 } }).judge({ prompt: "p", response: "r" })).rejects.toMatchObject({ code: "invalid_output" });
    await expect(judgeOf({ structured: { verdict: "good" } }).judge({ prompt: "p", response: "r" })).rejects.toMatchObject({ code: "invalid_output" });
    await expect(judgeOf({ text: "8", refused: true }).judge({ prompt: "p", response: "r" })).rejects.toMatchObject({ code: "refusal" });
  });
});
