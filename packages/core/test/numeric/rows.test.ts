import { describe, expect, it } from "vitest";
import { gatherCodes, gatherRows, rowsWith, rowsWithout } from "../../src/numeric/rows.js";

describe("row selections", () => {
  it("split rows by code (ascending, complementary) and gather columns on them", () => {
    const folds = Int32Array.from([2, 0, 1, 2, 2, 0]);
    expect(Array.from(rowsWith(folds, 2))).toEqual([0, 3, 4]);
    expect(Array.from(rowsWithout(folds, 2))).toEqual([1, 2, 5]);
    expect(Array.from(rowsWith(folds, 7))).toEqual([]);
    const values = Float64Array.from([0.5, -1, 2.25, 3, 4, -0]);
    expect(Array.from(gatherRows(values, rowsWithout(folds, 2)))).toEqual([-1, 2.25, -0]);
    expect(Array.from(gatherCodes(folds, Int32Array.from([5, 0])))).toEqual([0, 2]);
  });
});
