/**
 * The campaign's providers with the runner's scheduling settings (concurrency, rate cap, billing), each
 * built on first use by the provider factory (a dry run needs no API key and loads no provider package):
 * OpenAI, Anthropic and AI SDK adapters on the shared call pipeline, with the store's response cache plugged
 * in, or provider objects written in code.
 */
import { CjeInputError } from "@cjeval/core";
import { DEFAULT_CONCURRENCY, type PriceTable, type ResponseCache } from "@cjeval/provider-utils";
import type { Campaign, ProviderConfig } from "../config/schema.js";
import { type BuiltProvider, createProvider, providerPrices } from "./factory.js";
import { localRateLimits, type RateLimiter, type RateLimits } from "./rate-limit.js";

/** One configured provider with the runner's scheduling settings. */
export interface CampaignProvider {
  /** The key under `providers` in the campaign. */
  readonly name: string;
  readonly config: ProviderConfig;
  /** Workers the runner keeps busy on this provider. */
  readonly concurrency: number;
  /** Request-rate cap, when configured. */
  readonly rate: RateLimiter | null;
  /** Whether calls cost money (HTTP providers; AI SDK ones unless they say not; custom ones only when they say so). */
  readonly billable: boolean;
  /** Prices for cost estimates and reports: the provider package's list prices, the campaign's over them. */
  prices(): Promise<PriceTable>;
  /** The adapter (created on first use: it reads the API key). */
  built(): Promise<BuiltProvider>;
}

/**
 * Builds the campaign's providers; `cache` is the store's response cache (or none), `rates` builds their
 * request-rate caps (default: each process its own), `baseDir` is the campaign's folder (where an `ai-sdk`
 * provider's module is resolved from; default the working directory).
 */
export function campaignProviders(
  campaign: Campaign,
  cache: ResponseCache | undefined,
  rates: RateLimits = localRateLimits,
  baseDir?: string,
): Map<string, CampaignProvider> {
  return new Map(Object.entries(campaign.providers).map(([name, config]) => [name, campaignProvider(name, config, cache, rates, baseDir)]));
}

function campaignProvider(
  name: string,
  config: ProviderConfig,
  cache: ResponseCache | undefined,
  rates: RateLimits,
  baseDir: string | undefined,
): CampaignProvider {
  let built: Promise<BuiltProvider> | undefined;
  return {
    name,
    config,
    concurrency: config.concurrency ?? DEFAULT_CONCURRENCY,
    rate: rates(name, config),
    billable: config.type === "custom" ? config.billable === true : config.type === "ai-sdk" ? config.billable !== false : true,
    prices: () => providerPrices(config.type === "custom" ? { type: "custom" } : config),
    built() {
      built ??= createProvider(config.type === "custom" ? config : { ...config, concurrency: config.concurrency ?? DEFAULT_CONCURRENCY }, {
        name,
        ...(cache === undefined ? {} : { cache }),
        ...(baseDir === undefined ? {} : { baseDir }),
      });
      return built;
    },
  };
}

/** The provider named `name`; a missing one is a campaign error (the schema checks names, code may not). */
export function providerNamed(providers: ReadonlyMap<string, CampaignProvider>, name: string): CampaignProvider {
  const provider = providers.get(name);
  if (provider === undefined) throw new CjeInputError(`unknown provider '${name}'`, { field: "providers", value: name });
  return provider;
}
