import { type Command, InvalidArgumentError, Option } from "commander";
import {
  CjeInputError,
  correlationToR2,
  planFromPilot,
  planFromSimulation,
  type JudgeRelationship,
  type PlanJson,
  type PlanReport,
  type PlanRequest,
  type Scale,
} from "@cjeval/core";
import { loadEvaluationData } from "@cjeval/core/node";
import { fmt, renderTable } from "../format/table.js";
import { parsePositive } from "./audit.js";
import { MAX_BOOTSTRAP_REPLICATES } from "@cjeval/core/advanced";
import { parseCount, parseIntegerIn, parseList, parseReplicates, parseScale, parseSeed, parseSimulatedPrompts } from "./options.js";
import { checkOutputs, emitCommandOutput } from "./out-path.js";

interface PlanFlags {
  targetHalfwidth?: number;
  judgeCost: number;
  oracleCost: number;
  policy?: string;
  n?: number;
  budget?: number;
  mde?: number;
  compare?: string[];
  detect?: number;
  power?: number;
  alpha?: number;
  mMin?: number;
  replicates?: number;
  seed?: number;
  check?: number | true;
  judgeScale?: Scale;
  oracleScale?: Scale;
  out?: string;
  r2?: number;
  correlation?: number;
  relationship: JudgeRelationship;
  simPrompts?: number;
  simOracleFraction?: number;
}

/** A number in [lo, hi]. */
function inRange(lo: number, hi: number): (text: string) => number {
  return (text) => {
    const x = Number(text);
    if (!(Number.isFinite(x) && x >= lo && x <= hi)) throw new InvalidArgumentError(`expected a number in [${lo}, ${hi}], got '${text}'`);
    return x;
  };
}

/** Registers `cje plan`. */
export function registerPlanCommand(program: Command): void {
  program
    .command("plan")
    .description(
      "Plan how many prompts to judge and how many oracle labels to buy: from a pilot (judge scores + some oracle labels), or before any label from how well the judge tracks the oracle (--r2 / --correlation).",
    )
    .argument("[pilot...]", "pilot fresh draws (folder or files, as for cje analyze)")
    .option("--target-halfwidth <h>", "target 95% CI half-width of one policy's value, oracle units", parsePositive)
    .option("--judge-cost <c>", "cost of one judge score (default 1)", parsePositive, 1)
    .option("--oracle-cost <c>", "cost of one oracle label (default 16)", parsePositive, 16)
    .option("--policy <name>", "pilot policy (default: the one with the most oracle labels)")
    .option("--n <prompts>", "prompts you will evaluate, for the labels-needed answer (default: the pilot's)", parseCount)
    .option("--budget <B>", "also plan the best allocation of this budget", parsePositive)
    .option("--mde <d>", "also plan the cheapest design detecting this difference between two policies", parsePositive)
    .option("--compare <policies>", "pilot policies whose paired comparisons detectable differences are planned for, comma-separated (default: all)", parseList)
    .option("--detect <d>", "report the power to detect this difference with the headline plan", parsePositive)
    .option("--power <p>", "power for detectable differences (default 0.8)", parsePositive)
    .option("--alpha <a>", "two-sided level 1 − alpha (default 0.05)", parsePositive)
    .option("--m-min <m>", "minimum oracle labels of any plan (default 30)", parseCount)
    .option("--replicates <R>", "pilot sub-samples per grid cell (default 50; at most 100000)", parseIntegerIn(1, MAX_BOOTSTRAP_REPLICATES))
    .option("--seed <n>", "seed of the pilot sub-sampling and of the check (default 42; 0 to 2^52)", parseSeed)
    .option("--check [R]", "simulate the headline plan by re-sampling the pilot (R replicates, default 200; 2 to 100000)", parseReplicates)
    .option("--judge-scale <LO,HI>", "declare the judge-score scale", parseScale)
    .option("--oracle-scale <LO,HI>", "declare the oracle-label scale", parseScale)
    .option("--out <file>", "write the JSON plan here")
    .option("--r2 <r2>", "no pilot: the share of the oracle's variance the judge explains (isotonic R²); plans on a synthetic world", inRange(0, 1))
    .option("--correlation <r>", "no pilot: the judge–oracle correlation (converted to R², see --relationship)", inRange(-1, 1))
    .addOption(new Option("--relationship <kind>", "how --correlation relates judge to oracle").choices(["linear", "monotone"]).default("linear"))
    .option("--sim-prompts <N>", "no pilot: prompts of the synthetic pilot (default 1000; at most 1000000)", parseSimulatedPrompts)
    .option("--sim-oracle-fraction <f>", "no pilot: labelled share of the synthetic pilot (default 0.4)", inRange(0, 1))
    .action(async (inputs: string[], flags: PlanFlags) => {
      await checkOutputs(flags.out);
      const seed = flags.seed !== undefined ? { seed: flags.seed } : {};
      const request: PlanRequest = {
        costs: { judgeCost: flags.judgeCost, oracleCost: flags.oracleCost },
        ...(flags.policy !== undefined ? { policy: flags.policy } : {}),
        ...(flags.targetHalfwidth !== undefined ? { targetHalfWidth: flags.targetHalfwidth } : {}),
        ...(flags.n !== undefined ? { n: flags.n } : {}),
        ...(flags.budget !== undefined ? { budget: flags.budget } : {}),
        ...(flags.mde !== undefined ? { targetMde: flags.mde } : {}),
        ...(flags.compare !== undefined ? { compare: flags.compare } : {}),
        ...(flags.detect !== undefined ? { detect: flags.detect } : {}),
        ...(flags.power !== undefined ? { power: flags.power } : {}),
        ...(flags.alpha !== undefined ? { alpha: flags.alpha } : {}),
        ...(flags.mMin !== undefined ? { mMin: flags.mMin } : {}),
        pilot: { ...(flags.replicates !== undefined ? { replicates: flags.replicates } : {}), ...seed },
        ...(flags.check !== undefined ? { check: { ...(flags.check === true ? {} : { replicates: flags.check }), ...seed } } : {}),
      };
      const r2 = flags.r2 ?? (flags.correlation === undefined ? undefined : correlationToR2(flags.correlation, flags.relationship));
      let report: PlanReport;
      if (r2 !== undefined) {
        if (inputs.length > 0) throw new CjeInputError("give a pilot or a judge quality (--r2 / --correlation), not both");
        if (flags.compare !== undefined) throw new CjeInputError("--compare needs a pilot with several policies on the same prompts");
        if (flags.r2 !== undefined && flags.correlation !== undefined) throw new CjeInputError("give --r2 or --correlation, not both");
        report = planFromSimulation(
          {
            r2,
            ...(flags.simPrompts !== undefined ? { prompts: flags.simPrompts } : {}),
            ...(flags.simOracleFraction !== undefined ? { oracleFraction: flags.simOracleFraction } : {}),
          },
          request,
        );
      } else {
        if (inputs.length === 0) throw new CjeInputError("nothing to plan from: give pilot fresh draws, or --r2 / --correlation to plan before any label");
        const data = await loadEvaluationData(inputs, {
          ...(flags.judgeScale !== undefined ? { judgeScale: flags.judgeScale } : {}),
          ...(flags.oracleScale !== undefined ? { oracleScale: flags.oracleScale } : {}),
        });
        report = planFromPilot(data, request);
      }
      await emitCommandOutput({ text: formatPlan(report), warnings: report.warnings, json: report, out: flags.out, what: "Plan" });
    });
}

/** Where the variance model comes from: the pilot (with its balance check) or the synthetic world. */
function formatSource(report: PlanReport): string {
  const p = report.pilot;
  if (p !== null) {
    const b = p.balance;
    const balance =
      b.status === "INSUFFICIENT_DATA"
        ? `too few labelled or unlabelled draws to compare (${b.n_labelled} / ${b.n_unlabelled})`
        : `${b.status === "SHIFT_DETECTED" ? "SHIFT DETECTED" : "not rejected"} (KS D = ${fmt(b.ks_statistic)}, p = ${fmt(b.p_value)})`;
    return (
      `Pilot: policy '${p.policy}', ${p.n_prompts} prompts (${p.n_labelled_prompts} with oracle labels), oracle scale ${p.oracle_scale.min}–${p.oracle_scale.max}\n` +
      `Label balance (judge scores of labelled vs unlabelled draws, informational): ${balance}\n`
    );
  }
  const s = report.scenario!;
  return (
    `No pilot: a synthetic world (${s.dgp}) whose judge explains R² = ${fmt(s.r2)} of a binary oracle's variance, ` +
    `${s.n_prompts} prompts, ${fmt(s.oracle_fraction, 2)} labelled, seed ${s.seed}; oracle units are [0, 1]\n`
  );
}

/** How comparison SEs were obtained: the measured paired model, or the independent-policies rule. */
function formatComparisonBasis(report: PlanReport): string {
  const c = report.comparison_model;
  if (report.power_analysis.comparison_basis === "independent" || c === null || c.sigma2_eval === null || c.sigma2_cal === null) {
    return "    (independent policies: √2 × one policy's SE; a pilot with several policies on the same prompts measures the paired SE, usually far smaller)\n";
  }
  const pairs = c.pairs.map(
    (p) =>
      `      ${p.a} − ${p.b}: ${formula(p.sigma2_eval, p.sigma2_cal, p.sigma2_small)} (R² = ${fmt(p.r_squared)})${p.fit_ok ? "" : "  POOR FIT, not planned on"}\n`,
  );
  return (
    `    (paired on ${c.shared_prompts} shared prompts, labels on '${report.pilot?.policy}' and the others through its calibrator: ` +
    `V_Δ(n, m) = ${formula(c.sigma2_eval, c.sigma2_cal, c.sigma2_small ?? 0)}, the largest of the well-fitted pairs; measured with ${c.m_range?.join("–")} labels)\n${pairs.join("")}`
  );
}

/** σ²_eval/n + σ²_cal/m + σ²_small/m², in exponent notation. */
function formula(eval_: number, cal: number, small: number): string {
  return `${eval_.toExponential(3)}/n + ${cal.toExponential(3)}/m + ${small.toExponential(3)}/m²`;
}

/** Human-readable plan. */
export function formatPlan(report: PlanReport): string {
  const v = report.variance_model;
  let out =
    formatSource(report) +
    `Variance model: V(n, m) = ${v.sigma2_eval.toExponential(3)}/n + ${v.sigma2_cal.toExponential(3)}/m  (R² = ${fmt(v.r_squared)}, ` +
    `${v.measurements.length} grid cells × ${v.replicates} sub-samples${v.fit_ok ? "" : "; POOR FIT"})\n` +
    `Costs: judge score ${report.costs.judge}, oracle label ${report.costs.oracle}\n\n`;
  const need = report.labels_for_target;
  if (need !== null) {
    out +=
      need.m === null
        ? `(a) Half-width ${report.target_half_width} with ${need.n} prompts: not reachable — ${need.reason}\n`
        : `(a) Half-width ${report.target_half_width} with ${need.n} prompts: buy ${need.m} oracle labels (half-width ${fmt(need.half_width, 4)})\n`;
  }
  const plans: [string, PlanJson | null][] = [
    [`(b) cheapest for half-width ${report.target_half_width}`, report.cheapest_plan],
    ["allocation of the budget", report.budget_plan],
    ["cheapest for the target difference", report.mde_plan],
  ];
  const rows = plans
    .filter((entry): entry is [string, PlanJson] => entry[1] !== null)
    .map(([label, plan]) => [label, String(plan.n), String(plan.m), fmt(plan.total_cost, 2), fmt(plan.half_width, 4), fmt(plan.mde, 4)]);
  out += `\n${renderTable(["plan", "prompts n", "labels m", "cost", "95% half-width", `MDE (power ${report.power})`], rows)}`;
  const power = report.power_analysis;
  out += `\n(c) Two policies evaluated with the ${power.plan} plan: comparison SE ${fmt(power.se_comparison, 4)}, minimum detectable difference ${fmt(power.mde, 4)} at power ${report.power}`;
  out += power.detect === null ? "\n" : `; power to detect ${power.detect.difference}: ${fmt(power.detect.power)}\n`;
  out += formatComparisonBasis(report);
  const check = report.check;
  if (check !== null) {
    out +=
      `\nSimulation check (${check.replicates} re-samples of the pilot at n = ${check.n}, m = ${check.m}): predicted half-width ` +
      `${fmt(check.predicted_half_width, 4)}, realised ${fmt(check.realised_half_width, 4)} (spread of estimates), reported ${fmt(check.mean_reported_half_width, 4)} (mean interval)\n`;
    for (const c of check.comparisons ?? []) {
      out += `    ${c.a} − ${c.b}: comparison SE predicted ${c.predicted_se === null ? "— (poor fit)" : fmt(c.predicted_se, 4)}, realised ${fmt(c.realised_se, 4)}, reported ${fmt(c.mean_reported_se, 4)}\n`;
    }
  }
  return out;
}
