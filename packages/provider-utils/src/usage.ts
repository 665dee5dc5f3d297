import type { TokenUsage } from "@cjeval/core";
import { type PriceTable, priceFor } from "./prices.js";

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

  /** `prices`: the provider's list prices with the user's merged over them (models not in it are unpriced). */
  constructor(prices: PriceTable = {}) {
    this.prices = prices;
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
      const costUsd = price === undefined ? null : (entry.inputTokens * price.inputPerMillion + entry.outputTokens * price.outputPerMillion) / 1e6;
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
