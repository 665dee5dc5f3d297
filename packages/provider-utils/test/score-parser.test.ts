import { describe, expect, it } from "vitest";
import { parseJudgeScore } from "../src/score-parser.js";

const SCALE_100 = { min: 0, max: 100 };
const SCALE_10 = { min: 1, max: 10 };

/** Real-looking judge outputs → expected score or failure reason. */
const TABLE: ReadonlyArray<{ text: string; scale?: { min: number; max: number }; score?: number; rule?: string; fail?: string }> = [
  { text: "85", score: 85, rule: "bare" },
  { text: " 72\n", score: 72, rule: "bare" },
  { text: "**90**", score: 90, rule: "bare" },
  { text: "100.", score: 100, rule: "bare" },
  { text: "0", score: 0, rule: "bare" },
  { text: "64\n\nThe answer is correct but misses the edge case.", score: 64, rule: "bare" },
  { text: "Score: 78", score: 78, rule: "labelled" },
  { text: "**Score:** 55", score: 55, rule: "labelled" },
  { text: "The response is accurate and concise. I would give it a score of 88.", score: 88, rule: "labelled" },
  { text: "Reasoning: the code has a bug in line 3 and 2 typos.\nFinal score: 41/100", score: 41, rule: "labelled" },
  { text: "Rating: 7 out of 10", scale: SCALE_10, score: 7, rule: "labelled" },
  { text: "Score (0-100): 93", score: 93, rule: "labelled" },
  { text: "Initial score: 40. After checking the math again, revised score: 60", score: 60, rule: "labelled" },
  { text: "I rate it 35 because it ignores half the question.", score: 35, rule: "labelled" },
  { text: "Overall this deserves 8/10.", scale: SCALE_10, score: 8, rule: "fraction" },
  { text: '{"reasoning": "Correct and complete.", "score": 92}', score: 92, rule: "json" },
  { text: '```json\n{"score": 47, "reasoning": "Partly wrong."}\n```', score: 47, rule: "json" },
  { text: 'Here is my verdict: {"reasoning":"ok","score":"66"}', score: 66, rule: "json" },
  { text: "Score: 12.5", score: 12.5, rule: "labelled" },
  { text: "", fail: "empty" },
  { text: "   \n", fail: "empty" },
  { text: "I'm sorry, but I can't evaluate this content.", fail: "refusal" },
  { text: "I cannot provide a rating for this response as it involves self-harm.", fail: "refusal" },
  { text: "As an AI, I am unable to judge this.", fail: "refusal" },
  { text: "The response is good but could be better.", fail: "no_score" },
  { text: '{"reasoning": "fine"}', fail: "no_score" },
  { text: "Score: 150", fail: "out_of_range" },
  { text: "-5", fail: "out_of_range" },
  { text: "Rating: 11", scale: SCALE_10, fail: "out_of_range" },
  { text: "Score: 7/10", fail: "scale_mismatch" },
  { text: "I'd give it 4 out of 5.", fail: "scale_mismatch" },
  { text: "I'm sorry the user had to wait, but the answer is right. Score: 80", score: 80, rule: "labelled" },
];

describe("parseJudgeScore", () => {
  it.each(TABLE)("$text", ({ text, scale, score, rule, fail }) => {
    const parsed = parseJudgeScore(text, scale ?? SCALE_100);
    if (fail !== undefined) {
      expect(parsed).toMatchObject({ ok: false, reason: fail });
    } else {
      expect(parsed).toMatchObject({ ok: true, value: score, rule });
    }
  });

  it("reports where the number is, so the score token can be located", () => {
    const text = "Reasoning here.\nScore: 77";
    const parsed = parseJudgeScore(text, SCALE_100);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(text.slice(parsed.index, parsed.index + parsed.literal.length)).toBe("77");
    const json = '{"reasoning": "score is high", "score": 91}';
    const fromJson = parseJudgeScore(json, SCALE_100);
    if (!fromJson.ok) throw new Error("expected a score");
    expect(json.slice(fromJson.index, fromJson.index + 2)).toBe("91");
  });
});
