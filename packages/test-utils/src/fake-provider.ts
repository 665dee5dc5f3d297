import { ProviderError, requireCapability, type Provider } from "@cjeval/core";

/** Calls a fake provider received, by kind, as `model|prompt|response` strings. */
export interface FakeCalls {
  generate: string[];
  judge: string[];
}

/** A deterministic stand-in for a judge score in [0, 1] (0.05 steps) of a response. */
export function fakeScore(text: string): number {
  let h = 17;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) % 10007;
  return Math.round((h % 21) * 5) / 100;
}

/**
 * An in-process provider: generator `<model>` answers `<model> says <prompt>`; judge `judge` scores with
 * {@link fakeScore}; judge `oracle` labels with a monotone function of that score. `transient` prompts fail
 * once with a retryable error; `broken` responses get a final `invalid_output` from the judge.
 */
export function fakeProvider(options: { transient?: Set<string>; broken?: Set<string> } = {}): { provider: Provider; calls: FakeCalls } {
  const calls: FakeCalls = { generate: [], judge: [] };
  const failed = new Set<string>();
  const provider: Provider = {
    id: "fake",
    capabilities: { generate: true, judge: true, scoreDistribution: false, logprobs: false },
    generator: (modelId) => ({
      modelId,
      async generate({ prompt }) {
        calls.generate.push(`${modelId}|${prompt}`);
        if (options.transient?.has(prompt) === true && !failed.has(`${modelId}|${prompt}`)) {
          failed.add(`${modelId}|${prompt}`);
          throw new ProviderError("HTTP 503", { code: "server_error", status: 503 });
        }
        return { text: `${modelId} says ${prompt}`, usage: { inputTokens: 5, outputTokens: 3 } };
      },
    }),
    judge: (modelId) => ({
      modelId,
      async judge({ prompt, response }) {
        calls.judge.push(`${modelId}|${prompt}|${response}`);
        if (modelId === "judge" && options.broken?.has(response) === true) {
          throw new ProviderError("judge gave no valid score", { code: "invalid_output", raw: "I cannot rate this" });
        }
        const s = fakeScore(response);
        const score = modelId === "oracle" ? Math.round(4 * s * s) / 4 : s;
        return { score, nativeScore: score, scale: { min: 0, max: 1 }, raw: String(score) };
      },
    }),
    logprobScorer: () => {
      requireCapability(provider, "logprobs");
      throw new Error("unreachable");
    },
  };
  return { provider, calls };
}

/** Prompts `q<i>` with the text `Question <i>`, the ones {@link fakeCampaign} asks by default. */
export function fakePrompts(n: number): Array<{ id: string; text: string }> {
  return Array.from({ length: n }, (_, i) => ({ id: `q${i}`, text: `Question ${i}` }));
}

/** The campaign {@link fakeCampaign} builds: a `CampaignInput` of `@cjeval/runner` (kept structural, so this package needs no runner). */
export interface FakeCampaign {
  name: string;
  prompts: { items: Array<{ id: string; text: string }> };
  providers: { fake: { type: "custom"; provider: Provider; concurrency: number } };
  policies: Array<{ name: string; provider: string; model: string }>;
  judge: { provider: string; model: string };
  oracle: { type: "llm"; provider: string; model: string };
  labels: { policies: string[]; budget: number; seed: number };
  estimate: { inference: "analytic" };
  outputs: { dir: string };
}

/**
 * A campaign on a {@link fakeProvider} (registered as `fake`, 4 calls at a time): 40 {@link fakePrompts},
 * policies `a` (`model-a`) and `b` (`model-b`), judge `judge`, LLM oracle `oracle`, 20 labels of `a` (seed 3),
 * analytic inference, outputs in `dir`. `extra` replaces whole top-level parts; spread the result into a
 * larger object for parts this type does not cover (a human oracle, audits, a prompts file).
 */
export function fakeCampaign(provider: Provider, dir: string, extra: Partial<FakeCampaign> = {}): FakeCampaign {
  return {
    name: "fake",
    prompts: { items: fakePrompts(40) },
    providers: { fake: { type: "custom", provider, concurrency: 4 } },
    policies: [
      { name: "a", provider: "fake", model: "model-a" },
      { name: "b", provider: "fake", model: "model-b" },
    ],
    judge: { provider: "fake", model: "judge" },
    oracle: { type: "llm", provider: "fake", model: "oracle" },
    labels: { policies: ["a"], budget: 20, seed: 3 },
    estimate: { inference: "analytic" },
    outputs: { dir },
    ...extra,
  };
}
