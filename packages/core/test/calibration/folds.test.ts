import { describe, expect, it } from "vitest";
import { assignFolds, resolveFoldCount } from "../../src/calibration/folds.js";

const ids = (prefix: string, n: number, pad = 0) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(pad, "0")}`);

describe("balanced cluster folds (golden values from the reference, method-direct §5)", () => {
  it("q00..q09 with K = 5 and K = 2", () => {
    expect(Array.from(assignFolds(ids("q", 10, 2), 5))).toEqual([1, 3, 4, 1, 4, 2, 3, 0, 2, 0]);
    expect(Array.from(assignFolds(ids("q", 10, 2), 2))).toEqual([1, 1, 0, 0, 1, 0, 0, 1, 1, 0]);
  });

  it("p0..p19 with seeds 42 and 7", () => {
    expect(Array.from(assignFolds(ids("p", 20), 5))).toEqual([2, 2, 2, 4, 0, 4, 3, 4, 0, 0, 4, 1, 1, 1, 1, 2, 3, 3, 3, 0]);
    expect(Array.from(assignFolds(ids("p", 20), 5, 7))).toEqual([1, 4, 4, 2, 2, 1, 0, 0, 4, 3, 3, 0, 1, 0, 2, 1, 3, 4, 3, 2]);
  });

  it("ids outside the balancing set use the hash modulo K", () => {
    const all = ids("p", 20);
    expect(Array.from(assignFolds(all, 5, 42, all.slice(0, 10)))).toEqual([1, 2, 0, 1, 4, 3, 2, 3, 4, 0, 0, 0, 1, 1, 4, 3, 0, 2, 3, 1]);
  });

  it("gives every row of a prompt the same fold and balances fold sizes", () => {
    const rows = ids("c", 53).flatMap((id) => [id, id, id]);
    const folds = assignFolds(rows, 5);
    for (let i = 0; i < rows.length; i += 3) expect(new Set([folds[i], folds[i + 1], folds[i + 2]]).size).toBe(1);
    const sizes = [0, 0, 0, 0, 0];
    for (let i = 0; i < rows.length; i += 3) sizes[folds[i]]++;
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });
});

describe("fold count resolution", () => {
  it("reduces folds when labelled clusters are few (reference table)", () => {
    expect([4, 5, 6, 7, 8, 9, 10, 50].map((c) => resolveFoldCount(c, 5))).toEqual([2, 2, 3, 3, 4, 4, 5, 5]);
  });
  it("refuses fewer than four clusters", () => {
    expect(() => resolveFoldCount(3)).toThrow(/at least 4/);
  });
});
