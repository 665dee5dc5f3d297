import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Judge, JudgeRequest } from "@cjeval/core";
import { describe, expect, it } from "vitest";
import { formatJsonl, LabelStore, labelPending, llmOracle, readToLabel } from "../src/index.js";
import { toLabelFixture } from "./to-label-fixture.js";

/** A judge scoring responses by a rule, on a 1–10 rubric; it refuses responses containing "refuse". */
function ruleJudge(): Judge & { requests: JudgeRequest[] } {
  const requests: JudgeRequest[] = [];
  return {
    modelId: "strong-model",
    requests,
    async judge(request) {
      requests.push(request);
      if (request.response.includes("refuse")) throw new Error("judge output had no score");
      const native = 1 + (request.prompt.length % 10);
      return { score: (native - 1) / 9, nativeScore: native, scale: { min: 1, max: 10 }, raw: `Score: ${native}` };
    },
  };
}

async function storeWith(rows = toLabelFixture(6)): Promise<LabelStore> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), "cje-oracle-")), "to-label.jsonl");
  await writeFile(file, formatJsonl(rows));
  return LabelStore.open(file);
}

describe("the LLM oracle", () => {
  it("labels with the judge's 0–1 score, sees only prompt and response, and saves each label to disk at once", async () => {
    const judge = ruleJudge();
    const oracle = llmOracle(judge);
    expect(oracle).toMatchObject({ id: "llm:strong-model", scale: { min: 0, max: 1 } });
    const store = await storeWith();
    const onDisk: boolean[] = [];
    const outcome = await labelPending(
      store.rows,
      oracle,
      async (id, label) => {
        await store.set(id, label);
        onDisk.push((await readToLabel(store.file)).rows.find((r) => r.item_id === id)?.oracle_label === label);
      },
      { concurrency: 2 },
    );
    expect(outcome).toEqual({ labelled: 6, failed: [] });
    expect(onDisk).toEqual(Array(6).fill(true));
    expect(judge.requests.map((r) => Object.keys(r).sort())).toEqual(Array(6).fill(["prompt", "response"]));
    const rows = (await readToLabel(store.file)).rows;
    rows.forEach((r) => expect(r.oracle_label).toBeCloseTo(((r.prompt as string).length % 10) / 9, 12));
  });

  it("reports failed items without labelling them, and a re-run asks only for what is missing", async () => {
    const judge = ruleJudge();
    const rows = toLabelFixture(4);
    rows[2] = { ...rows[2], response: "I refuse" };
    const store = await storeWith(rows);
    const first = await labelPending(store.rows, llmOracle(judge), (id, label) => store.set(id, label));
    expect(first.labelled).toBe(3);
    expect(first.failed).toEqual([{ itemId: "item3", error: "judge output had no score" }]);
    expect((await readToLabel(store.file)).rows[2].oracle_label).toBeNull();
    judge.requests.length = 0;
    const again = await labelPending((await LabelStore.open(store.file)).rows, llmOracle(judge), (id, label) => store.set(id, label));
    expect(judge.requests.map((r) => r.response)).toEqual(["I refuse"]);
    expect(again.failed).toHaveLength(1);
  });
});

describe("LabelStore", () => {
  it("resumes from the file and rejects unknown items", async () => {
    const store = await storeWith();
    await Promise.all([store.set("item2", 3), store.set("item5", 1), store.set("item2", 4)]);
    const reopened = await LabelStore.open(store.file);
    expect(reopened.progress()).toEqual({ labelled: 2, total: 6 });
    expect(reopened.rows.map((r) => r.oracle_label)).toEqual([null, 4, null, null, 1, null]);
    await expect(reopened.set("nope", 1)).rejects.toThrow(/field 'item_id' = "nope": unknown item/);
  });
});
