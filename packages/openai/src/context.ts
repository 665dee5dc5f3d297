import type { CallPipeline } from "@cjeval/provider-utils";
import type OpenAI from "openai";

/** What the judge, generator and log-prob scorer of one {@link OpenAIProvider} share. */
export interface OpenAIContext {
  /** Provider id used in errors and cache keys. */
  readonly id: string;
  readonly client: OpenAI;
  readonly pipeline: CallPipeline;
  /** Base URL of the server, part of every cache key (two servers answer differently). */
  readonly baseURL: string;
  /** Which body field carries the output token limit. */
  readonly tokenLimitField: "max_tokens" | "max_completion_tokens";
}
