import { ConnectionOptionsSchema, PipelineSettingsSchema } from "@cjeval/provider-utils";
import { z } from "zod";

/**
 * Options of {@link createAnthropic}: the connection (`apiKey`, `apiKeyEnv`, `baseURL`, `headers`, `id`,
 * `fetch`) and the shared pipeline settings (`concurrency`, `timeoutMs`, retries, `prices`, `cache`, hooks).
 */
export const AnthropicProviderOptionsSchema = z.object({
  ...ConnectionOptionsSchema.shape,
  ...PipelineSettingsSchema.shape,
});

/** Options of {@link createAnthropic} (see {@link AnthropicProviderOptionsSchema}). */
export type AnthropicProviderOptions = Readonly<z.infer<typeof AnthropicProviderOptionsSchema>>;
