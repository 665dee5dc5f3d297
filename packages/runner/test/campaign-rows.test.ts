import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { analyze, CjeInputError, evaluationDataFromRecords, type Provider } from "@cjeval/core";
import { fakeCampaign, fakePrompts, fakeProvider, fakeScore } from "@cjeval/test-utils";
import { beforeEach, describe, expect, it } from "vitest";
import {
  campaignRows,
  judgedDrawRecords,
  openSqliteStore,
  resolveCampaign,
  runCampaign,
  type CampaignInput,
  type JudgedDraw,
  type ResolvedCampaign,
} from "../src/index.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), "cje-rows-"));
});

const PROMPTS = 40;
const LABELS = 20;
const prompts = fakePrompts(PROMPTS);
const UNIT_SCALES = { judgeScale: { min: 0, max: 1 }, oracleScale: { min: 0, max: 1 } };

function campaign(provider: Provider, extra: Partial<CampaignInput> = {}): ResolvedCampaign {
  const base = fakeCampaign(provider, folder, { name: "rows", prompts: { items: prompts }, labels: { policies: ["a"], budget: LABELS, seed: 3 } });
  return resolveCampaign({ ...base, ...extra }, { baseDir: folder });
}

/** The fresh draws the estimate stage wrote, by policy, as parsed JSON lines. */
async function writtenDraws(resolved: ResolvedCampaign, policies: readonly string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const policy of policies) {
    const text = await readFile(path.join(resolved.paths.draws, `${policy}_responses.jsonl`), "utf8");
    out[policy] = text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as unknown);
  }
  return out;
}

async function rowsOf(resolved: ResolvedCampaign) {
  const store = openSqliteStore(resolved.paths.store, { mode: "read" });
  try {
    return await campaignRows(store);
  } finally {
    await store.close();
  }
}

describe("campaignRows", () => {
  it("reads from the store alone the draws the estimate stage analysed: responses, verdicts, the design's labels, no probe labels", async () => {
    const resolved = campaign(fakeProvider().provider, { audit: { probesPerPolicy: 10 } });
    const run = await runCampaign(resolved);
    expect(run.status).toBe("complete");
    const { draws, superseded } = await rowsOf(resolved);
    expect(superseded).toBe(0);
    // Campaign order: policy by policy, prompts in order, each with its text, response and verdict.
    expect(draws.map((d) => `${d.policy}/${d.promptId}`)).toEqual(["a", "b"].flatMap((p) => prompts.map((q) => `${p}/${q.id}`)));
    const b7 = draws.find((d) => d.policy === "b" && d.promptId === "q7");
    expect(b7).toEqual({
      policy: "b",
      promptId: "q7",
      prompt: "Question 7",
      response: "model-b says Question 7",
      judgeScore: fakeScore("model-b says Question 7"),
    });
    // Labels: the design's rows of a, each with its inclusion probability; b's transport probes are labelled in the
    // store but never joined.
    const labelled = draws.filter((d) => d.oracleLabel !== undefined);
    expect(labelled).toHaveLength(LABELS);
    expect(labelled.every((d) => d.policy === "a" && d.inclusion !== undefined && d.inclusion > 0 && d.inclusion <= 1)).toBe(true);
    const store = openSqliteStore(resolved.paths.store, { mode: "read" });
    const probeLabels = (await store.results("label")).filter((r) => r.policy === "b");
    await store.close();
    expect(probeLabels).toHaveLength(10);
    // As records: exactly the fresh draws the estimate stage wrote, and the analysis it stored.
    const records = judgedDrawRecords(draws);
    expect(records).toEqual(await writtenDraws(resolved, ["a", "b"]));
    const direct = analyze(evaluationDataFromRecords(records, UNIT_SCALES), { inference: "analytic" });
    expect(direct.policies.map((p) => [p.policy, p.estimate, p.n_oracle])).toEqual(run.analysis?.policies.map((p) => [p.policy, p.estimate, p.n_oracle]));
  });

  it("takes the latest result of each row when the campaign changed between runs, and counts what it superseded", async () => {
    expect((await runCampaign(campaign(fakeProvider().provider))).status).toBe("complete");
    // Policy b answers with another model: new generations and verdicts of b's rows; the older ones stay stored.
    const changed = campaign(fakeProvider().provider, {
      policies: [
        { name: "a", provider: "fake", model: "model-a" },
        { name: "b", provider: "fake", model: "model-c" },
      ],
    });
    expect((await runCampaign(changed)).status).toBe("complete");
    const { draws, superseded } = await rowsOf(changed);
    expect(superseded).toBe(2 * PROMPTS);
    expect(draws.filter((d) => d.policy === "b").every((d) => d.response.startsWith("model-c says"))).toBe(true);
    expect(judgedDrawRecords(draws)).toEqual(await writtenDraws(changed, ["a", "b"]));
  });

  it("lists prompts from a file in the order they were run, without their texts, which the store does not keep", async () => {
    await writeFile(path.join(folder, "prompts.jsonl"), `${prompts.map((p) => JSON.stringify({ prompt_id: p.id, prompt: p.text })).join("\n")}\n`);
    const resolved = campaign(fakeProvider().provider, { prompts: "prompts.jsonl" });
    expect((await runCampaign(resolved)).status).toBe("complete");
    const { draws } = await rowsOf(resolved);
    expect(draws.map((d) => `${d.policy}/${d.promptId}`)).toEqual(["a", "b"].flatMap((p) => prompts.map((q) => `${p}/${q.id}`)));
    expect(draws.some((d) => "prompt" in d)).toBe(false);
    const written = await writtenDraws(resolved, ["a", "b"]);
    const withoutPrompts = Object.fromEntries(Object.entries(written).map(([p, rows]) => [p, rows.map((r) => ({ ...(r as object), prompt: undefined }))]));
    expect(judgedDrawRecords(draws)).toEqual(withoutPrompts);
  });

  it("gives the judged rows of a campaign before its label stage, and none before its first verdict", async () => {
    const store = openSqliteStore(path.join(folder, "campaign.sqlite"));
    try {
      expect(await campaignRows(store)).toEqual({ draws: [], superseded: 0 });
      await store.registerUnits([
        { key: "g1", stage: "generate", policy: "a", promptId: "q1" },
        { key: "g2", stage: "generate", policy: "a", promptId: "q2" },
        { key: "j2", stage: "judge", policy: "a", promptId: "q2" },
      ]);
      for (const [key, value] of [
        ["g1", { text: "one" }],
        ["g2", { text: "two", finishReason: "stop" }],
        ["j2", { score: 0.75, native: 4, raw: "4" }],
      ] as const) {
        await store.beginAttempt(key);
        await store.completeAttempt(key, { value });
      }
      const expected: JudgedDraw[] = [{ policy: "a", promptId: "q2", response: "two", judgeScore: 0.75 }];
      expect(await campaignRows(store)).toEqual({ draws: expected, superseded: 0 });
    } finally {
      await store.close();
    }
  });

  it("names the store and the unit when a stored value does not fit its stage's schema or names no row", async () => {
    const file = path.join(folder, "campaign.sqlite");
    const store = openSqliteStore(file);
    try {
      await store.registerUnits([{ key: "judge-odd", stage: "judge", policy: "a", promptId: "q1" }]);
      await store.beginAttempt("judge-odd");
      await store.completeAttempt("judge-odd", { value: { verdict: "good" } });
      const error = await campaignRows(store).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CjeInputError);
      expect((error as Error).message).toMatch(/campaign\.sqlite: stored judge result of unit judge-odd does not fit its stage's schema at score: /);
    } finally {
      await store.close();
    }
    const other = openSqliteStore(path.join(folder, "other.sqlite"));
    try {
      await other.registerUnits([{ key: "gen-nowhere", stage: "generate", policy: null, promptId: null }]);
      await other.beginAttempt("gen-nowhere");
      await other.completeAttempt("gen-nowhere", { value: { text: "hello" } });
      await expect(campaignRows(other)).rejects.toThrow(/other\.sqlite: stored generate result of unit gen-nowhere names no policy or prompt/);
    } finally {
      await other.close();
    }
  });
});
