/**
 * Which judged rows go to the oracle, each with its inclusion probability π: the probability designs of
 * `@cjeval/oracle` (simple random, stratified, per-policy, Poisson, active) by name or request, or a
 * design object written in code.
 */
import { evaluationDataFromRecords } from "@cjeval/core";
import { sampleForLabelling, type DesignKind, type DesignRequest } from "@cjeval/oracle";

/** A judged row the design may select. */
export interface SampleCandidate {
  readonly policy: string;
  readonly promptId: string;
  /** Judge score in [0, 1]. */
  readonly judgeScore: number;
}

/** A selected row and the probability it had of being selected. */
export interface SampledRow {
  readonly policy: string;
  readonly promptId: string;
  readonly inclusion: number;
}

/** A design written in code: chooses about `size` of `candidates`, deterministically for a given `seed`. */
export interface SampleDesign {
  /** Name recorded with the selection (part of its idempotency key). */
  readonly name: string;
  select(candidates: readonly SampleCandidate[], size: number, seed: number): SampledRow[];
}

/** A design as a campaign names it. */
export type DesignChoice = DesignKind | DesignRequest | SampleDesign;

/** Default design: a simple random sample. */
export const DEFAULT_DESIGN: DesignKind = "simple-random";

/** A drawn selection. */
export interface LabelSample {
  readonly description: string;
  readonly selected: SampledRow[];
  readonly warnings: readonly string[];
}

/** True for a design object written in code. */
function isCustomDesign(design: DesignChoice): design is SampleDesign {
  return typeof design === "object" && "select" in design;
}

/** What identifies a design in keys and records. */
export function designIdentity(design: DesignChoice): unknown {
  return isCustomDesign(design) ? { custom: design.name } : typeof design === "string" ? { kind: design } : design;
}

/**
 * Draws `size` labels among the rows of the `eligible` policies. `judged` holds every judged row (all
 * policies: designs such as `active` look at where the other policies put their mass).
 */
export function drawLabelSample(
  judged: readonly SampleCandidate[],
  eligible: readonly string[],
  design: DesignChoice,
  size: number,
  seed: number,
): LabelSample {
  if (isCustomDesign(design)) {
    const policies = new Set(eligible);
    return {
      description: design.name,
      selected: design.select(
        judged.filter((c) => policies.has(c.policy)),
        size,
        seed,
      ),
      warnings: [],
    };
  }
  const records = judged.map((c) => ({ policy: c.policy, prompt_id: c.promptId, judge_score: c.judgeScore }));
  const data = evaluationDataFromRecords(records, { judgeScale: { min: 0, max: 1 } });
  const request: DesignRequest = typeof design === "string" ? { kind: design } : design;
  const outcome = sampleForLabelling(data, { design: request, budget: size, seed, policies: eligible });
  return {
    description: outcome.record.description,
    selected: outcome.rows.map((row) => ({ policy: row.policy, promptId: row.prompt_id, inclusion: row.oracle_inclusion_probability })),
    warnings: outcome.record.warnings,
  };
}
