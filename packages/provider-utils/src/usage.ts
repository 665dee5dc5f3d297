import type { TokenUsage } from "@cjeval/core";

/** List price of a model in USD per million tokens. */
export interface ModelPrice {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

/** Prices by model id; a key also prices every id it is a prefix of (dated snapshots), longest key first. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * Public list prices (USD per million tokens, standard tier, as published in 2025). Prices change and
 * contracts differ: pass your own table to the provider factory (it is merged over this one). Models not
 * listed are counted in tokens and reported with an unknown cost, never priced at zero.
 */
export const DEFAULT_PRICES: PriceTable = {
  "gpt-4o": { inputPerMillion: 2.5, outputPerMillion: 10 },
  "gpt-4o-mini": { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  "gpt-4.1": { inputPerMillion: 2, outputPerMillion: 8 },
  "gpt-4.1-mini": { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  "gpt-4.1-nano": { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  "gpt-3.5-turbo-instruct": { inputPerMillion: 1.5, outputPerMillion: 2 },
  "claude-3-haiku": { inputPerMillion: 0.25, outputPerMillion: 1.25 },
  "claude-3-5-haiku": { inputPerMillion: 0.8, outputPerMillion: 4 },
  "claude-3-5-sonnet": { inputPerMillion: 3, outputPerMillion: 15 },
  "claude-3-7-sonnet": { inputPerMillion: 3, outputPerMillion: 15 },
  "claude-sonnet-4": { inputPerMillion: 3, outputPerMillion: 15 },
  "claude-opus-4": { inputPerMillion: 15, outputPerMillion: 75 },
};

/** The price of `modelId`: an exact key, else the longest key that prefixes it; `undefined` if none. */
export function priceFor(table: PriceTable, modelId: string): ModelPrice | undefined {
  if (table[modelId] !== undefined) return table[modelId];
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (modelId.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : table[best];
}

/** Usage of one model so far. */
export interface ModelUsage {
  readonly model: string;
  /** Calls answered by the API (billed). */
  readonly requests: number;
  /** Calls answered from the response cache (not billed). */
  readonly cachedRequests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** USD, or `null` when the model has no price in the table. */
  readonly costUsd: number | null;
}

/** Usage over all models. */
export interface UsageTotals {
  readonly requests: number;
  readonly cachedRequests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** USD over the priced models. */
  readonly costUsd: number;
  /** Models that used tokens but have no price (their cost is not in `costUsd`). */
  readonly unpricedModels: readonly string[];
}

/** Accumulates token usage per model and prices it with a {@link PriceTable}. */
export class UsageTracker {
  private readonly prices: PriceTable;
  private readonly models = new Map<string, { requests: number; cachedRequests: number; inputTokens: number; outputTokens: number }>();

  /** `prices` are merged over {@link DEFAULT_PRICES}. */
  constructor(prices: PriceTable = {}) {
    this.prices = { ...DEFAULT_PRICES, ...prices };
  }

  /** Records one call; cached calls count as requests but add no tokens. */
  record(model: string, usage: TokenUsage | undefined, cached: boolean): void {
    const entry = this.models.get(model) ?? { requests: 0, cachedRequests: 0, inputTokens: 0, outputTokens: 0 };
    if (cached) {
      entry.cachedRequests += 1;
    } else {
      entry.requests += 1;
      entry.inputTokens += usage?.inputTokens ?? 0;
      entry.outputTokens += usage?.outputTokens ?? 0;
    }
    this.models.set(model, entry);
  }

  /** Usage per model, in first-use order. */
  byModel(): ModelUsage[] {
    return [...this.models].map(([model, entry]) => {
      const price = priceFor(this.prices, model);
      const costUsd =
        price === undefined
          ? null
          : (entry.inputTokens * price.inputPerMillion + entry.outputTokens * price.outputPerMillion) / 1e6;
      return { model, ...entry, costUsd };
    });
  }

  /** Sums over all models. */
  totals(): UsageTotals {
    const models = this.byModel();
    const sum = (pick: (m: ModelUsage) => number): number => models.reduce((acc, m) => acc + pick(m), 0);
    return {
      requests: sum((m) => m.requests),
      cachedRequests: sum((m) => m.cachedRequests),
      inputTokens: sum((m) => m.inputTokens),
      outputTokens: sum((m) => m.outputTokens),
      costUsd: sum((m) => m.costUsd ?? 0),
      unpricedModels: models.filter((m) => m.costUsd === null && m.inputTokens + m.outputTokens > 0).map((m) => m.model),
    };
  }
}
