/**
 * The one provider factory: builds a provider — and from it judges, generators and log-prob scorers —
 * from a provider configuration (a campaign's `providers` entry, or the flags of `cje judge`, `cje
 * logprobs` and `cje label --oracle`). The provider packages are imported when first needed, so a campaign
 * or command that uses only OpenAI never loads `@cjeval/anthropic`, and the reverse; `@cjeval/ai-sdk` (and
 * the AI SDK) load only for a provider of type `ai-sdk`.
 */
import type { AiSdkProvider } from "@cjeval/ai-sdk";
import type { AnthropicProvider } from "@cjeval/anthropic";
import { CjeInputError, type Generator, type Judge, type LogprobScorer, type Provider, requireCapability } from "@cjeval/core";
import type { LogprobSettings, OpenAIProvider } from "@cjeval/openai";
import type { GeneratorSettings, JudgeSettings, PriceTable, ResponseCache, UsageTracker } from "@cjeval/provider-utils";
import { AiSdkProviderSchema, ApiProviderSchema, PROVIDER_PIPELINE_FIELDS, type ProviderConfig } from "../config/schema.js";
import { loadModuleModelFactory } from "./ai-sdk-module.js";

/** An HTTP provider's configuration (`type: "openai" | "anthropic"`). */
export type ApiProviderConfig = Extract<ProviderConfig, { type: "openai" | "anthropic" }>;

/** An AI SDK provider's configuration (`type: "ai-sdk"`: a model factory in code, or a module and its factory). */
export type AiSdkProviderConfig = Extract<ProviderConfig, { type: "ai-sdk" }>;

/** Options of {@link createProvider}. */
export interface CreateProviderOptions {
  /** Provider id in errors, usage and cache keys (the campaign's provider name; default the type). */
  readonly name?: string;
  /** Response cache: the campaign store's, or a `FileCache` (none by default). */
  readonly cache?: ResponseCache;
  /** Folder an `ai-sdk` provider's `module` is resolved from: the campaign's folder (default: the working directory). */
  readonly baseDir?: string;
}

/** A provider built from its configuration: one interface over the OpenAI, Anthropic and custom providers. */
export interface BuiltProvider {
  readonly type: ProviderConfig["type"];
  readonly id: string;
  /** The adapter itself. */
  readonly provider: Provider;
  /** Token usage and cost of the calls so far (HTTP and AI SDK providers; `null` for a provider written in code). */
  readonly usage: UsageTracker | null;
  /** A judge; a custom provider takes no settings (configure its judge in code). */
  judge(model: string, settings?: JudgeSettings): Judge;
  generator(model: string, settings?: GeneratorSettings): Generator;
  /** A teacher-forcing log-prob scorer; throws an `unsupported` `ProviderError` where there is none (Anthropic). */
  logprobScorer(model: string, settings?: LogprobSettings): LogprobScorer;
}

/** A built HTTP or AI SDK provider: its usage is always tracked. */
export interface BuiltApiProvider extends BuiltProvider {
  readonly type: ApiProviderConfig["type"] | AiSdkProviderConfig["type"];
  readonly usage: UsageTracker;
}

/** The provider packages, each imported on first use. */
const PACKAGES = {
  openai: async () => {
    const { createOpenAI, OPENAI_API_KEY_ENV, OPENAI_PRICES } = await import("@cjeval/openai");
    return { create: createOpenAI, apiKeyEnv: OPENAI_API_KEY_ENV, prices: OPENAI_PRICES };
  },
  anthropic: async () => {
    const { createAnthropic, ANTHROPIC_API_KEY_ENV, ANTHROPIC_PRICES } = await import("@cjeval/anthropic");
    return { create: createAnthropic, apiKeyEnv: ANTHROPIC_API_KEY_ENV, prices: ANTHROPIC_PRICES };
  },
  "ai-sdk": async () => {
    const { createAiSdkProvider, AI_SDK_PRICES } = await import("@cjeval/ai-sdk");
    return { create: createAiSdkProvider, prices: AI_SDK_PRICES };
  },
} as const;

/**
 * Builds the provider `config` describes. An HTTP provider's configuration is validated first (a bad one is
 * a {@link CjeInputError} naming the field) and its package imported; the API key is read from
 * `apiKeyEnv` or the package's default variable. Building sends no request.
 *
 * @example
 * ```ts
 * const openai = await createProvider({ type: "openai", baseURL: "http://127.0.0.1:8000/v1", concurrency: 16 });
 * const verdict = await openai.judge("my-judge", { output: "json" }).judge({ prompt: "2+2?", response: "4" });
 * console.log(verdict.score, openai.usage.totals());
 * ```
 */
export async function createProvider(config: ApiProviderConfig | AiSdkProviderConfig, options?: CreateProviderOptions): Promise<BuiltApiProvider>;
export async function createProvider(config: ProviderConfig, options?: CreateProviderOptions): Promise<BuiltProvider>;
export async function createProvider(config: ProviderConfig, options: CreateProviderOptions = {}): Promise<BuiltProvider> {
  if (config.type === "custom") return customProvider(config.provider);
  if (config.type === "ai-sdk") return aiSdkProvider(config, options);
  const api = parseApiConfig(config);
  const name = options.name ?? api.type;
  const apiKey = apiKeyOf(name, api);
  const settings = {
    id: name,
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(api.baseURL === undefined ? {} : { baseURL: api.baseURL }),
    ...pipelineSettings(api),
    ...(options.cache === undefined ? {} : { cache: options.cache }),
  };
  if (api.type === "openai") {
    const provider: OpenAIProvider = (await PACKAGES.openai()).create(settings);
    return builtApiProvider("openai", provider, (model, logprobSettings) => provider.logprobScorer(model, logprobSettings));
  }
  const provider: AnthropicProvider = (await PACKAGES.anthropic()).create(settings);
  return builtApiProvider("anthropic", provider, (model) => provider.logprobScorer(model));
}

/**
 * A provider package's adapter as a {@link BuiltApiProvider}; `logprobScorer` is passed in because only OpenAI's
 * takes settings.
 */
function builtApiProvider(
  type: BuiltApiProvider["type"],
  provider: OpenAIProvider | AnthropicProvider | AiSdkProvider,
  logprobScorer: BuiltProvider["logprobScorer"],
): BuiltApiProvider {
  return {
    type,
    id: provider.id,
    provider,
    usage: provider.usage,
    judge: (model, judgeSettings) => provider.judge(model, judgeSettings),
    generator: (model, generatorSettings) => provider.generator(model, generatorSettings),
    logprobScorer,
  };
}

/**
 * An AI SDK provider (`@cjeval/ai-sdk`, imported now): the configuration's model factory, or the one its
 * `module` and `factory` make (the module resolved from `options.baseDir`, the key read from `apiKeyEnv`).
 */
async function aiSdkProvider(config: AiSdkProviderConfig, options: CreateProviderOptions): Promise<BuiltApiProvider> {
  const parsed = AiSdkProviderSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.map(String).join(".");
    throw new CjeInputError(issue.message, {
      ...(field === "" ? {} : { field }),
      value: field === "" ? config : (config as Record<string, unknown>)[String(issue.path[0])],
    });
  }
  const name = options.name ?? config.type;
  let apiKey: string | undefined;
  if (config.apiKeyEnv !== undefined) {
    apiKey = process.env[config.apiKeyEnv];
    if (apiKey === undefined || apiKey === "") {
      throw new CjeInputError(`environment variable ${config.apiKeyEnv} (the API key of provider '${name}') is not set`, {
        field: `providers.${name}.apiKeyEnv`,
      });
    }
  }
  const model =
    config.model ??
    (await loadModuleModelFactory(
      { module: config.module as string, factory: config.factory as string, ...(config.options === undefined ? {} : { options: config.options }), name },
      options.baseDir ?? process.cwd(),
      apiKey,
    ));
  const { create } = await PACKAGES["ai-sdk"]();
  const provider: AiSdkProvider = create({
    id: name,
    model,
    ...(apiKey === undefined ? {} : { secrets: [apiKey] }),
    ...(config.providerOptions === undefined ? {} : { providerOptions: config.providerOptions as Record<string, Record<string, unknown>> }),
    ...(config.logprobRequest === undefined ? {} : { logprobRequest: config.logprobRequest }),
    ...(config.logprobScorer === undefined ? {} : { logprobScorer: config.logprobScorer }),
    ...pipelineSettings(config),
    ...(options.cache === undefined ? {} : { cache: options.cache }),
  });
  return builtApiProvider("ai-sdk", provider, (modelId) => provider.logprobScorer(modelId));
}

const PIPELINE_KEYS = Object.keys(PROVIDER_PIPELINE_FIELDS) as (keyof typeof PROVIDER_PIPELINE_FIELDS)[];

/** The pipeline settings a provider configuration gives (only those set). */
function pipelineSettings(config: ApiProviderConfig | AiSdkProviderConfig): Pick<ApiProviderConfig, keyof typeof PROVIDER_PIPELINE_FIELDS> {
  return Object.fromEntries(PIPELINE_KEYS.filter((key) => config[key] !== undefined).map((key) => [key, config[key]]));
}

function customProvider(provider: Provider): BuiltProvider {
  return {
    type: "custom",
    id: provider.id,
    provider,
    usage: null,
    judge(model, settings) {
      if (settings !== undefined && Object.keys(settings).length > 0) {
        throw new CjeInputError(`judge settings (${Object.keys(settings).join(", ")}) cannot be passed to a custom provider: configure its judge in code`, {
          value: provider.id,
        });
      }
      requireCapability(provider, "judge");
      return provider.judge(model);
    },
    generator(model) {
      requireCapability(provider, "generate");
      return provider.generator(model);
    },
    logprobScorer(model) {
      requireCapability(provider, "logprobs");
      return provider.logprobScorer(model);
    },
  };
}

function parseApiConfig(config: ApiProviderConfig): ApiProviderConfig {
  const parsed = ApiProviderSchema.safeParse(config);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.map(String).join(".");
  const value = field === "" ? config : (config as Record<string, unknown>)[String(issue.path[0])];
  const message = field === "type" ? `unknown provider; use ${ApiProviderSchema.shape.type.options.join(" or ")}` : issue.message;
  throw new CjeInputError(message, { ...(field === "" ? {} : { field }), value });
}

/**
 * The API key of HTTP provider `name`, from its environment variable (`apiKeyEnv`, or `OPENAI_API_KEY` /
 * `ANTHROPIC_API_KEY`); `undefined` when that default variable is unset (a keyless server), an error when
 * the configured `apiKeyEnv` is.
 */
export function apiKeyOf(name: string, config: ApiProviderConfig): string | undefined {
  const keyVariable = config.apiKeyEnv ?? DEFAULT_API_KEY_ENV[config.type];
  const apiKey = process.env[keyVariable];
  if (apiKey !== undefined && apiKey !== "") return apiKey;
  if (config.apiKeyEnv !== undefined) {
    throw new CjeInputError(`environment variable ${keyVariable} (the API key of provider '${name}') is not set`, { field: `providers.${name}.apiKeyEnv` });
  }
  return undefined;
}

/**
 * The variable each provider package reads its key from by default. Restated here (and checked against the
 * packages' `OPENAI_API_KEY_ENV` / `ANTHROPIC_API_KEY_ENV` by the tests) because rate buckets need the key
 * without importing the packages.
 */
const DEFAULT_API_KEY_ENV: Readonly<Record<ApiProviderConfig["type"], string>> = { openai: "OPENAI_API_KEY", anthropic: "ANTHROPIC_API_KEY" };

/**
 * The prices a provider's usage is costed at: its package's list prices (`OPENAI_PRICES`,
 * `ANTHROPIC_PRICES`) with the configuration's `prices` merged over them. A provider written in code, or a
 * type no package serves, has only the configured prices.
 */
export async function providerPrices(config: { readonly type: string; readonly prices?: PriceTable }): Promise<PriceTable> {
  const load = (PACKAGES as Record<string, (typeof PACKAGES)[keyof typeof PACKAGES] | undefined>)[config.type];
  const list = load === undefined ? {} : (await load()).prices;
  return { ...list, ...config.prices };
}
