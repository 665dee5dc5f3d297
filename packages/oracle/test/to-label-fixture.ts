import { ORACLE_INCLUSION_FIELD } from "@cjeval/core/advanced";
import type { ToLabelRow } from "../src/index.js";

/** `n` schema-valid to-label rows of policy `a` (prompt ids q1…qn), unlabelled. */
export function toLabelFixture(n: number): ToLabelRow[] {
  return Array.from({ length: n }, (_, i) => ({
    item_id: `item${i + 1}`,
    policy: "a",
    prompt_id: `q${i + 1}`,
    draw_idx: 0,
    judge_score: 0.5,
    [ORACLE_INCLUSION_FIELD]: 0.25,
    design_weight: 4,
    prompt: `Question ${i + 1}: what is ${i} + 1?`,
    response: `The answer is ${i + 1}, "quoted", with a comma\nand a second line.`,
    oracle_label: null,
  }));
}
