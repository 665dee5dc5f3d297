/**
 * Per-policy allocation: the policies of the frame are the strata, with the budget split in
 * proportion to their rows or equally, and a simple random sample within each. Restricting the
 * frame to one policy (e.g. the logging policy) labels that policy only.
 */
import type { SamplingFrame } from "../frame.js";
import type { DesignPlan } from "../sample.js";
import { planFixedStrata } from "./fixed-strata.js";

/** Parameters of a per-policy design. */
export interface PerPolicySpec {
  readonly kind: "per-policy";
  readonly allocation: "proportional" | "equal";
}

/** Plans a per-policy sample of `budget` rows. */
export function planPerPolicy(frame: SamplingFrame, spec: PerPolicySpec, budget: number): DesignPlan {
  const index = new Map(frame.policies.map((p, h) => [p, h]));
  const stratum = Int32Array.from(frame.rows, (r) => index.get(r.policy) as number);
  const labels = frame.policies.map((p) => `policy ${p}`);
  return planFixedStrata(stratum, labels, budget, (_, rows) => (spec.allocation === "equal" ? 1 : rows));
}
