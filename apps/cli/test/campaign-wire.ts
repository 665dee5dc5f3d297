/**
 * The simulated world behind the CLI's campaign tests (`run`, `distributed`): answer bodies of the
 * OpenAI- and Anthropic-format servers, and the deterministic judge and oracle scores of an answer.
 */
import { createHash } from "node:crypto";
import { chatCompletion } from "@cjeval/test-utils";

/** A stable 32-bit number from a text. */
export const hashOf = (text: string) => createHash("sha256").update(text).digest().readUInt32BE(0);

/** The answer the judge cannot score (it refuses): one permanent judge failure per campaign. */
export const UNPARSEABLE = "Answer by claude-gen to q5";

/** An OpenAI chat completion whose message is `content`. */
export const chat = (content: string) => chatCompletion(content, { id: "chatcmpl", model: "m", usage: { prompt: 40, completion: 6 } });

/** An Anthropic message whose text is `text`. */
export const message = (text: string) => ({
  id: "msg",
  type: "message",
  role: "assistant",
  model: "m",
  content: [{ type: "text", text }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 50, output_tokens: 4 },
});

/** The judge's reply (0–100) to an answer, or a refusal for {@link UNPARSEABLE}. */
export const judgeReply = (answer: string) => (answer === UNPARSEABLE ? "I cannot rate this." : String(20 + (hashOf(answer) % 15) * 5));

/** The oracle's reply (0–100) to an answer. */
export const oracleReply = (answer: string) => String(Math.min(100, 10 + (hashOf(answer) % 15) * 6));
