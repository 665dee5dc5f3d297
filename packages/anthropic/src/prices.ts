import type { PriceTable } from "@cjeval/provider-utils";

/**
 * Anthropic's public list prices (USD per million tokens, standard tier, as published in 2025). Prices
 * change and contracts differ: pass your own table as the `prices` option (it is merged over this one).
 * Models not listed are counted in tokens and reported with an unknown cost, never priced at zero.
 */
export const ANTHROPIC_PRICES: PriceTable = {
  "claude-3-haiku": { inputPerMillion: 0.25, outputPerMillion: 1.25 },
  "claude-3-5-haiku": { inputPerMillion: 0.8, outputPerMillion: 4 },
  "claude-3-5-sonnet": { inputPerMillion: 3, outputPerMillion: 15 },
  "claude-3-7-sonnet": { inputPerMillion: 3, outputPerMillion: 15 },
  "claude-sonnet-4": { inputPerMillion: 3, outputPerMillion: 15 },
  "claude-opus-4": { inputPerMillion: 15, outputPerMillion: 75 },
};
