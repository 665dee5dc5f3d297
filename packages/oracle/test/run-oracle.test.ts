import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatJsonl, LabelStore, labelWithOracle, onLabelGrid, type Oracle, type OracleItem, type OracleProgress, readToLabel } from "../src/index.js";
import { toLabelFixture } from "./to-label-fixture.js";

/** An oracle on 0–1 answering item i with (i − 1)/5; it fails on items whose response says "refuse". */
function fakeOracle(): Oracle & { asked: string[] } {
  const asked: string[] = [];
  return {
    id: "fake",
    scale: { min: 0, max: 1 },
    asked,
    async label(item: OracleItem) {
      asked.push(item.itemId);
      if (item.response.includes("refuse")) throw new Error("no score in the answer");
      return { label: (Number(item.itemId.slice(4)) - 1) / 5, raw: "x" };
    },
  };
}

async function storeWith(rows = toLabelFixture(6)): Promise<LabelStore> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), "cje-run-oracle-")), "to-label.jsonl");
  await writeFile(file, formatJsonl(rows));
  return LabelStore.open(file);
}

describe("onLabelGrid", () => {
  it("maps labels linearly onto the grid, rounding to the nearest value, and refuses labels off the oracle's scale", async () => {
    const item = { itemId: "i", prompt: "p", response: "r" };
    const answering = (label: number): Oracle => ({ id: "o", scale: { min: 0, max: 100 }, label: async () => ({ label }) });
    const grid = { min: 1, max: 5, step: 1 };
    expect(onLabelGrid(answering(0), grid).scale).toEqual({ min: 1, max: 5 });
    const labels = await Promise.all([0, 12, 13, 50, 73, 100].map(async (x) => (await onLabelGrid(answering(x), grid).label(item)).label));
    expect(labels).toEqual([1, 1, 2, 3, 4, 5]);
    expect((await onLabelGrid(answering(30), { min: 0, max: 1, step: 0.1 }).label(item)).label).toBe(0.3);
    await expect(onLabelGrid(answering(101), grid).label(item)).rejects.toThrow("label 101 is outside the oracle's scale 0–100");
  });
});

describe("labelWithOracle", () => {
  it("labels only the pending rows on the file's scale, saves each at once, reports progress, and leaves failures pending", async () => {
    const rows = toLabelFixture(6);
    rows[1] = { ...rows[1], oracle_label: 2 };
    rows[3] = { ...rows[3], response: "I refuse" };
    const store = await storeWith(rows);
    const oracle = fakeOracle();
    const progress: OracleProgress[] = [];
    const saved: boolean[] = [];
    const summary = await labelWithOracle(store, oracle, {
      scale: { min: 1, max: 5, step: 1 },
      concurrency: 2,
      onProgress: (p) => {
        progress.push(p);
        saved.push(p.label === null || store.rows.find((r) => r.item_id === p.itemId)?.oracle_label === p.label);
      },
    });
    expect(summary).toEqual({ labelled: 4, failed: [{ itemId: "item4", error: "no score in the answer" }], total: 6, pending: 5 });
    expect(oracle.asked.sort()).toEqual(["item1", "item3", "item4", "item5", "item6"]);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5]);
    expect(progress.every((p) => p.pending === 5)).toBe(true);
    expect(progress.find((p) => p.itemId === "item4")).toMatchObject({ label: null, error: "no score in the answer" });
    expect(saved).toEqual(Array(5).fill(true));
    // item i answers (i − 1)/5 on 0–1 → 1 + 4(i − 1)/5 on 1–5, rounded: 1, 2 (kept), 3, pending, 4, 5.
    expect((await readToLabel(store.file)).rows.map((r) => r.oracle_label)).toEqual([1, 2, 3, null, 4, 5]);

    oracle.asked.length = 0;
    const again = await labelWithOracle(await LabelStore.open(store.file), oracle, { scale: { min: 1, max: 5, step: 1 } });
    expect(oracle.asked).toEqual(["item4"]);
    expect(again).toMatchObject({ labelled: 0, total: 6, pending: 1 });
  });
});
