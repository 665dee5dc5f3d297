import { Command } from "commander";
import { loadEvaluationData, planFromPilot, type PlanJson, type PlanReport, type Scale } from "@cjeval/core";
import { fmt, renderTable } from "../format/table.js";
import { parsePositive } from "./audit.js";
import { parseCount, parseScale } from "./options.js";
import { emitOutput } from "./output.js";

interface PlanFlags {
  targetHalfwidth?: number;
  judgeCost: number;
  oracleCost: number;
  policy?: string;
  n?: number;
  budget?: number;
  mde?: number;
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
}

/** Registers `cje plan`. */
export function registerPlanCommand(program: Command): void {
  program
    .command("plan")
    .description("From a pilot (judge scores + some oracle labels), plan how many prompts to judge and how many oracle labels to buy.")
    .argument("<pilot...>", "pilot fresh draws (folder or files, as for cje analyze)")
    .option("--target-halfwidth <h>", "target 95% CI half-width of one policy's value, oracle units", parsePositive)
    .option("--judge-cost <c>", "cost of one judge score (default 1)", parsePositive, 1)
    .option("--oracle-cost <c>", "cost of one oracle label (default 16)", parsePositive, 16)
    .option("--policy <name>", "pilot policy (default: the one with the most oracle labels)")
    .option("--n <prompts>", "prompts you will evaluate, for the labels-needed answer (default: the pilot's)", parseCount)
    .option("--budget <B>", "also plan the best allocation of this budget", parsePositive)
    .option("--mde <d>", "also plan the cheapest design detecting this difference between two policies", parsePositive)
    .option("--detect <d>", "report the power to detect this difference with the headline plan", parsePositive)
    .option("--power <p>", "power for detectable differences (default 0.8)", parsePositive)
    .option("--alpha <a>", "two-sided level 1 − alpha (default 0.05)", parsePositive)
    .option("--m-min <m>", "minimum oracle labels of any plan (default 30)", parseCount)
    .option("--replicates <R>", "pilot sub-samples per grid cell (default 50)", parseCount)
    .option("--seed <n>", "seed of the pilot sub-sampling and of the check (default 42)", parseCount)
    .option("--check [R]", "simulate the headline plan by re-sampling the pilot (R replicates, default 200)", parseCount)
    .option("--judge-scale <LO,HI>", "declare the judge-score scale", parseScale)
    .option("--oracle-scale <LO,HI>", "declare the oracle-label scale", parseScale)
    .option("--out <file>", "write the JSON plan here")
    .action(async (inputs: string[], flags: PlanFlags) => {
      const data = await loadEvaluationData(inputs, {
        ...(flags.judgeScale !== undefined ? { judgeScale: flags.judgeScale } : {}),
        ...(flags.oracleScale !== undefined ? { oracleScale: flags.oracleScale } : {}),
      });
      const seed = flags.seed !== undefined ? { seed: flags.seed } : {};
      const report = planFromPilot(data, {
        costs: { judgeCost: flags.judgeCost, oracleCost: flags.oracleCost },
        ...(flags.policy !== undefined ? { policy: flags.policy } : {}),
        ...(flags.targetHalfwidth !== undefined ? { targetHalfWidth: flags.targetHalfwidth } : {}),
        ...(flags.n !== undefined ? { n: flags.n } : {}),
        ...(flags.budget !== undefined ? { budget: flags.budget } : {}),
        ...(flags.mde !== undefined ? { targetMde: flags.mde } : {}),
        ...(flags.detect !== undefined ? { detect: flags.detect } : {}),
        ...(flags.power !== undefined ? { power: flags.power } : {}),
        ...(flags.alpha !== undefined ? { alpha: flags.alpha } : {}),
        ...(flags.mMin !== undefined ? { mMin: flags.mMin } : {}),
        pilot: { ...(flags.replicates !== undefined ? { replicates: flags.replicates } : {}), ...seed },
        ...(flags.check !== undefined ? { check: { ...(flags.check === true ? {} : { replicates: flags.check }), ...seed } } : {}),
      });
      await emitOutput({ text: formatPlan(report), warnings: report.warnings, json: report, out: flags.out, what: "Plan" });
    });
}

/** Human-readable plan. */
export function formatPlan(report: PlanReport): string {
  const v = report.variance_model;
  const p = report.pilot;
  let out =
    `Pilot: policy '${p.policy}', ${p.n_prompts} prompts (${p.n_labelled_prompts} with oracle labels), oracle scale ${p.oracle_scale.min}–${p.oracle_scale.max}\n` +
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
  out += "\n" + renderTable(["plan", "prompts n", "labels m", "cost", "95% half-width", `MDE (power ${report.power})`], rows);
  const power = report.power_analysis;
  out += `\n(c) Two policies evaluated with the ${power.plan} plan: comparison SE ${fmt(power.se_comparison, 4)}, minimum detectable difference ${fmt(power.mde, 4)} at power ${report.power}`;
  out += power.detect === null ? "\n" : `; power to detect ${power.detect.difference}: ${fmt(power.detect.power)}\n`;
  out += "    (independent policies; paired evaluation on shared prompts usually does better)\n";
  const check = report.check;
  if (check !== null) {
    out +=
      `\nSimulation check (${check.replicates} re-samples of the pilot at n = ${check.n}, m = ${check.m}): predicted half-width ` +
      `${fmt(check.predicted_half_width, 4)}, realised ${fmt(check.realised_half_width, 4)} (spread of estimates), reported ${fmt(check.mean_reported_half_width, 4)} (mean interval)\n`;
  }
  return out;
}
