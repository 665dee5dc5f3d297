import { isProviderError, ProviderError, type TokenUsage } from "@cjeval/core";
import { createLimiter, type Limiter } from "./limiter.js";
import { redactSecrets } from "./redact.js";
import { requestKey } from "./request-key.js";
import { type PipelineSettings, resolvePipelineSettings } from "./pipeline-settings.js";
import type { PriceTable } from "./prices.js";
import { withRetries } from "./retry.js";
import { withTimeout } from "./timeout.js";
import { UsageTracker } from "./usage.js";

/** Options of a {@link CallPipeline}. */
export interface PipelineOptions extends PipelineSettings {
  /** Provider id, used in errors and cache keys. */
  readonly provider: string;
  /** The provider package's list prices (`OPENAI_PRICES`, ...); `prices` is merged over them. */
  readonly listPrices?: PriceTable;
  /** Secrets to scrub from every error message that leaves the pipeline (the API key). */
  readonly secrets?: readonly (string | undefined)[];
  /** Maps any SDK/HTTP/parse failure to a {@link ProviderError}; must pass `ProviderError`s through. */
  readonly toProviderError: (error: unknown) => ProviderError;
}

/** One call through the pipeline. */
export interface CallSpec<T> {
  readonly model: string;
  /** Everything that determines the answer (endpoint, full body); hashed into the cache key. No secrets. */
  readonly request: unknown;
  /** Performs one attempt; must honour `signal` and return a JSON-serialisable value. */
  readonly run: (signal: AbortSignal) => Promise<T>;
  /** Token usage of a result, for accounting. */
  readonly usageOf: (value: T) => TokenUsage | undefined;
  readonly signal?: AbortSignal;
}

/** A pipeline result and whether it came from the cache. */
export interface CallOutcome<T> {
  readonly value: T;
  readonly cached: boolean;
}

/**
 * The one path every provider request takes: cache lookup → concurrency slot → retries with backoff
 * honouring `Retry-After` → per-attempt timeout and cancellation → error mapping and secret redaction →
 * cache store and usage accounting. Provider packages supply only the wire call and the error mapping.
 */
export class CallPipeline {
  /** The concurrency limiter shared by all calls of this pipeline. */
  readonly limiter: Limiter;
  /** Token usage and cost of the calls so far. */
  readonly usage: UsageTracker;
  private readonly options: PipelineOptions;
  private readonly timeoutMs: number;

  constructor(options: PipelineOptions) {
    this.options = options;
    const { concurrency, timeoutMs } = resolvePipelineSettings(options);
    this.timeoutMs = timeoutMs;
    this.limiter = createLimiter(concurrency);
    this.usage = new UsageTracker({ ...options.listPrices, ...options.prices });
  }

  /** Runs `spec` (see {@link CallPipeline}); rejects with a redacted {@link ProviderError}. */
  async call<T>(spec: CallSpec<T>): Promise<CallOutcome<T>> {
    const { cache, provider } = this.options;
    const key = cache === undefined ? "" : requestKey({ provider, request: spec.request });
    if (cache !== undefined) {
      const hit = await cache.get(key);
      if (hit !== undefined) {
        this.usage.record(spec.model, undefined, true);
        return { value: hit as T, cached: true };
      }
    }
    let value: T;
    try {
      value = await this.limiter.run(() =>
        withRetries(
          () =>
            withTimeout((signal) => spec.run(signal).catch((error: unknown) => Promise.reject(this.mapError(error))), {
              timeoutMs: this.timeoutMs,
              signal: spec.signal,
              provider,
            }),
          {
            ...this.options,
            signal: spec.signal,
            onRetry: this.options.onRetry && ((event) => this.options.onRetry?.({ ...event, error: this.redact(event.error) })),
          },
        ),
      );
    } catch (error) {
      throw isProviderError(error) ? this.redact(error) : error;
    }
    this.usage.record(spec.model, spec.usageOf(value), false);
    if (cache !== undefined) await cache.set(key, value);
    return { value, cached: false };
  }

  private mapError(error: unknown): ProviderError {
    return isProviderError(error) ? error : this.options.toProviderError(error);
  }

  private redact(error: ProviderError): ProviderError {
    const secrets = this.options.secrets ?? [];
    return new ProviderError(redactSecrets(error.message, secrets), {
      code: error.code,
      retryable: error.retryable,
      status: error.status,
      retryAfterMs: error.retryAfterMs,
      provider: error.provider ?? this.options.provider,
      raw: error.raw === undefined ? undefined : redactSecrets(error.raw, secrets),
    });
  }
}
