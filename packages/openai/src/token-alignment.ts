import { ProviderError, type TokenLogprob } from "@cjeval/core";
import type { PositionedToken } from "./wire.js";

/** The response's tokens, or `straddle` when one token spans the prompt/response boundary. */
export type Alignment = { readonly kind: "aligned"; readonly tokens: TokenLogprob[] } | { readonly kind: "straddle"; readonly at: number };

/** Log-probs above this are treated as rounding noise around 0; larger positive values are invalid. */
const POSITIVE_TOLERANCE = 1e-6;

/** Checks one log-prob (finite, ≤ 0 up to rounding) and returns it; throws `invalid_output` naming the token. */
export function checkedLogprob(token: PositionedToken, index: number, provider: string): number {
  const lp = token.logprob;
  if (lp === null && index === 0) {
    throw new ProviderError(
      `${provider} gives no log-prob for the first token (nothing precedes it): the response cannot start the text; use a chat template or a non-empty prompt`,
      {
        code: "invalid_output",
        provider,
      },
    );
  }
  if (lp === null || !Number.isFinite(lp) || lp > POSITIVE_TOLERANCE) {
    throw new ProviderError(`${provider} gave an invalid log-prob ${String(lp)} for token ${index} (${JSON.stringify(token.token)})`, {
      code: "invalid_output",
      provider,
    });
  }
  return Math.min(lp, 0);
}

/**
 * Selects the tokens whose offsets fall in the response span [start, end) of the scored text (tokens at
 * or past `end` were generated, not echoed, and are dropped). Reports `straddle` when a token starts
 * before `start` and ends after it, since then no token boundary separates prompt and response.
 */
export function alignResponse(tokens: readonly PositionedToken[], start: number, end: number, provider: string): Alignment {
  const straddling = tokens.findIndex((t) => t.offset < start && t.offset + t.token.length > start);
  if (straddling >= 0) return { kind: "straddle", at: straddling };
  const selected: TokenLogprob[] = [];
  tokens.forEach((t, i) => {
    if (t.offset >= start && t.offset < end) selected.push({ token: t.token, logprob: checkedLogprob(t, i, provider) });
  });
  return { kind: "aligned", tokens: selected };
}

/** Σ log-probs of the tokens in [start, end), the first token's missing log-prob counting as 0 (it cancels in a difference). */
export function spanLogprob(tokens: readonly PositionedToken[], start: number, end: number, provider: string): number {
  let total = 0;
  tokens.forEach((t, i) => {
    if (t.offset < start || t.offset >= end) return;
    if (t.logprob === null && i === 0) return;
    total += checkedLogprob(t, i, provider);
  });
  return total;
}
