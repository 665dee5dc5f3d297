import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { AnalysisResultSchema, CjeInputError, type Provider } from "@cjeval/core";
import { beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore, resolveCampaign, runCampaign, type CampaignInput } from "../../src/index.js";
import { fakeCampaign, fakePrompts, fakeProvider } from "@cjeval/test-utils";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), "cje-campaign-"));
});

const PROMPTS = 40;
const prompts = fakePrompts(PROMPTS);

function campaign(provider: Provider, extra: Partial<CampaignInput> = {}) {
  return resolveCampaign({ ...fakeCampaign(provider, folder, { prompts: { items: prompts } }), ...extra }, { baseDir: folder });
}

describe("runCampaign", () => {
  it("stops after the judge stage with the reason when every judge call failed for good, and --retry-failed resumes", async () => {
    const responses = prompts.flatMap((p) => [`model-a says ${p.text}`, `model-b says ${p.text}`]);
    const dead = fakeProvider({ broken: new Set(responses) });
    const run1 = await runCampaign(campaign(dead.provider));
    expect(run1.status).toBe("incomplete");
    expect(run1.reason).toBe(
      `no response was judged: all ${2 * PROMPTS} judge calls failed (cje status lists the errors); fix the cause and run again with --retry-failed (retryFailed: true)`,
    );
    expect(run1.analysis).toBeNull();
    expect(dead.calls.judge.filter((c) => c.startsWith("oracle|"))).toHaveLength(0);

    const fixed = fakeProvider();
    const run2 = await runCampaign(campaign(fixed.provider), { retryFailed: true });
    expect(run2.status).toBe("complete");
    expect(fixed.calls.generate).toHaveLength(0);
    expect(fixed.calls.judge.filter((c) => c.startsWith("judge|"))).toHaveLength(2 * PROMPTS);
  });

  it("runs every stage, resumes after transient failures, and never calls a stored unit again", async () => {
    const broken = "model-b says Question 7";
    const first = fakeProvider({ transient: new Set(["Question 3", "Question 4"]), broken: new Set([broken]) });
    const run1 = await runCampaign(campaign(first.provider));
    expect(run1.status).toBe("incomplete");
    expect(run1.reason).toMatch(/4 generate calls failed with transient errors/);
    expect(first.calls.generate).toHaveLength(2 * PROMPTS);
    expect(first.calls.judge).toHaveLength(0);

    const second = fakeProvider({ broken: new Set([broken]) });
    const run2 = await runCampaign(campaign(second.provider));
    expect(run2.status).toBe("complete");
    expect(second.calls.generate.sort()).toEqual(["model-a|Question 3", "model-a|Question 4", "model-b|Question 3", "model-b|Question 4"]);
    expect(second.calls.judge.filter((c) => c.startsWith("judge|"))).toHaveLength(2 * PROMPTS);
    expect(second.calls.judge.filter((c) => c.startsWith("oracle|"))).toHaveLength(20);
    expect(run2.failures).toEqual([
      expect.objectContaining({ stage: "judge", policy: "b", promptId: "q7", failure: expect.objectContaining({ code: "invalid_output", retryable: false }) }),
    ]);
    expect(run2.attempts).toEqual({ attempts: 4 * PROMPTS + 4 + 20 + 2, failedAttempts: 5, interrupted: 0 });
    const analysis = AnalysisResultSchema.parse(run2.analysis);
    expect(analysis.policies.map((p) => [p.policy, p.n, p.n_oracle])).toEqual([
      ["a", PROMPTS, 20],
      ["b", PROMPTS - 1, 0],
    ]);
    expect(analysis.diagnostics.label_design).toMatchObject({ kind: "known_propensity", inclusion_range: [0.5, 0.5] });
    expect(JSON.parse(await readFile(run2.paths.json, "utf8"))).toEqual(run2.analysis);
    const html = await readFile(run2.paths.html, "utf8");
    expect(html).toContain("1 failed judge unit");
    const draws = (await readFile(path.join(run2.paths.draws, "b_responses.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(draws).toHaveLength(PROMPTS - 1);
    expect(draws[0]).toEqual({ prompt_id: "q0", prompt: "Question 0", response: "model-b says Question 0", judge_score: expect.any(Number) });

    const third = fakeProvider({ broken: new Set([broken]) });
    const run3 = await runCampaign(campaign(third.provider));
    expect(run3.status).toBe("complete");
    expect(third.calls).toEqual({ generate: [], judge: [] });
    expect(run3.analysis).toEqual(run2.analysis);
    expect(run3.cost.lines).toEqual([]);

    const retried = fakeProvider();
    const run4 = await runCampaign(campaign(retried.provider), { retryFailed: true });
    expect(retried.calls.judge).toEqual([`judge|Question 7|${broken}`]);
    expect(run4.failures).toEqual([]);
  });

  it("stops dispatching when its signal aborts, stores the calls in flight, and resumes", async () => {
    const { provider, calls } = fakeProvider();
    const controller = new AbortController();
    const counting: Provider = {
      ...provider,
      generator: (model) => {
        const inner = provider.generator(model);
        return {
          modelId: model,
          generate: (request) => {
            if (calls.generate.length === 10) controller.abort();
            return inner.generate(request);
          },
        };
      },
    };
    const stopped = await runCampaign(campaign(counting), { signal: controller.signal });
    expect(stopped.status).toBe("incomplete");
    expect(stopped.reason).toMatch(/interrupted/);
    const stored = stopped.stages[0].completed;
    expect(stored).toBeGreaterThanOrEqual(10);
    expect(stored).toBeLessThan(2 * PROMPTS);
    const resumed = await runCampaign(campaign(counting));
    expect(resumed.status).toBe("complete");
    expect(calls.generate).toHaveLength(2 * PROMPTS);
  });

  it("collects human labels through a blind file, across runs", async () => {
    const { provider } = fakeProvider();
    const labels = path.join(folder, "labels.csv");
    const human = campaign(provider, {
      oracle: { type: "human", file: "labels.csv", scale: { min: 1, max: 5 } },
      labels: { policies: ["a"], budget: 10, seed: 1 },
    });
    const run1 = await runCampaign(human);
    expect(run1.status).toBe("incomplete");
    expect(run1.reason).toMatch(/10 oracle labels pending: fill in the oracle_label column of .*labels\.csv/);
    const todo = (await readFile(labels, "utf8")).trim().split("\n");
    expect(todo[0]).toBe("item_id,prompt,response,oracle_label");
    expect(todo).toHaveLength(11);
    expect(todo.join("\n")).not.toContain("model-b");

    const filled = todo.map((line, i) => (i === 0 ? line : `${line}${1 + (i % 5)}`));
    await writeFile(labels, `${filled.slice(0, 6).join("\n")}\n${todo.slice(6).join("\n")}\n`);
    const run2 = await runCampaign(human);
    expect(run2.status).toBe("incomplete");
    expect(run2.reason).toMatch(/5 oracle labels pending: .*labels-todo\.csv/);
    expect(existsSync(path.join(folder, "labels-todo.csv"))).toBe(true);

    await writeFile(labels, `${filled.join("\n")}\n`);
    const run3 = await runCampaign(human);
    expect(run3.status).toBe("complete");
    expect(run3.analysis?.policies.find((p) => p.policy === "a")?.n_oracle).toBe(10);

    const changed = [...filled];
    changed[2] = changed[2].replace(/\d$/, (d) => String(1 + (Number(d) % 5)));
    await writeFile(labels, `${changed.join("\n")}\n`);
    await expect(runCampaign(human)).rejects.toThrow(/label changed/);
    await writeFile(labels, `${filled.join("\n")}\nffffffffffff,x,y,3\n`);
    const unknown = await runCampaign(human).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(CjeInputError);
    expect((unknown as CjeInputError).location).toMatchObject({ file: labels, line: 12, field: "item_id" });
  });

  it("estimates the cost before spending and asks before billable calls", async () => {
    const api = resolveCampaign(
      {
        name: "api",
        prompts: { items: prompts.slice(0, 10) },
        providers: { openai: { type: "openai", baseURL: "http://127.0.0.1:9/v1" } },
        policies: [{ name: "a", provider: "openai", model: "gpt-4o-mini", maxTokens: 100 }],
        judge: { provider: "openai", model: "gpt-4o" },
        oracle: { type: "llm", provider: "openai", model: "gpt-4o" },
        labels: { share: 0.5 },
        outputs: { dir: folder },
      },
      { baseDir: folder },
    );
    const dry = await runCampaign(api, { dryRun: true });
    expect(dry.status).toBe("dry-run");
    expect(dry.cost.lines.map((l) => [l.stage, l.model, l.calls, l.outputTokens])).toEqual([
      ["generate", "gpt-4o-mini", 10, 1000],
      ["judge", "gpt-4o", 10, 160],
      ["label", "gpt-4o", 5, 80],
    ]);
    expect(dry.cost.billableCalls).toBe(25);
    expect(dry.cost.totalUsd).toBeGreaterThan(0);
    await expect(runCampaign(api)).rejects.toThrow(/25 billable calls .*pass yes/);
    let asked = 0;
    const declined = await runCampaign(api, {
      confirm: () => {
        asked++;
        return false;
      },
    });
    expect([declined.status, asked, declined.attempts.attempts]).toEqual(["declined", 1, 0]);
  });

  it("draws the label sample with a design of @cjeval/oracle and carries its inclusion probabilities", async () => {
    const { provider } = fakeProvider();
    const run = await runCampaign(campaign(provider, { labels: { budget: 24, seed: 2, design: { kind: "stratified", strata: 3 } } }));
    expect(run.status).toBe("complete");
    const design = run.analysis?.diagnostics.label_design;
    expect(design).toMatchObject({ kind: "known_propensity", n_labelled: 24 });
    const store = openSqliteStore(run.paths.store, { mode: "read" });
    const [sample] = await store.results("sample");
    await store.close();
    expect((sample.value as { design: string }).design).toMatch(/stratified by judge score/);
    expect((sample.value as { selected: unknown[] }).selected).toHaveLength(24);
  });
});
