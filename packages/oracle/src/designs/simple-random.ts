/** Simple random sampling without replacement of a fixed number m of rows: π_i = m/N for every row. */
import type { SamplingFrame } from "../frame.js";
import { allocateStrata } from "../inclusion.js";
import type { DesignPlan } from "../sample.js";

/** Parameters of a simple random sample (none). */
export interface SimpleRandomSpec {
  readonly kind: "simple-random";
}

/** Plans a simple random sample of `budget` rows. */
export function planSimpleRandom(frame: SamplingFrame, budget: number): DesignPlan {
  const n = frame.rows.length;
  const sizes = allocateStrata([1], [n], budget);
  return {
    inclusion: new Float64Array(n).fill(sizes[0] / n),
    selection: { kind: "stratified", stratum: new Int32Array(n), sizes },
    expectedSize: sizes[0],
  };
}
