import type { CallPipeline } from "@cjeval/provider-utils";
import type { LanguageModel } from "ai";
import type { CallProviderOptions, LogprobRequest } from "./options.js";

/** What the judges and generators of one {@link AiSdkProvider} share. */
export interface AiSdkContext {
  /** Provider id used in errors, usage and cache keys. */
  readonly id: string;
  readonly pipeline: CallPipeline;
  /** The model of a model id (made once per id). */
  readonly model: (modelId: string) => LanguageModel;
  /** `providerOptions` of every call. */
  readonly providerOptions: CallProviderOptions | undefined;
  /** Extra HTTP headers of every call. */
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** How to ask the model for top log-probs, when it can return them. */
  readonly logprobRequest: LogprobRequest | undefined;
}
