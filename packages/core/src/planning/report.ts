/**
 * The whole planning answer, as the JSON of `cje plan`: the variance model measured on a pilot (or, with
 * no pilot yet, on a synthetic world of a given judge quality, method-direct §2.15), (a) labels needed for
 * a target half-width at a given number of prompts, (b) the cheapest (n, m) for that target, the
 * allocation of a budget or the cheapest plan for a target detectable difference, (c) the power of the
 * headline plan, and optionally its simulation check. Detectable differences are those of paired
 * comparisons measured on the pilot's policies when it has several (comparison-model.ts), else of two
 * independently evaluated policies.
 */
import type { PlanJson, PlanReport } from "../diagnostics/trust-schemas.js";
import { CjeInputError } from "../errors/input-error.js";
import type { EvaluationData } from "../data/evaluation-data.js";
import { measureComparisonModel, type ComparisonVarianceModel } from "./comparison-model.js";
import { checkComparisonPlan, checkPlan, type PlanCheckOptions } from "./plan-check.js";
import {
  DEFAULT_PILOT_REPLICATES,
  DEFAULT_PILOT_SEED,
  labelBalance,
  measureVarianceModel,
  pilotFromData,
  type Pilot,
  type PilotOptions,
  type PilotVarianceModel,
} from "./pilot.js";
import { DEFAULT_MIN_LABELS, labelsForHalfWidth, planForBudget, planForHalfWidth, planForMde, type CostModel, type EvaluationPlan } from "./plans.js";
import { powerToDetect } from "./power.js";
import { predictVariance } from "./variance-model.js";
import { DEFAULT_SIMULATION_ORACLE_FRACTION, SIMULATION_DGP, simulationNGrid, syntheticPilot, type SimulationScenario } from "./simulation.js";

/** What to plan (at least one of `targetHalfWidth`, `budget`, `targetMde`). */
export interface PlanRequest {
  readonly costs: CostModel;
  /** Pilot policy (default: the one with the most oracle labels). */
  readonly policy?: string;
  /** Target single-policy CI half-width, oracle units. */
  readonly targetHalfWidth?: number;
  /** Prompts to be evaluated for the labels-for-target answer (default: the pilot's prompts). */
  readonly n?: number;
  readonly budget?: number;
  /** Target minimum detectable difference between two policies, oracle units. */
  readonly targetMde?: number;
  /**
   * Pilot policies whose paired comparisons the detectable differences are planned for (default:
   * all; the pilot policy is always one). With one policy, comparisons assume independent policies.
   */
  readonly compare?: readonly string[];
  /** A difference whose detection power to report. */
  readonly detect?: number;
  readonly power?: number;
  readonly alpha?: number;
  readonly mMin?: number;
  readonly pilot?: PilotOptions;
  /** Simulation check of the headline plan (omit for none). */
  readonly check?: PlanCheckOptions;
}

/** Measures the pilot's variance model and answers the planning questions of `request`. */
export function planFromPilot(data: EvaluationData, request: PlanRequest): PlanReport {
  requireQuestion(request);
  const pilot = pilotFromData(data, request.policy);
  const balance = labelBalance(pilot);
  const scale = data.oracleScale!;
  const level = measureVarianceModel(pilot, request.pilot);
  const comparison =
    (pilot.partners ?? []).length === 0 && request.compare === undefined
      ? null
      : measureComparisonModel(pilot, { ...request.pilot, ...(request.compare !== undefined ? { policies: request.compare } : {}) });
  return answerPlan(pilot, level, comparison, request, {
    source: "pilot",
    pilot: {
      policy: pilot.policy,
      n_prompts: pilot.labelled.length + pilot.unlabelled.length,
      n_labelled_prompts: pilot.labelled.length,
      n_rows: pilot.nRows,
      oracle_scale: { min: scale.scale.min, max: scale.scale.max, origin: scale.origin },
      balance: {
        status: balance.status,
        ks_statistic: balance.statistic,
        p_value: balance.pValue,
        n_labelled: balance.nLabelled,
        n_unlabelled: balance.nUnlabelled,
      },
    },
    scenario: null,
  });
}

/**
 * Plans before any label exists: measures the variance model on the synthetic world of `scenario` (a
 * judge explaining r² of a binary oracle's variance; oracle units are then [0, 1]) with the pilot's grid
 * sizes for that world, and answers the planning questions of `request` (`policy` does not apply).
 */
export function planFromSimulation(scenario: SimulationScenario, request: PlanRequest): PlanReport {
  requireQuestion(request);
  const seed = scenario.seed ?? request.pilot?.seed ?? DEFAULT_PILOT_SEED;
  const { pilot, mixingWeight } = syntheticPilot(scenario, seed);
  const prompts = pilot.labelled.length + pilot.unlabelled.length;
  const measured = measureVarianceModel(pilot, { nGrid: simulationNGrid(prompts), ...request.pilot, seed });
  return answerPlan(pilot, measured, null, request, {
    source: "simulation",
    pilot: null,
    scenario: {
      dgp: SIMULATION_DGP,
      r2: scenario.r2,
      mixing_weight: mixingWeight,
      n_prompts: prompts,
      oracle_fraction: scenario.oracleFraction ?? DEFAULT_SIMULATION_ORACLE_FRACTION,
      seed,
    },
  });
}

function requireQuestion(request: PlanRequest): void {
  if (request.targetHalfWidth === undefined && request.budget === undefined && request.targetMde === undefined) {
    throw new CjeInputError("nothing to plan: give a target half-width, a budget or a target detectable difference");
  }
}

/**
 * The plans of `request` on a measured variance model (and comparison model, when the pilot has
 * several policies), with where the model came from.
 */
function answerPlan(
  pilot: Pilot,
  measured: PilotVarianceModel,
  comparison: ComparisonVarianceModel | null,
  request: PlanRequest,
  origin: Pick<PlanReport, "source" | "pilot" | "scenario">,
): PlanReport {
  const { model } = measured;
  const options = {
    ...(request.mMin !== undefined ? { mMin: request.mMin } : {}),
    ...(request.power !== undefined ? { power: request.power } : {}),
    ...(request.alpha !== undefined ? { alpha: request.alpha } : {}),
    ...(comparison !== null && comparison.model !== null ? { comparisonModel: comparison.model } : {}),
  };
  const fallback =
    comparison !== null && comparison.model === null
      ? ["no paired comparison could be measured on the pilot: detectable differences assume two independently evaluated policies (√2 × one policy's SE)"]
      : [];
  const range = comparison === null ? null : labelRange(comparison);
  const nPrompts = pilot.labelled.length + pilot.unlabelled.length;
  const cheapest = request.targetHalfWidth === undefined ? null : planForHalfWidth(request.targetHalfWidth, model, request.costs, options);
  const budget = request.budget === undefined ? null : planForBudget(request.budget, model, request.costs, options);
  const mde = request.targetMde === undefined ? null : planForMde(request.targetMde, model, request.costs, options);
  const headlineKind = cheapest !== null ? "cheapest" : budget !== null ? "budget" : "mde";
  const headline = (cheapest ?? budget ?? mde) as EvaluationPlan;
  const labels = request.targetHalfWidth === undefined ? null : labelsForHalfWidth(request.targetHalfWidth, request.n ?? nPrompts, model, options);
  const extrapolated = [...new Set([headline, mde])]
    .filter((plan): plan is EvaluationPlan => plan !== null && plan.comparisonBasis === "paired" && range !== null && plan.m > range[1])
    .map(
      (plan) =>
        `the plan with n = ${plan.n}, m = ${plan.m} buys more oracle labels than the pilot's comparisons were measured with (${range?.join("–")}): ` +
        "its comparison SE and detectable difference are extrapolated, and a larger labelled pilot would confirm them",
    );
  const checkOptions = { ...request.check, ...(request.alpha !== undefined ? { alpha: request.alpha } : {}) };
  const check = request.check === undefined ? null : checkPlan(pilot, headline.n, headline.m, checkOptions);
  const comparisonCheck =
    request.check === undefined || comparison === null || comparison.pairs.length === 0
      ? null
      : checkComparisonPlan(pilot, headline.n, headline.m, { ...checkOptions, ...(request.compare !== undefined ? { policies: request.compare } : {}) });
  return {
    schema_version: "cje-ts.plan/v1",
    ...origin,
    variance_model: {
      sigma2_eval: model.sigma2Eval,
      sigma2_cal: model.sigma2Cal,
      r_squared: model.rSquared,
      fit_ok: model.fitOk,
      replicates: request.pilot?.replicates ?? DEFAULT_PILOT_REPLICATES,
      seed: origin.scenario?.seed ?? request.pilot?.seed ?? DEFAULT_PILOT_SEED,
      measurements: measured.measurements.map((x) => ({
        n_requested: x.nRequested,
        m_requested: x.mRequested,
        n: x.n,
        m: x.m,
        variance: x.variance,
        valid_replicates: x.validReplicates,
      })),
    },
    comparison_model:
      comparison === null
        ? null
        : {
            shared_prompts: comparison.sharedPrompts,
            sigma2_eval: comparison.model?.sigma2Eval ?? null,
            sigma2_cal: comparison.model?.sigma2Cal ?? null,
            sigma2_small: comparison.model?.sigma2Small ?? null,
            r_squared: comparison.model?.rSquared ?? null,
            m_range: range,
            pairs: comparison.pairs.map((p) => ({
              a: p.a,
              b: p.b,
              sigma2_eval: p.model.sigma2Eval,
              sigma2_cal: p.model.sigma2Cal,
              sigma2_small: p.model.sigma2Small ?? 0,
              r_squared: p.model.rSquared,
              fit_ok: p.model.fitOk,
            })),
          },
    costs: { judge: request.costs.judgeCost, oracle: request.costs.oracleCost },
    alpha: headline.alpha,
    power: headline.power,
    m_min: request.mMin ?? DEFAULT_MIN_LABELS,
    target_half_width: request.targetHalfWidth ?? null,
    labels_for_target:
      labels === null ? null : { n: labels.n, m: labels.m, half_width: labels.halfWidth, min_prompts: labels.minPrompts, reason: labels.reason },
    cheapest_plan: cheapest === null ? null : planJson(cheapest),
    budget_plan: budget === null ? null : planJson(budget),
    mde_plan: mde === null ? null : planJson(mde),
    power_analysis: {
      plan: headlineKind,
      se_comparison: headline.seComparison,
      comparison_basis: headline.comparisonBasis,
      mde: headline.mde,
      detect: request.detect === undefined ? null : { difference: request.detect, power: powerToDetect(request.detect, headline.seComparison, headline.alpha) },
    },
    check:
      check === null
        ? null
        : {
            n: check.n,
            m: check.m,
            replicates: check.replicates,
            predicted_half_width: headline.halfWidth,
            realised_half_width: check.realisedHalfWidth,
            mean_reported_half_width: check.meanReportedHalfWidth,
            comparisons:
              comparisonCheck === null
                ? null
                : comparisonCheck.pairs.map((p, k) => {
                    const model = (comparison as ComparisonVarianceModel).pairs[k].model;
                    return {
                      a: p.a,
                      b: p.b,
                      predicted_se: model.fitOk ? Math.sqrt(predictVariance(model, headline.n, headline.m)) : null,
                      realised_se: Number.isFinite(p.realisedSe) ? p.realisedSe : null,
                      mean_reported_se: Number.isFinite(p.meanReportedSe) ? p.meanReportedSe : null,
                    };
                  }),
          },
    // The level and comparison measurements may clamp the same grid cells: each fact is said once.
    warnings: [...new Set([...measured.warnings, ...(comparison?.warnings ?? []), ...fallback, ...extrapolated, ...headline.warnings])],
  };
}

function planJson(plan: EvaluationPlan): PlanJson {
  return {
    n: plan.n,
    m: plan.m,
    total_cost: plan.totalCost,
    se_level: plan.seLevel,
    half_width: plan.halfWidth,
    se_comparison: plan.seComparison,
    comparison_basis: plan.comparisonBasis,
    mde: plan.mde,
    power: plan.power,
    alpha: plan.alpha,
    oracle_fraction: plan.oracleFraction,
    eval_variance_fraction: plan.evalVarianceFraction,
    cal_variance_fraction: plan.calVarianceFraction,
  };
}

/** Smallest and largest label counts the comparison model was measured with (`null` when none was). */
function labelRange(comparison: ComparisonVarianceModel): [number, number] | null {
  const ms = comparison.pairs.flatMap((p) => p.measurements.map((x) => x.m));
  return ms.length === 0 ? null : [Math.min(...ms), Math.max(...ms)];
}
