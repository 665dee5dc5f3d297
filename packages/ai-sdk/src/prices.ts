import type { PriceTable } from "@cjeval/provider-utils";

/**
 * List prices (USD per million tokens, standard tier, as published in 2025) of models the AI SDK commonly
 * reaches that the other CJE packages do not price: Google's Gemini models, by the ids `@ai-sdk/google` and
 * `@ai-sdk/google-vertex` use. Prices change, contracts differ and one model id may mean different things on
 * different providers: pass your own table as the `prices` option (it is merged over this one). Models not
 * listed (local Ollama models, most others) are counted in tokens and reported with an unknown cost, never
 * priced at zero.
 */
export const AI_SDK_PRICES: PriceTable = {
  "gemini-2.0-flash": { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  "gemini-2.0-flash-lite": { inputPerMillion: 0.075, outputPerMillion: 0.3 },
  "gemini-2.5-flash": { inputPerMillion: 0.3, outputPerMillion: 2.5 },
  "gemini-2.5-flash-lite": { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  "gemini-2.5-pro": { inputPerMillion: 1.25, outputPerMillion: 10 },
};
