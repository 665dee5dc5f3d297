import { CjeInputError } from "@cjeval/core";

/**
 * How a policy's chat turns become the raw text a completions endpoint scores. Teacher forcing must
 * use the template the policy's model was served with, or the log-probs describe another conversation.
 */
export interface ChatTemplate {
  readonly name: string;
  /** The text before the assistant's reply: system and user turns, then the assistant header. */
  prompt(turns: { readonly system?: string; readonly prompt: string }): string;
  /** The text that closes the assistant's turn (scored with the reply), e.g. `<|im_end|>`; empty for raw text. */
  readonly endOfTurn: string;
}

/** Names of the built-in {@link ChatTemplate}s. */
export type ChatTemplateName = "chatml" | "llama3" | "plain" | "none";

/** Built-in chat templates. */
export const CHAT_TEMPLATES: Readonly<Record<ChatTemplateName, ChatTemplate>> = {
  /** ChatML (Qwen, many open fine-tunes). */
  chatml: {
    name: "chatml",
    prompt: ({ system, prompt }) =>
      `${system === undefined ? "" : `<|im_start|>system\n${system}<|im_end|>\n`}<|im_start|>user\n${prompt}<|im_end|>\n<|im_start|>assistant\n`,
    endOfTurn: "<|im_end|>",
  },
  /**
   * Llama 3 instruct. Headers end with two newlines as in Meta's template (the Python reference's manual
   * config uses one, which does not match the served model). No `<|begin_of_text|>`: servers add BOS.
   */
  llama3: {
    name: "llama3",
    prompt: ({ system, prompt }) =>
      `${system === undefined ? "" : `<|start_header_id|>system<|end_header_id|>\n\n${system}<|eot_id|>`}` +
      `<|start_header_id|>user<|end_header_id|>\n\n${prompt}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`,
    endOfTurn: "<|eot_id|>",
  },
  /** `role: content` lines ending in `assistant:`, the fallback template of llama.cpp. */
  plain: {
    name: "plain",
    prompt: ({ system, prompt }) => `${system === undefined ? "" : `system: ${system}\n`}user: ${prompt}\nassistant:`,
    endOfTurn: "",
  },
  /** The prompt as given (already templated, or a base model); cannot carry a system prompt. */
  none: {
    name: "none",
    prompt: ({ system, prompt }) => {
      if (system !== undefined) {
        throw new CjeInputError("chat template 'none' cannot carry a system prompt; choose a chat template", {
          field: "system",
          value: system,
        });
      }
      return prompt;
    },
    endOfTurn: "",
  },
};

/** Resolves a template given by name or object; unknown names throw a {@link CjeInputError} listing the built-ins. */
export function resolveChatTemplate(template: ChatTemplate | string): ChatTemplate {
  if (typeof template !== "string") return template;
  const found = (CHAT_TEMPLATES as Record<string, ChatTemplate | undefined>)[template];
  if (found === undefined) {
    throw new CjeInputError(`unknown chat template; built-ins: ${Object.keys(CHAT_TEMPLATES).join(", ")}`, {
      field: "chatTemplate",
      value: template,
    });
  }
  return found;
}
