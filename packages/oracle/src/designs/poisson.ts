/**
 * Poisson sampling with unequal probabilities: each row is included independently with
 * π_i = min(1, floor + c·x_i), where x_i is a positive size measure read from a numeric field of
 * the rows (equal sizes give Bernoulli sampling) and c makes Σπ_i equal the budget. The sample size
 * is random, with expectation equal to the budget.
 */
import { CjeInputError } from "@cjeval/core";
import type { SamplingFrame } from "../frame.js";
import { proportionalInclusion } from "../inclusion.js";
import type { DesignPlan } from "../sample.js";

/** Parameters of a Poisson design. */
export interface PoissonSpec {
  readonly kind: "poisson";
  /** Numeric field holding each row's size measure (absent: equal sizes). */
  readonly sizeField?: string;
  /** Smallest inclusion probability of any row. */
  readonly floor: number;
}

/** Plans a Poisson sample of expected size `budget`. Non-positive or missing sizes are `CjeInputError`s naming the row. */
export function planPoisson(frame: SamplingFrame, spec: PoissonSpec, budget: number): DesignPlan {
  const field = spec.sizeField;
  const sizes = frame.rows.map((row) => {
    if (field === undefined) return 1;
    const x = row.numericFields[field];
    if (!(x !== undefined && x > 0 && Number.isFinite(x))) {
      throw new CjeInputError("a Poisson size measure must be a positive number on every frame row", { ...row.source, field, value: x ?? null });
    }
    return x;
  });
  const inclusion = proportionalInclusion(sizes, budget, spec.floor);
  return { inclusion, selection: { kind: "poisson" }, expectedSize: inclusion.reduce((a, p) => a + p, 0) };
}
