import type Anthropic from "@anthropic-ai/sdk";
import type { CallPipeline } from "@cjeval/provider-utils";

/** What the judge and generator of one {@link AnthropicProvider} share. */
export interface AnthropicContext {
  /** Provider id used in errors and cache keys. */
  readonly id: string;
  readonly client: Anthropic;
  readonly pipeline: CallPipeline;
  /** Base URL of the server, part of every cache key. */
  readonly baseURL: string;
}
