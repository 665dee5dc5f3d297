import type { Scale, ScoreDistribution } from "@cjeval/core";

/** One generated token with its log-prob and the top alternatives the API returned at its position. */
export interface TokenTopLogprobs {
  readonly token: string;
  readonly logprob: number;
  readonly top: ReadonlyArray<{ readonly token: string; readonly logprob: number }>;
}

/** APIs report "outside the top-k / negligible" with a sentinel such as −9999; such entries carry no mass. */
const NEGLIGIBLE_LOGPROB = -1000;

/**
 * The judge's distribution over scores at the token where it wrote its score (`literal` at character
 * `index` of `text`, the concatenation of `tokens`). Each top-log-prob alternative whose text (trimmed) is
 * an integer on the scale counts for that score (" 7" and "7" add up); the probabilities are renormalised
 * over those score tokens and their raw sum is reported as `coveredMass`.
 *
 * Returns `undefined` when the tokens do not spell `text`, the score was not written as one token (a
 * multi-token number's first-token alternatives are not scores), no top log-probs were returned, or no
 * alternative is a score.
 */
export function scoreDistribution(
  tokens: readonly TokenTopLogprobs[],
  text: string,
  index: number,
  literal: string,
  scale: Scale,
): ScoreDistribution | undefined {
  if (tokens.map((t) => t.token).join("") !== text) return undefined;
  let start = 0;
  const at = tokens.find((t) => {
    const end = start + t.token.length;
    const hit = index >= start && index < end;
    start = end;
    return hit;
  });
  if (at === undefined || at.token.trim() !== literal || at.top.length === 0) return undefined;
  const mass = new Map<number, number>();
  for (const alternative of at.top) {
    const written = alternative.token.trim();
    if (!/^\d+$/.test(written) || !(alternative.logprob > NEGLIGIBLE_LOGPROB)) continue;
    const score = Number(written);
    if (score < scale.min || score > scale.max) continue;
    mass.set(score, (mass.get(score) ?? 0) + Math.exp(alternative.logprob));
  }
  const coveredMass = [...mass.values()].reduce((a, b) => a + b, 0);
  if (coveredMass <= 0) return undefined;
  const probabilities = [...mass].sort(([a], [b]) => a - b).map(([score, p]) => ({ score, probability: p / coveredMass }));
  const expectedNative = probabilities.reduce((acc, { score, probability }) => acc + score * probability, 0);
  const argmaxNative = probabilities.reduce((best, entry) => (entry.probability > best.probability ? entry : best)).score;
  return {
    probabilities,
    coveredMass: Math.min(1, coveredMass),
    expectedNative,
    expected: (expectedNative - scale.min) / (scale.max - scale.min),
    argmaxNative,
  };
}
