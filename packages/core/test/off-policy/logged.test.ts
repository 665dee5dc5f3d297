import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CjeInputError } from "../../src/errors/input-error.js";
import { loggedDataFromRecords, loggedLabelRows, targetRows } from "../../src/off-policy/logged.js";
import { loadLoggedData } from "../../src/off-policy/logged-file.js";
import { arenaDir } from "../helpers/shared-data.js";

const row = (over: Record<string, unknown> = {}) => ({
  prompt_id: "p1",
  response: "héllo 👋",
  judge_score: 0.5,
  base_policy_logprob: -10,
  target_policy_logprobs: { a: -11, b: -9 },
  ...over,
});

describe("logged-data ingestion", () => {
  it("loads the Arena logged data: prompt ids from metadata, three targets, 480 labels", async () => {
    const data = await loadLoggedData(path.join(arenaDir, "logged_data.jsonl"));
    expect(data.n).toBe(1000);
    expect(data.targets).toEqual(["clone", "parallel_universe_prompt", "unhelpful"]);
    expect(data.promptIds[0]).toBe("arena_1574");
    expect(data.judgeScale.scale).toEqual({ min: 0, max: 1 });
    expect(loggedLabelRows(data)).toHaveLength(480);
    expect(data.tokenCounts).toBeNull();
    expect(data.dropped.total).toBe(0);
  });

  it("counts characters as code points, reads judge_score/oracle_label from metadata and maps scales", () => {
    const data = loggedDataFromRecords(
      [row({ judge_score: undefined, metadata: { judge_score: 80, oracle_label: 3 } }), row({ prompt_id: "p2", judge_score: 20 })],
      { oracleScale: { min: 1, max: 5 } },
    );
    expect(data.responseChars[0]).toBe(7);
    expect(Array.from(data.judgeScores)).toEqual([0.8, 0.2]);
    expect(data.oracleLabels[0]).toBe(0.5);
    expect(data.oracleLabels[1]).toBeNaN();
  });

  it("rejects non-finite and positive log-probs, naming line, field and value", () => {
    expect(() => loggedDataFromRecords([row(), row({ target_policy_logprobs: { a: 0.5, b: -1 } })])).toThrow(
      /in-memory:2: field 'target_policy_logprobs\.a' = 0\.5: a log-probability must be ≤ 0/,
    );
    expect(() => loggedDataFromRecords([row({ base_policy_logprob: Number.NaN })])).toThrow(/base_policy_logprob.*not finite/);
    expect(() => loggedDataFromRecords([row({ base_policy_logprob: "x" })])).toThrow(CjeInputError);
    expect(loggedDataFromRecords([row({ target_policy_logprobs: { a: 0, b: -1 } })]).targetLogprobs.a[0]).toBe(0);
  });

  it("a row missing one target's log-prob is an error by default and, with drop, is dropped for that target only", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-logged-"));
    const file = path.join(dir, "logged.jsonl");
    const rows = [row(), row({ prompt_id: "p2", target_policy_logprobs: { a: null, b: -2 } }), row({ prompt_id: "p3", target_policy_logprobs: { b: -3 } })];
    await writeFile(file, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    await expect(loadLoggedData(file)).rejects.toThrow(/logged\.jsonl:2: field 'target_policy_logprobs\.a' = null: null \(missing\) for this target/);
    const data = await loadLoggedData(file, { onInvalid: "drop" });
    expect(Array.from(targetRows(data, "a"))).toEqual([0]);
    expect(Array.from(targetRows(data, "b"))).toEqual([0, 1, 2]);
    expect(data.dropped.total).toBe(2);
    expect(data.dropped.byPolicy).toEqual({ a: 2 });
    expect(data.dropped.rows.map((r) => r.line)).toEqual([2, 3]);
    expect(data.warnings[0]).toMatch(/dropped 2/);
  });

  it("a missing logging log-prob removes the row (drop) or stops (error); the logger is never a target", () => {
    expect(() => loggedDataFromRecords([row({ base_policy_logprob: null })])).toThrow(/base_policy_logprob/);
    const kept = loggedDataFromRecords([row({ base_policy_logprob: null }), row({ prompt_id: "p2" })], { onInvalid: "drop" });
    expect(kept.n).toBe(1);
    expect(kept.dropped.byPolicy).toEqual({ "(logged)": 1 });
    const withLogger = loggedDataFromRecords([row({ target_policy_logprobs: { a: -1, base: -10 } })], { loggingPolicy: "base" });
    expect(withLogger.targets).toEqual(["a"]);
    expect(() => loggedDataFromRecords([row()], { targets: ["c"] })).toThrow(/no row has a target_policy_logprobs entry for target 'c'/);
    expect(() => loggedDataFromRecords([row()], { targets: ["a"], loggingPolicy: "a" })).toThrow(/logging policy/);
    expect(() => loggedDataFromRecords([row({ target_policy_logprobs: {} })])).toThrow(/no target policy/);
  });
});
