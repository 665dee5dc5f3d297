import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AnalysisResultSchema } from "@cjeval/core";
import { expectSuccess, runCli } from "./run-cli.js";

describe("cje report", () => {
  it("writes the HTML report and the analysis JSON of a campaign store", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-report-cli-"));
    const campaign = path.join(dir, "demo");
    expectSuccess(await runCli(["demo", "--prompts", "300", "--out-dir", campaign]));
    const html = path.join(dir, "shared", "report.html");
    const json = path.join(dir, "shared", "results.json");
    const run = await runCli(["report", path.join(campaign, "campaign.sqlite"), "--html", html, "--json", json]);
    expectSuccess(run);
    expect(run.stdout).toMatch(/policy\s+estimate\s+95% CI/);
    expect(run.stdout).toContain(`Report: ${html}`);
    const page = await readFile(html, "utf8");
    expect(page).toContain('<svg class="forest"');
    expect(page).toContain('<svg class="calibration"');
    const result = AnalysisResultSchema.parse(JSON.parse(await readFile(json, "utf8")));
    expect(JSON.parse(await readFile(path.join(campaign, "results.json"), "utf8"))).toEqual(result);
  });

  it("prints the transport audits and each off-policy estimator's results, and names their files", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-report-cli-"));
    await writeFile(path.join(dir, "cje.config.mjs"), OFF_POLICY_CAMPAIGN);
    expectSuccess(await runCli(["run", "--yes"], { cwd: dir }));
    const run = await runCli(["report"], { cwd: dir });
    expectSuccess(run);
    expect(run.stdout).toMatch(/policy\s+estimate\s+95% CI\s+n\s+labels\s+transport\s+flags/);
    expect(run.stdout).toMatch(/\nc\s+.*FAIL δ=-0\.\d+\s+\S*TRANSPORT-FAIL/);
    expect(run.stdout).toMatch(/\na\s+.*NOT_CHECKED/);
    expect(run.stdout).toContain("Off-policy (stacked-dr):");
    expect(run.stdout).toMatch(/estimator: stacked-dr\npolicy\s+ESS raw/);
    const out = path.join(dir, ".cje", "offpolicy");
    expect(run.stdout).toContain(`Results (stacked-dr): ${path.join(out, "results.stacked-dr.json")}`);
    const direct = AnalysisResultSchema.parse(JSON.parse(await readFile(path.join(out, "results.json"), "utf8")));
    expect(direct.estimator).toBe("direct");
    const stacked = AnalysisResultSchema.parse(JSON.parse(await readFile(path.join(out, "results.stacked-dr.json"), "utf8")));
    expect(stacked.policies.map((p) => p.policy)).toEqual(["b", "c"]);
  });

  it("says what is missing when there is no campaign or no store", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-report-cli-"));
    const none = await runCli(["report"], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no campaign file here/);
    const missing = await runCli(["report", path.join(dir, "nope.sqlite")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.sqlite: no campaign store yet/);
    expectSuccess(await runCli(["init"], { cwd: dir }));
    const notRun = await runCli(["report"], { cwd: dir });
    expect(notRun.stderr).toMatch(/no campaign store yet: run the campaign first/);
  });
});

/** A campaign with an in-code provider (log-probs included): labels of a, probes of b and c (c's oracle disagrees with the judge), stacked DR. */
const OFF_POLICY_CAMPAIGN = `
import { createHash } from "node:crypto";
const hash = (text) => createHash("sha256").update(text).digest().readUInt32BE(0);
const unit = { min: 0, max: 1 };
const provider = {
  id: "inline",
  capabilities: { generate: true, judge: true, scoreDistribution: false, logprobs: true },
  generator: (modelId) => ({ modelId, generate: async ({ prompt }) => ({ text: modelId + " answers " + prompt + " and more".repeat(hash(modelId + prompt) % 5) }) }),
  judge: (modelId) => ({
    modelId,
    judge: async ({ response }) => {
      const score = 0.2 + (hash(response) % 13) * 0.05;
      const label = modelId === "oracle" ? Math.max(0, score - (response.startsWith("model-c") ? 0.3 : 0)) : score;
      return { score: label, nativeScore: label, scale: unit, raw: String(label) };
    },
  }),
  logprobScorer: (modelId) => ({
    modelId,
    score: async ({ response }) => ({ total: -response.length / 25 - (modelId === "lp-a" ? 0 : (hash(modelId + response) % 11) / 20), tokens: [], method: "inline" }),
  }),
};
export default {
  name: "offpolicy",
  prompts: { items: Array.from({ length: 80 }, (_, i) => ({ id: "p" + i, text: "Prompt " + i })) },
  providers: { inline: { type: "custom", provider, concurrency: 8 } },
  policies: ["a", "b", "c"].map((name) => ({ name, provider: "inline", model: "model-" + name })),
  judge: { provider: "inline", model: "judge" },
  logprobs: { provider: "inline", logging: "a", models: { a: "lp-a", b: "lp-b", c: "lp-c" } },
  oracle: { type: "llm", provider: "inline", model: "oracle" },
  labels: { policies: ["a"], budget: 50, seed: 1 },
  audit: { probesPerPolicy: 25, deltaMax: 0.1 },
  estimate: { inference: "analytic", estimators: ["direct", "stacked-dr"] },
};
`;
