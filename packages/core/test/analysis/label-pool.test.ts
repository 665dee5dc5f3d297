import { describe, expect, it } from "vitest";
import { poolOracleLabels } from "../../src/analysis/label-pool.js";
import type { CalibrationRow } from "../../src/data/types.js";
import { buildEvalTable } from "../../src/direct/eval-table.js";

const cal = (promptId: string, judgeScore: number, oracleLabel: number, line: number): CalibrationRow => ({
  promptId,
  judgeScore,
  oracleLabel,
  numericFields: {},
  source: { file: "x.jsonl", line },
});

describe("oracle-label pooling", () => {
  const table = buildEvalTable(
    [
      { policy: "base", promptId: "a", judgeScore: 0.5, oracleLabel: 0.4 },
      { policy: "base", promptId: "b", judgeScore: 0.7, oracleLabel: null },
    ],
    ["base"],
  );

  it("merges a source row identical to a labelled fresh draw once, keeps everything else, and reports the merge", () => {
    const warnings: string[] = [];
    const pool = poolOracleLabels(
      table,
      [
        { label: "calibration-file", rows: [cal("a", 0.5, 0.4, 1), cal("a", 0.5, 0.4, 2), cal("a", 0.5, 0.6, 3)] },
        { label: "logged", rows: [cal("a", 0.5, 0.4, 1), cal("b", 0.7, 1, 2)] },
      ],
      [],
      warnings,
    );
    // Fresh draw a; calibration rows 2 and 3 (row 1 merged); logged: both a-copies already pooled → merged once; b new.
    expect(Array.from(pool!.labels)).toEqual([0.4, 0.4, 0.6, 1]);
    expect(pool!.promptIds).toEqual(["a", "a", "a", "b"]);
    expect(Array.from(pool!.evalRow)).toEqual([table.labelledRows[0], -1, -1, -1]);
    expect(pool!.nFromFile).toBe(3);
    expect(warnings).toEqual([
      "1 calibration-file row(s) repeat a labelled fresh draw (same prompt_id, judge_score and oracle_label); each such label is counted once.",
      "1 logged row(s) repeat an already pooled labelled row (same prompt_id, judge_score and oracle_label); each such label is counted once.",
    ]);
  });

  it("works without fresh draws and returns null without any label", () => {
    const warnings: string[] = [];
    expect(poolOracleLabels(null, [{ label: "logged", rows: [cal("a", 0.1, 0.2, 1)] }], [], warnings)?.scores.length).toBe(1);
    expect(poolOracleLabels(null, [], [], warnings)).toBeNull();
    expect(warnings).toEqual([]);
  });
});
