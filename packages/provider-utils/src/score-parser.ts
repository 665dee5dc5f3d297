import type { Scale } from "@cjeval/core";
import { z } from "zod";

/** A score found in a judge's text. */
export interface ParsedScore {
  readonly ok: true;
  /** Native score. */
  readonly value: number;
  /** Which rule found it (see {@link SCORE_RULES}). */
  readonly rule: string;
  /** Character index of the number in the text, to locate its token. */
  readonly index: number;
  /** The number as written. */
  readonly literal: string;
}

/** Why no score could be read. */
export type ScoreFailureReason = "empty" | "refusal" | "no_score" | "out_of_range" | "scale_mismatch";

/** A judge output that yields no valid score: reported, never replaced by a made-up value. */
export interface ScoreFailure {
  readonly ok: false;
  readonly reason: ScoreFailureReason;
  readonly detail: string;
}

/** A number found by a rule, with its denominator when written as a fraction ("7/10", "7 out of 10"). */
export interface ScoreCandidate {
  readonly literal: string;
  readonly index: number;
  readonly denominator?: number;
}

/** One row of the parser table: a named way of finding the score in a judge's text. */
export interface ScoreRule {
  readonly name: string;
  find(text: string): ScoreCandidate | undefined;
}

const NUMBER = String.raw`-?\d+(?:\.\d+)?`;

/** The judge's structured output: a numeric score (a numeric string is accepted) and optional reasoning. */
export const JudgeOutputSchema = z.object({
  reasoning: z.string().optional(),
  score: z.union([
    z.number(),
    z
      .string()
      .regex(new RegExp(`^\\s*${NUMBER}\\s*$`))
      .transform(Number),
  ]),
});

/** The judge's structured output after validation. */
export type JudgeOutput = z.infer<typeof JudgeOutputSchema>;

/**
 * JSON schema of the structured output (`reasoning` before `score`, so the model reasons first), without
 * a `$schema` dialect key: OpenAI's strict mode and Anthropic's tool `input_schema` take the bare object.
 */
export const JUDGE_OUTPUT_JSON_SCHEMA: Readonly<Record<string, unknown>> = (() => {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(z.object({ reasoning: z.string(), score: z.number() }));
  return schema;
})();

/** The last match of `pattern` (which needs the `g` and `d` flags): its number and optional denominator. */
function lastMatch(text: string, pattern: RegExp): ScoreCandidate | undefined {
  let found: ScoreCandidate | undefined;
  for (const match of text.matchAll(pattern)) {
    const index = match.indices?.[1]?.[0] ?? 0;
    found = match[2] === undefined ? { literal: match[1], index } : { literal: match[1], index, denominator: Number(match[2]) };
  }
  return found;
}

function jsonScore(text: string): ScoreCandidate | undefined {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
  const parsed = JudgeOutputSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const match = new RegExp(`"score"\\s*:\\s*"?\\s*(${NUMBER})`).exec(text.slice(start));
  if (match === null) return undefined;
  return { literal: match[1], index: start + match.index + match[0].length - match[1].length };
}

/**
 * The parser table, tried in order; the first rule that finds a number wins:
 * 1. `json`: a JSON object with a `score` field (code fences and surrounding prose allowed);
 * 2. `labelled`: the last "score/rating/grade (is|of|:) N" or "I rate it N", optionally "/ D" or "out of D";
 * 3. `fraction`: the last "N/D" or "N out of D";
 * 4. `bare`: the whole answer, or its first line, is a number (markdown emphasis allowed).
 */
export const SCORE_RULES: readonly ScoreRule[] = [
  { name: "json", find: jsonScore },
  {
    name: "labelled",
    find: (text) =>
      lastMatch(
        text,
        new RegExp(
          String.raw`\b(?:score|rating|grade|rated?(?:\s+(?:it|this(?:\s+response)?))?(?:\s+(?:as|at))?)\b[*_\s]*(?:\(\s*${NUMBER}\s*(?:-|–|to)\s*${NUMBER}\s*\))?[*_\s]*(?:is|of|=|:)?[*_\s]*(${NUMBER})(?:\s*(?:\/|out of)\s*(${NUMBER}))?`,
          "gid",
        ),
      ),
  },
  {
    name: "fraction",
    find: (text) => lastMatch(text, new RegExp(String.raw`(${NUMBER})\s*(?:\/|\bout of\b)\s*(${NUMBER})`, "gid")),
  },
  {
    name: "bare",
    find: (text) => {
      const match = new RegExp(String.raw`^\s*[*_]*(${NUMBER})[*_]*\.?[ \t]*(?:\r?\n|$)`).exec(text);
      return match === null ? undefined : { literal: match[1], index: match.index + match[0].indexOf(match[1]) };
    },
  },
];

const REFUSAL =
  /\b(?:I\s+can(?:no|['’])t|I\s+cannot|I['’]m\s+(?:sorry|unable|not able)|I\s+am\s+(?:sorry|unable|not able)|I\s+(?:won['’]t|will\s+not)|unable\s+to\s+(?:evaluate|rate|score|assess|judge|provide)|as\s+an\s+AI\b)/i;

/**
 * Reads the judge's score from free text with {@link SCORE_RULES}. A refusal, an answer without a
 * number, a score outside `scale` or a fraction over another scale ("7/10" on a 0–100 rubric) is a
 * {@link ScoreFailure}: the caller reports it, it never guesses.
 */
export function parseJudgeScore(text: string, scale: Scale): ParsedScore | ScoreFailure {
  if (text.trim() === "") return { ok: false, reason: "empty", detail: "the judge returned no text" };
  for (const rule of SCORE_RULES) {
    const candidate = rule.find(text);
    if (candidate === undefined) continue;
    const value = Number(candidate.literal);
    if (candidate.denominator !== undefined && candidate.denominator !== scale.max) {
      return {
        ok: false,
        reason: "scale_mismatch",
        detail: `score ${candidate.literal}/${candidate.denominator} is not on the rubric's ${scale.min}-${scale.max} scale`,
      };
    }
    if (!(value >= scale.min && value <= scale.max)) {
      return { ok: false, reason: "out_of_range", detail: `score ${candidate.literal} is outside ${scale.min}-${scale.max}` };
    }
    return { ok: true, value, rule: rule.name, index: candidate.index, literal: candidate.literal };
  }
  if (REFUSAL.test(text)) return { ok: false, reason: "refusal", detail: "the judge refused to score" };
  return { ok: false, reason: "no_score", detail: "no score found in the judge's answer" };
}
