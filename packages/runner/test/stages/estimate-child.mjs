// A campaign run in a child process (from the built package) so that a test can SIGKILL it during the estimate
// stage: an in-process deterministic provider with log-probs, 3 policies, labels of `a`, audits of `b` and `c`,
// bootstrap inference and two off-policy estimators. Prints `ESTIMATE-START` when the estimate stage begins and
// `ESTIMATE-DONE` when its analyses are stored (its rows, result files and the report are written after that).
// With CJE_CHILD_SLOW_RENAME=1, every rename (the last step of an atomic write) prints `RENAMING` and waits
// 300 ms first, so that a kill can land between a written temporary file and its rename.
// Usage: node estimate-child.mjs <campaign folder>
import { createHash } from "node:crypto";
import { createRequire, syncBuiltinESMExports } from "node:module";

if (process.env.CJE_CHILD_SLOW_RENAME === "1") {
  const fsp = createRequire(import.meta.url)("node:fs/promises");
  const rename = fsp.rename;
  fsp.rename = async (from, to) => {
    process.stdout.write("RENAMING\n");
    await new Promise((resolve) => setTimeout(resolve, 300));
    return rename(from, to);
  };
  syncBuiltinESMExports();
}
const { resolveCampaign, runCampaign } = await import("../../dist/index.js");

const dir = process.argv[2];
const hash = (text) => createHash("sha256").update(text).digest().readUInt32BE(0);
const say = (line) => process.stdout.write(`${line}\n`);

const unit = { min: 0, max: 1 };
const provider = {
  id: "child",
  capabilities: { generate: true, judge: true, scoreDistribution: false, logprobs: true },
  generator: (modelId) => ({
    modelId,
    async generate({ prompt }) {
      return { text: `${modelId} answers ${prompt}${" and more".repeat(hash(modelId + prompt) % 6)}`, finishReason: "stop" };
    },
  }),
  judge: (modelId) => ({
    modelId,
    async judge({ response }) {
      const score = 0.2 + (hash(response) % 13) * 0.05;
      const drift = response.startsWith("model-c") ? 0.25 : 0;
      const label = modelId === "oracle" ? Math.max(0, Math.min(1, score + ((hash(`o${response}`) % 5) - 2) * 0.02 - drift)) : score;
      return { score: label, nativeScore: label, scale: unit, raw: String(label) };
    },
  }),
  logprobScorer: (modelId) => ({
    modelId,
    async score({ response, system }) {
      const total = (-0.4 * response.length) / 10 - (modelId === "lp-a" ? 0 : ((hash(`${modelId}${system ?? ""}${response}`) % 21) - 10) / 20);
      return { total, tokens: [], method: "child" };
    },
  }),
};

const prompts = Array.from({ length: 300 }, (_, i) => ({ id: `p${i}`, text: `Prompt ${i}` }));
const campaign = resolveCampaign(
  {
    name: "killed-estimate",
    prompts: { items: prompts },
    providers: { child: { type: "custom", provider, concurrency: 16 } },
    policies: ["a", "b", "c"].map((name) => ({ name, provider: "child", model: `model-${name}` })),
    judge: { provider: "child", model: "judge" },
    logprobs: { provider: "child", logging: "a", models: { a: "lp-a", b: "lp-b", c: "lp-c" } },
    oracle: { type: "llm", provider: "child", model: "oracle" },
    labels: { policies: ["a"], budget: 120, seed: 5 },
    audit: { probesPerPolicy: 30, deltaMax: 0.1 },
    estimate: { inference: "bootstrap", bootstrap: 1500, seed: 11, estimators: ["direct", "stacked-dr", "mrdr"] },
    outputs: { dir: "out" },
  },
  { baseDir: dir, source: "estimate-child" },
);

const progress = {
  stage(name) {
    if (name === "estimate") say("ESTIMATE-START");
    return {
      advance() {},
      finish() {
        if (name === "estimate") say("ESTIMATE-DONE");
      },
    };
  },
  note() {},
};

const summary = await runCampaign(campaign, { yes: true, progress });
say(`STATUS ${summary.status}`);
