/**
 * The campaign's providers, built lazily from the configuration (a dry run needs no API key): OpenAI and
 * Anthropic adapters on the shared call pipeline, with the store's response cache plugged in, or provider
 * objects written in code.
 */
import { createAnthropic, type AnthropicProvider } from "@cjeval/anthropic";
import { CjeInputError, type Provider } from "@cjeval/core";
import { createOpenAI, type OpenAIProvider } from "@cjeval/openai";
import { DEFAULT_PRICES, type PriceTable, type ResponseCache } from "@cjeval/provider-utils";
import type { Campaign, ProviderConfig } from "../config/schema.js";
import { localRateLimits, type RateLimiter, type RateLimits } from "./rate-limit.js";

/** Default requests in flight per provider. */
export const DEFAULT_CONCURRENCY = 8;

/** A built provider, tagged so stages can pass adapter-specific settings. */
export type BuiltProvider =
  | { readonly kind: "openai"; readonly provider: OpenAIProvider }
  | { readonly kind: "anthropic"; readonly provider: AnthropicProvider }
  | { readonly kind: "custom"; readonly provider: Provider };

/** One configured provider with the runner's scheduling settings. */
export interface CampaignProvider {
  /** The key under `providers` in the campaign. */
  readonly name: string;
  readonly config: ProviderConfig;
  /** Workers the runner keeps busy on this provider. */
  readonly concurrency: number;
  /** Request-rate cap, when configured. */
  readonly rate: RateLimiter | null;
  /** Whether calls cost money (HTTP providers; custom ones only when they say so). */
  readonly billable: boolean;
  /** Prices for cost estimates and reports. */
  readonly prices: PriceTable;
  /** The adapter (created on first use: it reads the API key). */
  built(): BuiltProvider;
}

/**
 * Builds the campaign's providers; `cache` is the store's response cache (or none), `rates` builds their
 * request-rate caps (default: each process its own).
 */
export function campaignProviders(campaign: Campaign, cache: ResponseCache | undefined, rates: RateLimits = localRateLimits): Map<string, CampaignProvider> {
  return new Map(Object.entries(campaign.providers).map(([name, config]) => [name, campaignProvider(name, config, cache, rates)]));
}

function campaignProvider(name: string, config: ProviderConfig, cache: ResponseCache | undefined, rates: RateLimits): CampaignProvider {
  let built: BuiltProvider | undefined;
  const api = config.type === "custom" ? null : config;
  return {
    name,
    config,
    concurrency: config.concurrency ?? DEFAULT_CONCURRENCY,
    rate: rates(name, config),
    billable: config.type === "custom" ? config.billable === true : true,
    prices: { ...DEFAULT_PRICES, ...(api?.prices ?? {}) },
    built() {
      built ??= build(name, config, cache);
      return built;
    },
  };
}

/** An HTTP provider's configuration. */
export type ApiProviderConfig = Exclude<ProviderConfig, { type: "custom" }>;

/**
 * The API key of HTTP provider `name`, from its environment variable (`apiKeyEnv`, or `OPENAI_API_KEY` /
 * `ANTHROPIC_API_KEY`); `undefined` when that default variable is unset (a keyless server), an error when
 * the configured `apiKeyEnv` is.
 */
export function apiKeyOf(name: string, config: ApiProviderConfig): string | undefined {
  const keyVariable = config.apiKeyEnv ?? (config.type === "openai" ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY");
  const apiKey = process.env[keyVariable];
  if (apiKey !== undefined && apiKey !== "") return apiKey;
  if (config.apiKeyEnv !== undefined) {
    throw new CjeInputError(`environment variable ${keyVariable} (the API key of provider '${name}') is not set`, { field: `providers.${name}.apiKeyEnv` });
  }
  return undefined;
}

function build(name: string, config: ProviderConfig, cache: ResponseCache | undefined): BuiltProvider {
  if (config.type === "custom") return { kind: "custom", provider: config.provider };
  const apiKey = apiKeyOf(name, config);
  const settings = {
    id: name,
    concurrency: config.concurrency ?? DEFAULT_CONCURRENCY,
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(config.baseURL === undefined ? {} : { baseURL: config.baseURL }),
    ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
    ...(config.maxRetries === undefined ? {} : { maxRetries: config.maxRetries }),
    ...(config.baseDelayMs === undefined ? {} : { baseDelayMs: config.baseDelayMs }),
    ...(config.maxDelayMs === undefined ? {} : { maxDelayMs: config.maxDelayMs }),
    ...(config.prices === undefined ? {} : { prices: config.prices }),
    ...(cache === undefined ? {} : { cache }),
  };
  return config.type === "openai" ? { kind: "openai", provider: createOpenAI(settings) } : { kind: "anthropic", provider: createAnthropic(settings) };
}

/** The provider named `name`; a missing one is a campaign error (the schema checks names, code may not). */
export function providerNamed(providers: ReadonlyMap<string, CampaignProvider>, name: string): CampaignProvider {
  const provider = providers.get(name);
  if (provider === undefined) throw new CjeInputError(`unknown provider '${name}'`, { field: "providers", value: name });
  return provider;
}
