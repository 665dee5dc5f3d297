import { z } from "zod";

/** List price of a model in USD per million tokens. */
export const ModelPriceSchema = z.strictObject({
  /** USD per million input (prompt) tokens. */
  inputPerMillion: z.number().nonnegative(),
  /** USD per million output (completion) tokens. */
  outputPerMillion: z.number().nonnegative(),
});

/** List price of a model in USD per million tokens. */
export type ModelPrice = Readonly<z.infer<typeof ModelPriceSchema>>;

/**
 * Prices by model id; a key also prices every id it is a prefix of (dated snapshots), longest key first.
 * Each provider package ships its own table (`OPENAI_PRICES`, `ANTHROPIC_PRICES`); a user's table is
 * merged over it.
 */
export const PriceTableSchema = z.record(z.string(), ModelPriceSchema);

/** Prices by model id (see {@link PriceTableSchema}). */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** The price of `modelId`: an exact key, else the longest key that prefixes it; `undefined` if none. */
export function priceFor(table: PriceTable, modelId: string): ModelPrice | undefined {
  if (table[modelId] !== undefined) return table[modelId];
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (modelId.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : table[best];
}
