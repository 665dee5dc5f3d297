/**
 * The variance model of paired comparisons, measured on a pilot of several policies answering the
 * same prompts. A deviation from method-direct §2.14, whose se_comparison = √2·se_level ("independent
 * policies — conservative for paired designs") is kept for one-policy pilots and synthetic plans, and
 * used whenever no pair can be measured. Planning a detectable difference from two
 * independent policies (√2 × the level SE) ignores what pairing buys: prompt difficulty cancels in
 * the difference, and a policy evaluated through the labelled policy's calibrator moves with the
 * labels that correct the labelled one. On shared prompts the SE of a difference is measured to be
 * 2.5–4× below the independent rule, so planning on that rule buys several times the labels a
 * paired study needs.
 *
 * Here the protocol the plan will run is simulated directly: the pilot policy carries the oracle
 * labels and every partner is evaluated through its calibrator on the same prompts. For each (n, m)
 * of the pilot's grid, sub-samples of m labelled and n − m unlabelled shared prompts (all policies'
 * draws of each) are analysed by the production Direct estimator (analytic inference, paired
 * comparisons), and the squared median reported SE of every pair's difference is recorded. The grid
 * reaches down to 5% of the labels ({@link COMPARISON_ORACLE_FRACTIONS}), where plans for paired
 * comparisons tend to land, and each pair gets its own fit
 * V_Δ(n, m) = σ²_eval,Δ/n + σ²_cal,Δ/m + σ²_small,Δ/m², whose last term carries the reported SE's
 * faster growth with few labels (variance-model.ts). The model planned on is the
 * component-wise maximum over the well-fitted pairs, which bounds each of their variances at every
 * (n, m). A pair whose fit is poor (R² below `MIN_FIT_R_SQUARED`, 0.5) is left out of it with a
 * warning: its SE does not shrink like σ²/n + σ²/m, typically because a policy's judge scores lie
 * where labels are sparse (on the Arena pilot, `unhelpful`: the SE of its comparison with base
 * is 0.09–0.18 whether 72 or 135 prompts are labelled), and more labels anywhere else do not fix that.
 */
import { labelledRowsCalibration } from "../direct/calibrated-mean.js";
import { estimateDirect, type PairedComparison } from "../direct/direct.js";
import { buildEvalTable, type EvalRowInput } from "../direct/eval-table.js";
import { CjeInputError } from "../errors/input-error.js";
import { defaultNGrid, measureOnGrid, measurementGrid, type Pilot, type PilotMeasurement, type PilotOptions, type PilotPrompt } from "./pilot.js";
import { fitVarianceComponents, type VarianceModel } from "./variance-model.js";

/** Default oracle fractions of the comparison model's grid: down to 5% of the labels, where paired plans land. */
export const COMPARISON_ORACLE_FRACTIONS: readonly number[] = [0.05, 0.1, 0.15, 0.25, 0.4];

/** Options of {@link measureComparisonModel}. */
export interface ComparisonModelOptions extends PilotOptions {
  /** Partner policies to compare (default: every partner of the pilot); the pilot policy is always included. */
  readonly policies?: readonly string[];
}

/** One measured pair: the variance model of θ_a − θ_b. */
export interface PairVarianceModel {
  readonly a: string;
  readonly b: string;
  readonly model: VarianceModel;
  readonly measurements: readonly PilotMeasurement[];
}

/** The comparison variance model measured on a pilot (oracle units²). */
export interface ComparisonVarianceModel {
  /**
   * The model planned on: the component-wise maximum of the well-fitted pairs' σ²_eval,Δ and
   * σ²_cal,Δ (its R² is the smallest of theirs), or `null` when no pair fits well.
   */
  readonly model: VarianceModel | null;
  readonly pairs: readonly PairVarianceModel[];
  /** Prompts answered by the pilot policy and every compared partner (the prompts sub-sampled). */
  readonly sharedPrompts: number;
  readonly warnings: readonly string[];
}

/**
 * Measures the variance of paired comparisons between the pilot policy (labelled) and its partners
 * (through its calibrator) on their shared prompts; see the module comment. Throws a `CjeInputError`
 * when the pilot has no partner or a requested policy is not a partner; when the shared prompts are
 * too few for the measurement grid, the model is `null` and a warning says why.
 */
export function measureComparisonModel(pilot: Pilot, options: ComparisonModelOptions = {}): ComparisonVarianceModel {
  const compared = comparedPolicies(pilot, options.policies);
  const { labelled, unlabelled } = compared;
  const sharedPrompts = labelled.length + unlabelled.length;
  let grid: { n: number; m: number }[];
  try {
    grid = measurementGrid(options.nGrid ?? defaultNGrid(sharedPrompts), options.oracleFractions ?? COMPARISON_ORACLE_FRACTIONS, labelled.length);
  } catch (error) {
    if (!(error instanceof CjeInputError)) throw error;
    const reason = `paired comparisons are not measured on the ${sharedPrompts} prompts every compared policy answers (${labelled.length} labelled): ${error.message}`;
    return { model: null, pairs: [], sharedPrompts, warnings: [reason] };
  }
  const { series, warnings } = measureOnGrid(labelled, unlabelled, pilot.span, grid, options, compared.pairs.length, (prompts) =>
    comparisonsOnPrompts(prompts, compared).map((c) => c?.se ?? Number.NaN),
  );
  const pairs = compared.pairs.map(([a, b], k) => ({ a, b, model: fitVarianceComponents(series[k], { smallSample: true }), measurements: series[k] }));
  const notes = [...warnings];
  const unshared = pilot.labelled.length + pilot.unlabelled.length - sharedPrompts;
  if (unshared > 0)
    notes.push(`${unshared} of the pilot policy's prompts are not answered by every compared policy; comparisons are measured on the other ${sharedPrompts}`);
  if ((pilot.partnerLabels ?? 0) > 0) {
    notes.push(
      `${pilot.partnerLabels} oracle labels on other policies' draws are not used for the comparison model: the plan buys labels for '${pilot.policy}' only and evaluates the others through its calibrator`,
    );
  }
  const fitted = pairs.filter((p) => p.model.fitOk);
  const poor = pairs.filter((q) => !q.model.fitOk);
  if (poor.length > 0) {
    notes.push(
      `comparisons left out of the comparison model, their SE does not follow σ²/n + σ²/m + σ²/m²: ${poor.map((p) => `${p.a} − ${p.b} (R² = ${p.model.rSquared.toFixed(3)})`).join(", ")}. ` +
        "Typically a policy's judge scores lie where oracle labels are sparse: label that score region before planning on these pairs",
    );
  }
  return { model: fitted.length === 0 ? null : envelope(fitted.map((p) => p.model)), pairs, sharedPrompts, warnings: notes };
}

/** The pilot policy and the partners compared with it, on the prompts they all answer. */
export interface ComparedPolicies {
  /** The pilot policy first, then the compared partners. */
  readonly policies: readonly string[];
  /** Index in `Pilot.partners` of each compared partner. */
  readonly partnerIndex: readonly number[];
  /** Shared prompts with and without labels on the pilot policy. */
  readonly labelled: readonly PilotPrompt[];
  readonly unlabelled: readonly PilotPrompt[];
  /** The pairs (a, b) of `policies`, a before b, in the order of the estimator's comparisons. */
  readonly pairs: readonly (readonly [string, string])[];
}

/**
 * The pilot policy and `requested` partners (default: all), with their shared prompts. Throws a
 * `CjeInputError` when the pilot has no partner or a requested policy is not a partner.
 */
export function comparedPolicies(pilot: Pilot, requested?: readonly string[]): ComparedPolicies {
  const partners = pilot.partners ?? [];
  if (partners.length === 0)
    throw new CjeInputError(`the pilot has one policy ('${pilot.policy}'): paired comparisons need a second policy on the same prompts`);
  const chosen = [...new Set(requested ?? partners)].filter((p) => p !== pilot.policy);
  for (const p of chosen) {
    if (!partners.includes(p)) {
      throw new CjeInputError(`policy '${p}' is not in the pilot (policies: ${[pilot.policy, ...partners].join(", ")})`, { field: "policies", value: p });
    }
  }
  if (chosen.length === 0) throw new CjeInputError("no policy to compare with the pilot policy", { field: "policies", value: (requested ?? []).join(",") });
  const shared = (prompts: readonly PilotPrompt[]) => prompts.filter((p) => p.partnerScores !== undefined && p.partnerScores !== null);
  const policies = [pilot.policy, ...chosen];
  const pairs: [string, string][] = [];
  for (let i = 0; i < policies.length; i++) for (let j = i + 1; j < policies.length; j++) pairs.push([policies[i], policies[j]]);
  return { policies, partnerIndex: chosen.map((p) => partners.indexOf(p)), labelled: shared(pilot.labelled), unlabelled: shared(pilot.unlabelled), pairs };
}

/**
 * Every pair's paired comparison (internal units), aligned with `compared.pairs`, by the production
 * Direct estimator with analytic inference on the shared `prompts`: labels on the pilot policy's
 * draws, the partners through its calibrator; `null` for a pair the estimator reports no comparison
 * for (a zero SE). Each entry is one cluster: a prompt chosen twice gets a fresh id per copy.
 */
export function comparisonsOnPrompts(prompts: readonly PilotPrompt[], compared: ComparedPolicies): (PairedComparison | null)[] {
  const { policies, partnerIndex } = compared;
  const rows: EvalRowInput[] = [];
  prompts.forEach((p, k) => {
    const promptId = `${k}`;
    p.scores.forEach((s, j) => rows.push({ policy: policies[0], promptId, judgeScore: s, oracleLabel: Number.isNaN(p.labels[j]) ? null : p.labels[j] }));
    const partnerScores = p.partnerScores as readonly (readonly number[])[];
    partnerIndex.forEach((q, k2) => {
      for (const s of partnerScores[q]) rows.push({ policy: policies[k2 + 1], promptId, judgeScore: s, oracleLabel: null });
    });
  });
  const table = buildEvalTable(rows, policies);
  const P = policies.length;
  const out: (PairedComparison | null)[] = compared.pairs.map(() => null);
  // Pair (i, j), i < j, is number i·(2P − i − 1)/2 + (j − i − 1) in the order of `compared.pairs`.
  for (const c of estimateDirect(table, labelledRowsCalibration(table), { inference: "analytic" }).comparisons) {
    out[(c.i * (2 * P - c.i - 1)) / 2 + (c.j - c.i - 1)] = c;
  }
  return out;
}

/** Component-wise maximum of well-fitted models: V(n, m) of the result bounds each model's. */
function envelope(models: readonly VarianceModel[]): VarianceModel {
  return {
    sigma2Eval: Math.max(...models.map((m) => m.sigma2Eval)),
    sigma2Cal: Math.max(...models.map((m) => m.sigma2Cal)),
    sigma2Small: Math.max(...models.map((m) => m.sigma2Small ?? 0)),
    rSquared: Math.min(...models.map((m) => m.rSquared)),
    nMeasurements: Math.min(...models.map((m) => m.nMeasurements)),
    fitOk: true,
  };
}
