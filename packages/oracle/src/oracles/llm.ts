/**
 * An LLM oracle: any core `Judge` (e.g. from `@cjeval/openai` or `@cjeval/anthropic`) used as the
 * labeller — typically a stronger model than the judge being calibrated, with its own rubric
 * (configured on the judge adapter). Labels are the judge's scores mapped to [0, 1].
 */
import type { Judge } from "@cjeval/core";
import type { Oracle } from "./oracle.js";

/** Wraps `judge` as an {@link Oracle} whose labels lie on 0–1; `id` defaults to `llm:<model id>`. */
export function llmOracle(judge: Judge, id = `llm:${judge.modelId}`): Oracle {
  return {
    id,
    scale: { min: 0, max: 1 },
    async label(item, signal) {
      const result = await judge.judge({ prompt: item.prompt, response: item.response, ...(signal !== undefined ? { signal } : {}) });
      return { label: result.score, raw: result.raw };
    },
  };
}
