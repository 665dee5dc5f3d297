import { z } from "zod";

/**
 * A policy's generation settings: the defaults of a generator's requests (fields of each request override
 * them), and the sampling fields of a campaign's policy.
 */
export const GeneratorSettingsSchema = z.object({
  /** The policy's system prompt (default: none). */
  system: z.string().optional(),
  /** Sampling temperature (default: the model's). */
  temperature: z.number().min(0).optional(),
  /** Output token limit (default: the provider's; Anthropic requires one and sends `DEFAULT_MAX_TOKENS`). */
  maxTokens: z.number().int().positive().optional(),
  /** Sampling seed (default: none; a provider without seeds, such as Anthropic, rejects it). */
  seed: z.number().int().optional(),
});

/** A policy's generation settings (see {@link GeneratorSettingsSchema}). */
export type GeneratorSettings = Readonly<z.infer<typeof GeneratorSettingsSchema>>;
