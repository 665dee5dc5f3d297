import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { sendJson, startLoopbackServer, type LoopbackServer } from "@cjeval/test-utils";
import type { LanguageModel } from "ai";

/** Name of the loopback provider: its `providerOptions` key and the key of its provider metadata. */
export const LOOP = "loop";

/**
 * An `@ai-sdk/openai-compatible` provider on a loopback server (through `fetch` when given), with a metadata extractor that hands the
 * OpenAI wire's `choices[0].logprobs` back in the provider metadata (as `@ai-sdk/openai` does for OpenAI).
 */
export function compatProvider(server: LoopbackServer, apiKey = "k", fetch?: typeof globalThis.fetch): (modelId: string) => LanguageModel {
  return createOpenAICompatible({
    name: LOOP,
    baseURL: `${server.url}/v1`,
    apiKey,
    ...(fetch === undefined ? {} : { fetch }),
    supportsStructuredOutputs: true,
    metadataExtractor: {
      extractMetadata: async ({ parsedBody }) => {
        const logprobs = (parsedBody as { choices?: Array<{ logprobs?: unknown }> }).choices?.[0]?.logprobs;
        return logprobs == null ? undefined : { [LOOP]: { logprobs: logprobs as never } };
      },
      createStreamExtractor: () => ({ processChunk: () => {}, buildMetadata: () => undefined }),
    },
  }) as unknown as (modelId: string) => LanguageModel;
}

/** The `providerOptions` that make the loopback (OpenAI wire) server return `n` top log-probs. */
export const loopLogprobs = (n: number) => ({ [LOOP]: { logprobs: true, top_logprobs: n } });

/** A chat-completions request body as the server received it. */
export type ChatBody = {
  model: string;
  messages: Array<{ role: string; content: string }>;
  logprobs?: boolean;
  top_logprobs?: number;
  response_format?: { type: string; json_schema?: { name?: string; strict?: boolean; schema?: unknown } };
  temperature?: number;
  max_tokens?: number;
  seed?: number;
};

/** A loopback server answering every chat request with `reply(body)`. */
export async function serveChat(reply: (body: ChatBody, index: number) => unknown): Promise<LoopbackServer> {
  let index = 0;
  return startLoopbackServer((req, res) => sendJson(res, 200, reply(JSON.parse(req.body) as ChatBody, index++)));
}
