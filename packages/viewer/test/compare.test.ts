import { analyze, evaluationDataFromRecords } from "@cjeval/core";
import { describe, expect, it } from "vitest";
import { compareRuns, differenceOfRuns, welchSatterthwaiteDf } from "../src/index.js";

describe("welchSatterthwaiteDf", () => {
  it("matches hand-computed values", () => {
    // (0.0009 + 0.0016)² / (0.0009²/20 + 0.0016²/30) = 6.25e-6 / 1.2583…e-7
    expect(welchSatterthwaiteDf(0.03, 20, 0.04, 30)).toBeCloseTo(49.66887417218543, 10);
    // one normal estimate: its term vanishes, 6.25e-6 / (0.0009²/10)
    expect(welchSatterthwaiteDf(0.03, 10, 0.04, undefined)).toBeCloseTo(77.1604938271605, 10);
    // equal variances on 1 df each: (2v)² / (2v²) = 2
    expect(welchSatterthwaiteDf(0.3, 1, 0.3, 1)).toBeCloseTo(2, 12);
    expect(welchSatterthwaiteDf(0.03, undefined, 0.04, undefined)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("differenceOfRuns", () => {
  it("gives a normal interval when neither run has df", () => {
    const d = differenceOfRuns({ estimate: 0.7, se: 0.03 }, { estimate: 0.798, se: 0.04 });
    expect(d.difference).toBeCloseTo(0.098, 14);
    expect(d.se).toBeCloseTo(0.05, 14);
    expect(d.df).toBeNull();
    // z = 1.96: p = 2 (1 − Φ(1.96)); Φ⁻¹(0.975) = 1.959963984540054
    expect(d.p_value).toBeCloseTo(0.04999579029644087, 12);
    expect(d.ci[0]).toBeCloseTo(0.098 - 1.959963984540054 * 0.05, 12);
    expect(d.ci[1]).toBeCloseTo(0.098 + 1.959963984540054 * 0.05, 12);
  });

  it("uses Student t on the Welch–Satterthwaite df (closed forms at df = 2)", () => {
    const se = 0.3 * Math.SQRT2;
    // t = 1 on 2 df: p = 1 − t / √(2 + t²); t₀.₉₇₅(2) = 0.95 / √(2 · 0.975 · 0.025)
    const d = differenceOfRuns({ estimate: 1, se: 0.3, df: 1 }, { estimate: 1 + se, se: 0.3, df: 1 });
    expect(d.se).toBeCloseTo(se, 14);
    expect(d.df).toBeCloseTo(2, 12);
    expect(d.p_value).toBeCloseTo(1 - 1 / Math.sqrt(3), 12);
    const t = 0.95 / Math.sqrt(2 * 0.975 * 0.025);
    expect(d.ci[0]).toBeCloseTo(se - t * se, 12);
    expect(d.ci[1]).toBeCloseTo(se + t * se, 12);
  });

  it("takes the level from alpha", () => {
    // 90%: Φ⁻¹(0.95) = 1.6448536269514722
    const d = differenceOfRuns({ estimate: 0, se: 0.3 }, { estimate: 0, se: 0.4 }, 0.1);
    expect(d.ci[1]).toBeCloseTo(0.5 * 1.6448536269514722, 12);
    expect(d.p_value).toBeCloseTo(1, 12);
  });
});

describe("compareRuns", () => {
  const result = (shift: number, policies: string[]) => {
    const records = Object.fromEntries(
      policies.map((policy, k) => [
        policy,
        Array.from({ length: 120 }, (_, i) => {
          const judge = Math.min(1, Math.max(0, 0.4 + 0.1 * k + shift + 0.3 * Math.sin(i * 1.3)));
          return { prompt_id: `p${i}`, judge_score: judge, ...(i % 3 === 0 ? { oracle_label: Math.min(1, Math.max(0, judge + 0.1 * Math.cos(i))) } : {}) };
        }),
      ]),
    );
    return analyze(evaluationDataFromRecords(records));
  };

  it("subtracts shared policies and says why the others cannot be", () => {
    const before = result(0, ["a", "b"]);
    const after = result(0.05, ["a", "c"]);
    const rows = compareRuns(before, after);
    expect(rows.map((r) => [r.policy, r.comparable])).toEqual([
      ["a", true],
      ["b", false],
      ["c", false],
    ]);
    const a = rows[0];
    if (!a.comparable) throw new Error("a is comparable");
    const pb = before.policies[0];
    const pa = after.policies[0];
    expect(a.difference).toEqual(differenceOfRuns({ estimate: pb.estimate!, se: pb.se!, df: pb.df }, { estimate: pa.estimate!, se: pa.se!, df: pa.df }));
    expect(rows[1]).toMatchObject({ comparable: false, reason: "not in the second run" });
    expect(rows[2]).toMatchObject({ comparable: false, reason: "not in the first run" });
  });
});
