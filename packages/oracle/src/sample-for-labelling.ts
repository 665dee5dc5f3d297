/**
 * One sampling run, from validated evaluation data to the to-label rows and the sample record:
 * build the frame, fix the design's parameters (or reuse a recorded design), plan it for the budget
 * and draw with the seed's permanent random numbers.
 */
import { CjeInputError, type EvaluationData } from "@cjeval/core";
import { describeDesign, planDesign, prepareDesign, type DesignRequest, type DesignSpec } from "./designs/index.js";
import { buildFrame, type SamplingFrame } from "./frame.js";
import { SAMPLE_RECORD_VERSION, type SampleRecord } from "./record.js";
import { drawSample, permanentRandomNumbers, type DesignPlan } from "./sample.js";
import { toLabelRows, type ToLabelRow } from "./to-label.js";

/** What to sample. */
export interface SampleRequest {
  /**
   * A design to prepare, or the record of an earlier sample: its design is reused unchanged with
   * its seed and frame, and a budget at least as large draws a superset of that sample (a round).
   */
  readonly design: DesignRequest | SampleRecord;
  /** Number of labels (expected number for Poisson and active designs). */
  readonly budget: number;
  /** Seed of the permanent random numbers (ignored with a record: its seed is used). */
  readonly seed: number;
  /** Policies whose rows may be labelled (default all; with a record, the record's). */
  readonly policies?: readonly string[];
}

/** A drawn sample. */
export interface SampleOutcome {
  readonly frame: SamplingFrame;
  readonly spec: DesignSpec;
  readonly plan: DesignPlan;
  /** Frame indices of the sampled rows, in labelling order. */
  readonly selected: Int32Array;
  readonly rows: ToLabelRow[];
  readonly record: SampleRecord;
}

/** Draws a sample for labelling. Inconsistent requests are `CjeInputError`s. */
export function sampleForLabelling(data: EvaluationData, request: SampleRequest): SampleOutcome {
  const previous = "schema_version" in request.design ? request.design : null;
  const frame = buildFrame(data, { policies: previous?.frame.policies ?? request.policies ?? data.policies });
  const seed = previous?.seed ?? request.seed;
  if (previous !== null) checkRound(previous, frame, request.budget);
  const prepared = previous !== null ? { spec: previous.design, warnings: [] } : prepareDesign(frame, request.design as DesignRequest, request.budget);
  const plan = planDesign(frame, prepared.spec, request.budget);
  const selected = drawSample(plan, permanentRandomNumbers(frame.rows.length, seed));
  const rows = toLabelRows(frame, plan, selected, data.oracleScale?.scale ?? null);
  const warnings = [...prepared.warnings];
  const chosen = new Set(selected);
  const outside = frame.rows.filter((row, i) => row.label !== null && !chosen.has(i)).length;
  if (outside > 0) {
    warnings.push(
      `${outside} labelled frame row(s) were not drawn by this design: before a design-weighted analysis, move their labels ` +
        "to a calibration file (--calibration); a policy cannot mix labels with and without inclusion probabilities",
    );
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of plan.inclusion) {
    lo = Math.min(lo, p);
    hi = Math.max(hi, p);
  }
  const record: SampleRecord = {
    schema_version: SAMPLE_RECORD_VERSION,
    design: prepared.spec,
    description: describeDesign(prepared.spec),
    seed,
    budget: request.budget,
    expected_size: plan.expectedSize,
    size: selected.length,
    frame: { rows: frame.rows.length, policies: [...frame.policies], fingerprint: frame.fingerprint },
    judge_scale: { min: data.judgeScale.scale.min, max: data.judgeScale.scale.max },
    inclusion_range: [lo, hi],
    ...(plan.strata !== undefined ? { strata: plan.strata.map((s) => ({ ...s })) } : {}),
    warnings,
  };
  return { frame, spec: prepared.spec, plan, selected, rows, record };
}

function checkRound(previous: SampleRecord, frame: SamplingFrame, budget: number): void {
  if (previous.frame.fingerprint !== frame.fingerprint) {
    throw new CjeInputError(
      `the fresh draws differ from the frame the recorded design was drawn from (${previous.frame.rows} rows of ` +
        `${previous.frame.policies.join(", ")}; now ${frame.rows.length}): a later round must sample the same rows`,
      { field: "frame.fingerprint", value: frame.fingerprint },
    );
  }
  if (budget < previous.budget) {
    throw new CjeInputError(`a later round cannot have a smaller budget than the recorded one (${previous.budget})`, { field: "budget", value: budget });
  }
}
