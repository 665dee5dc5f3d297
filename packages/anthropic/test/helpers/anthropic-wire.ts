/** Builders of Anthropic Messages wire-format bodies for loopback servers. */

/** A Messages API response with the given content blocks. */
export function message(content: unknown[], options: { stop?: string; input?: number; output?: number } = {}): unknown {
  return {
    id: "msg_test",
    type: "message",
    role: "assistant",
    model: "claude-test",
    content,
    stop_reason: options.stop ?? "end_turn",
    stop_sequence: null,
    usage: { input_tokens: options.input ?? 40, output_tokens: options.output ?? 2 },
  };
}

/** A text block. */
export const textBlock = (text: string): unknown => ({ type: "text", text, citations: null });

/** A tool-use block calling `name` with `input`. */
export const toolBlock = (name: string, input: unknown): unknown => ({ type: "tool_use", id: "toolu_1", name, input });
