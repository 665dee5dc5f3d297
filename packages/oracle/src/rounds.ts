/**
 * Labelling in rounds until a planned CI half-width is reached or the budget is spent, under a
 * stopping rule fixed before the first label.
 *
 * The pre-registered plan is: the design (its priorities frozen when the first round is drawn), the
 * seed, the schedule of cumulative budgets m_1 < … < m_K (so K looks at most), the family error rate
 * α, the watched policies and the target half-width. After round k the analysis is run at level
 * 1 − α/K; the labelling stops when every watched policy's interval half-width is at most the target,
 * or after round K.
 *
 * Why the final interval stays valid:
 * 1. Each look analyses a probability sample with known π. Rounds draw with permanent random numbers,
 *    so the labels after round k are exactly the sample the fixed design gives for budget m_k
 *    (nested in the next one), with that budget's π — not a sample whose selection depended on
 *    earlier labels. Each look's estimate is design-unbiased and its interval has level 1 − α/K.
 * 2. By the union (Bonferroni) bound, the probability that the interval misses at *any* of the K
 *    looks is at most K · α/K = α. The interval reported at the stopping look is one of them, so it
 *    covers with probability at least 1 − α whatever the stopping time — even a rule that peeked at
 *    the estimates would not break this. What the bound needs is that K, the schedule and α are
 *    fixed in advance: adding rounds after seeing the data voids it.
 * The price is a wider interval at each look (at K = 4 and α = 0.05, t/z quantiles at 0.99375
 * instead of 0.975, about 27% wider); plan the target half-width at that level.
 */
import { analyze, CjeInputError, type AnalysisResult, type AnalyzeOptions, type EvaluationData } from "@cjeval/core";
import { toInternal } from "@cjeval/core/advanced";
import type { DesignRequest } from "./designs/index.js";
import { withSampleLabels } from "./labelled-data.js";
import { labelPending, type Oracle } from "./oracles/oracle.js";
import { sampleForLabelling, type SampleOutcome } from "./sample-for-labelling.js";
import type { ToLabelRow } from "./to-label.js";

/** The pre-registered rounds plan. */
export interface RoundsPlan {
  /** Cumulative label budgets of the rounds, strictly increasing; its length is the maximum number of looks K. */
  readonly schedule: readonly number[];
  /** Target CI half-width, in internal units (0–1; divide a 1–5 scale target by 4). */
  readonly targetHalfWidth: number;
  /** Family error rate (default 0.05); each look uses α/K. */
  readonly alpha?: number;
  /** Policies whose intervals must reach the target (default: every policy). */
  readonly policies?: readonly string[];
}

/** What the stopping rule decided after a round. */
export type RoundDecision =
  | { readonly action: "stop"; readonly reason: "target_reached" | "budget_spent" }
  | { readonly action: "continue"; readonly nextBudget: number };

/** Checks a plan; problems are `CjeInputError`s. */
export function validateRoundsPlan(plan: RoundsPlan): void {
  const { schedule } = plan;
  if (schedule.length === 0) throw new CjeInputError("the schedule needs at least one round", { field: "schedule" });
  schedule.forEach((m, k) => {
    if (!(Number.isInteger(m) && m > 0) || (k > 0 && m <= schedule[k - 1])) {
      throw new CjeInputError("the schedule must be strictly increasing positive integers (cumulative budgets)", { field: `schedule[${k}]`, value: m });
    }
  });
  if (!(plan.targetHalfWidth > 0)) throw new CjeInputError("the target half-width must be positive", { field: "targetHalfWidth", value: plan.targetHalfWidth });
  const alpha = plan.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new CjeInputError("alpha must lie in (0, 1)", { field: "alpha", value: alpha });
}

/** The level every look is analysed at: α/K. */
export function lookAlpha(plan: RoundsPlan): number {
  return (plan.alpha ?? 0.05) / plan.schedule.length;
}

/** Half-width of each policy's interval (null when unavailable), in the result's units. */
export function halfWidths(result: AnalysisResult): Record<string, number | null> {
  return Object.fromEntries(result.policies.map((p) => [p.policy, p.ci[0] === null || p.ci[1] === null ? null : (p.ci[1] - p.ci[0]) / 2]));
}

/** The stopping rule after round `round` (0-based), given each policy's half-width at level 1 − α/K. */
export function decideAfterRound(plan: RoundsPlan, round: number, widths: Readonly<Record<string, number | null>>): RoundDecision {
  const watched = plan.policies ?? Object.keys(widths);
  const reached = watched.every((p) => {
    const w = widths[p];
    return w !== null && w !== undefined && w <= plan.targetHalfWidth;
  });
  if (reached) return { action: "stop", reason: "target_reached" };
  if (round >= plan.schedule.length - 1) return { action: "stop", reason: "budget_spent" };
  return { action: "continue", nextBudget: plan.schedule[round + 1] };
}

/** One completed round. */
export interface RoundOutcome {
  readonly budget: number;
  /** Labels held after the round. */
  readonly labelled: number;
  readonly halfWidths: Readonly<Record<string, number | null>>;
  readonly decision: RoundDecision;
}

/** Options of {@link labelInRounds}. */
export interface LabelInRoundsOptions {
  readonly data: EvaluationData;
  readonly design: DesignRequest;
  readonly seed: number;
  readonly plan: RoundsPlan;
  readonly oracle: Oracle;
  /** Policies whose rows may be labelled (default all). */
  readonly frame?: readonly string[];
  /** Analysis options (the level is set by the plan). */
  readonly analyze?: Omit<AnalyzeOptions, "alpha">;
  readonly concurrency?: number;
  /** Called with every new label (on the oracle's scale) as soon as it arrives, e.g. to persist it. */
  readonly onLabel?: (row: ToLabelRow, label: number) => Promise<void> | void;
}

/** Result of {@link labelInRounds}. */
export interface RoundsResult {
  readonly rounds: readonly RoundOutcome[];
  /** The sample of the last round and the analysis of its labels at level 1 − α/K. */
  readonly sample: SampleOutcome;
  readonly result: AnalysisResult;
}

/**
 * Runs the plan with an oracle: draws round k's nested sample, asks the oracle only for rows not yet
 * labelled, analyses at level 1 − α/K and applies the stopping rule. An item the oracle fails on
 * stops the run with a `CjeInputError` (a missing label would bias the design-weighted estimate).
 */
export async function labelInRounds(options: LabelInRoundsOptions): Promise<RoundsResult> {
  const { data, plan, oracle } = options;
  validateRoundsPlan(plan);
  const labels = new Map<string, number>();
  const rounds: RoundOutcome[] = [];
  let sample = sampleForLabelling(data, {
    design: options.design,
    budget: plan.schedule[0],
    seed: options.seed,
    ...(options.frame !== undefined ? { policies: options.frame } : {}),
  });
  for (let round = 0; ; round++) {
    const rows = sample.rows.map((r) => (labels.has(r.item_id) ? { ...r, oracle_label: labels.get(r.item_id) as number } : { ...r, oracle_label: null }));
    const byId = new Map(rows.map((r) => [r.item_id, r]));
    const outcome = await labelPending(
      rows,
      oracle,
      async (itemId, label) => {
        labels.set(itemId, label);
        await options.onLabel?.(byId.get(itemId) as ToLabelRow, label);
      },
      options.concurrency !== undefined ? { concurrency: options.concurrency } : {},
    );
    if (outcome.failed.length > 0) {
      throw new CjeInputError(`the oracle failed on ${outcome.failed.length} item(s); first: ${outcome.failed[0].error}`, {
        field: "item_id",
        value: outcome.failed[0].itemId,
      });
    }
    const drawLabels = rows.map((r) => ({
      policy: r.policy,
      promptId: r.prompt_id,
      drawIdx: r.draw_idx,
      label: toInternal(oracle.scale, labels.get(r.item_id) as number),
      inclusion: r.oracle_inclusion_probability,
    }));
    const result = analyze(withSampleLabels(data, drawLabels), { ...options.analyze, alpha: lookAlpha(plan) });
    const widths = halfWidths(result);
    const decision = decideAfterRound(plan, round, widths);
    rounds.push({ budget: plan.schedule[round], labelled: labels.size, halfWidths: widths, decision });
    if (decision.action === "stop") return { rounds, sample, result };
    sample = sampleForLabelling(data, { design: sample.record, budget: decision.nextBudget, seed: options.seed });
  }
}
