import type { PriceTable } from "@cjeval/provider-utils";

/**
 * OpenAI's public list prices (USD per million tokens, standard tier, as published in 2025). Prices change
 * and contracts differ: pass your own table as the `prices` option (it is merged over this one). Models not
 * listed (e.g. on a vLLM server) are counted in tokens and reported with an unknown cost, never priced at zero.
 */
export const OPENAI_PRICES: PriceTable = {
  "gpt-4o": { inputPerMillion: 2.5, outputPerMillion: 10 },
  "gpt-4o-mini": { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  "gpt-4.1": { inputPerMillion: 2, outputPerMillion: 8 },
  "gpt-4.1-mini": { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  "gpt-4.1-nano": { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  "gpt-3.5-turbo-instruct": { inputPerMillion: 1.5, outputPerMillion: 2 },
};
