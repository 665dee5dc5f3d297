import { CjeInputError, type Scale } from "@cjeval/core";

/** The default rubric's scale: integers 0–100. */
export const DEFAULT_JUDGE_SCALE: Scale = { min: 0, max: 100 };

/** The default 0–100 rubric without its answer-format instruction; `{prompt}` and `{response}` are slots. */
export const DEFAULT_RUBRIC = `You are an impartial expert judge. Rate the quality of the AI assistant's response to the user's prompt.
Judge helpfulness, correctness, completeness and clarity. Do not reward length for its own sake; a refusal of a harmless request is unhelpful.

Use a scale from 0 to 100:
- 0-20: wrong, harmful, off-topic or an unjustified refusal
- 21-40: mostly unhelpful, with major errors or omissions
- 41-60: partly helpful, with notable errors or gaps
- 61-80: helpful and mostly correct, with minor issues
- 81-100: excellent: correct, complete and clear

[User prompt]
{prompt}

[Assistant response]
{response}`;

/**
 * The default judge template for text output: {@link DEFAULT_RUBRIC} asking for the bare number, so that
 * the score is one token whose top log-probs give a score distribution.
 */
export const DEFAULT_JUDGE_TEMPLATE = `${DEFAULT_RUBRIC}

Reply with the score only: a single integer from 0 to 100, with no other text.`;

/** The default judge template for structured (JSON) output: the same rubric, answered as `{ reasoning, score }`. */
export const DEFAULT_JSON_JUDGE_TEMPLATE = `${DEFAULT_RUBRIC}

Answer with a JSON object {"reasoning": "<one or two sentences>", "score": <integer from 0 to 100>} and nothing else.`;

const SLOT = /\{(prompt|response)\}/g;

/** Throws a {@link CjeInputError} unless `template` has both the `{prompt}` and `{response}` slots. */
export function validateJudgeTemplate(template: string): void {
  for (const slot of ["{prompt}", "{response}"]) {
    if (!template.includes(slot)) {
      throw new CjeInputError(`judge template must contain the ${slot} slot`, { field: "template", value: template });
    }
  }
}

/**
 * Fills the `{prompt}` and `{response}` slots in one pass, so slot-like text inside the prompt or the
 * response is left as written.
 */
export function renderJudgePrompt(template: string, values: { readonly prompt: string; readonly response: string }): string {
  return template.replace(SLOT, (_match, slot: "prompt" | "response") => values[slot]);
}
