import { describe, expect, it } from "vitest";
import { scoreDistribution } from "../src/score-distribution.js";

const SCALE = { min: 0, max: 100 };

describe("scoreDistribution", () => {
  it("renormalises over score tokens, merges spellings and records the covered mass", () => {
    const top = [
      { token: "80", logprob: Math.log(0.5) },
      { token: " 80", logprob: Math.log(0.1) },
      { token: "90", logprob: Math.log(0.2) },
      { token: "The", logprob: Math.log(0.1) },
      { token: "70", logprob: -9999 },
      { token: "150", logprob: Math.log(0.05) },
    ];
    const d = scoreDistribution([{ token: "80", logprob: Math.log(0.5), top }], "80", 0, "80", SCALE);
    expect(d).toBeDefined();
    if (d === undefined) return;
    expect(d.coveredMass).toBeCloseTo(0.8, 12);
    expect(d.probabilities).toEqual([
      { score: 80, probability: expect.closeTo(0.75, 12) },
      { score: 90, probability: expect.closeTo(0.25, 12) },
    ]);
    expect(d.expectedNative).toBeCloseTo(82.5, 12);
    expect(d.expected).toBeCloseTo(0.825, 12);
    expect(d.argmaxNative).toBe(80);
  });

  it("finds the score token inside a longer answer", () => {
    const tokens = [
      { token: "Score", logprob: -0.1, top: [] },
      { token: ":", logprob: -0.1, top: [] },
      {
        token: " 7",
        logprob: Math.log(0.6),
        top: [
          { token: " 7", logprob: Math.log(0.6) },
          { token: " 8", logprob: Math.log(0.4) },
        ],
      },
    ];
    const d = scoreDistribution(tokens, "Score: 7", 7, "7", { min: 1, max: 10 });
    expect(d?.expectedNative).toBeCloseTo(7.4, 12);
    expect(d?.expected).toBeCloseTo(6.4 / 9, 12);
  });

  it("gives no distribution when the score spans tokens or the tokens do not spell the text", () => {
    const split = [
      { token: "1", logprob: -0.1, top: [{ token: "1", logprob: -0.1 }] },
      { token: "00", logprob: -0.1, top: [{ token: "00", logprob: -0.1 }] },
    ];
    expect(scoreDistribution(split, "100", 0, "100", SCALE)).toBeUndefined();
    const mismatch = [{ token: "80", logprob: -0.1, top: [{ token: "80", logprob: -0.1 }] }];
    expect(scoreDistribution(mismatch, "85", 0, "85", SCALE)).toBeUndefined();
    const noTop = [{ token: "80", logprob: -0.1, top: [] }];
    expect(scoreDistribution(noTop, "80", 0, "80", SCALE)).toBeUndefined();
  });
});
