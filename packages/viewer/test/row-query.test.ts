import { describe, expect, it } from "vitest";
import { queryRows, rowsByPrompt } from "../app/rows/row-query.js";
import { visibleWindow } from "../app/rows/visible-window.js";
import type { ViewRows } from "../src/index.js";

const rows: ViewRows = {
  prompts: { id: ["q2", "q1"], text: ["What is a Hammer?", null] },
  policies: ["zeta", "alpha"],
  prompt: [0, 0, 1, 1, 0],
  policy: [0, 1, 0, 1, 0],
  response: ["a nail", "A HAMMER hits", "b", null, "c"],
  judge: [0.5, 0.2, 0.9, 0.2, 0.7],
  calibrated: [0.4, 0.1, 0.8, 0.1, 0.6],
  oracle: [null, 0.3, 1, null, 0.5],
  residual: [null, 0.2, 0.2, null, -0.1],
};
const all = { policy: null, labelledOnly: false, search: "", sort: "row", descending: false } as const;

describe("queryRows", () => {
  it("filters by policy, labels and case-insensitive text in prompt, policy and response", () => {
    expect(queryRows(rows, all)).toEqual([0, 1, 2, 3, 4]);
    expect(queryRows(rows, { ...all, policy: 1 })).toEqual([1, 3]);
    expect(queryRows(rows, { ...all, labelledOnly: true })).toEqual([1, 2, 4]);
    expect(queryRows(rows, { ...all, search: "hammer" })).toEqual([0, 1, 4]);
    expect(queryRows(rows, { ...all, search: "ALPHA" })).toEqual([1, 3]);
    expect(queryRows(rows, { ...all, search: "q1" })).toEqual([2, 3]);
    expect(queryRows(rows, { ...all, search: "(" })).toEqual([]);
  });

  it("sorts numbers with ties in bundle order and nulls last in both directions", () => {
    expect(queryRows(rows, { ...all, sort: "judge" })).toEqual([1, 3, 0, 4, 2]);
    expect(queryRows(rows, { ...all, sort: "judge", descending: true })).toEqual([2, 4, 0, 1, 3]);
    expect(queryRows(rows, { ...all, sort: "oracle" })).toEqual([1, 4, 2, 0, 3]);
    expect(queryRows(rows, { ...all, sort: "oracle", descending: true })).toEqual([2, 4, 1, 0, 3]);
    expect(queryRows(rows, { ...all, sort: "residual" })).toEqual([4, 1, 2, 0, 3]);
  });

  it("sorts prompts and policies by name and responses as text", () => {
    expect(queryRows(rows, { ...all, sort: "prompt" })).toEqual([2, 3, 0, 1, 4]);
    expect(queryRows(rows, { ...all, sort: "policy" })).toEqual([1, 3, 0, 2, 4]);
    expect(queryRows(rows, { ...all, sort: "response" })).toEqual([3, 1, 0, 2, 4]);
    expect(queryRows(rows, { ...all, sort: "row", descending: true })).toEqual([4, 3, 2, 1, 0]);
  });
});

describe("rowsByPrompt", () => {
  it("groups row indices by prompt", () => {
    expect(rowsByPrompt(rows)).toEqual([
      [0, 1, 4],
      [2, 3],
    ]);
  });
});

describe("visibleWindow", () => {
  it("covers the viewport plus the overscan, clamped to the list", () => {
    expect(visibleWindow(0, 360, 36, 1000)).toEqual({ start: 0, end: 18 });
    expect(visibleWindow(3600, 360, 36, 1000)).toEqual({ start: 92, end: 118 });
    expect(visibleWindow(36_000, 360, 36, 1000)).toEqual({ start: 992, end: 1000 });
    expect(visibleWindow(-50, 360, 36, 3)).toEqual({ start: 0, end: 3 });
    expect(visibleWindow(0, 360, 36, 0)).toEqual({ start: 0, end: 0 });
  });
});
