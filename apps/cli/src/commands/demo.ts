import type { Command } from "commander";
import type { AnalysisResult } from "@cjeval/core";
import { writeJsonAtomic } from "@cjeval/provider-utils";
import {
  auditedPolicies,
  DEMO_ORACLE_SHARE,
  DEMO_POLICIES,
  DEMO_PROMPTS,
  DEMO_SEED,
  runDemo,
  SILENT_PROGRESS,
  streamProgress,
  transportSummary,
  type Campaign,
} from "@cjeval/runner";
import { formatFlagLegend } from "../format/flag-legend.js";
import { fmt, fmtInterval, renderTable } from "../format/table.js";
import { parseSeed, parseSimulatedPrompts } from "./options.js";
import { checkOutputs } from "./out-path.js";

interface DemoFlags {
  seed: number;
  prompts: number;
  outDir?: string;
  json?: string;
}

/** Registers `cje demo`. */
export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("Run CJE on a built-in simulated world with known truth: naive judge means vs calibrated estimates vs truth.")
    .option("--seed <n>", "world seed (0 to 2^52)", parseSeed, DEMO_SEED)
    .option("--prompts <n>", "prompts per policy (at most 1000000)", parseSimulatedPrompts, DEMO_PROMPTS)
    .option("--out-dir <dir>", "campaign folder: store, fresh draws, results and report (default: a temp folder)")
    .option("--json <file>", "write the analysis JSON (with the truth) here")
    .action(async (flags: DemoFlags) => {
      await checkOutputs(flags.json);
      process.stdout.write(
        `Simulating ${DEMO_POLICIES.length} policies × ${flags.prompts} prompts with known truth. The judge is lenient and coarse, ` +
          "and 'flatterer' fools it.\n" +
          `${DEMO_ORACLE_SHARE * 100}% of base's answers go to the oracle to calibrate the judge; held-out probes of the other policies'\n` +
          "answers go to it too, to audit whether that calibration transports to them.\n" +
          "The campaign runner generates, judges, samples, labels, audits and estimates offline, on its SQLite store.\n\n",
      );
      const { summary, truth, campaign } = await runDemo({
        seed: flags.seed,
        prompts: flags.prompts,
        ...(flags.outDir === undefined ? {} : { outDir: flags.outDir }),
        progress: process.stderr.isTTY ? streamProgress(process.stderr) : SILENT_PROGRESS,
      });
      if (summary.analysis === null) throw new Error(`the demo campaign did not finish: ${summary.reason ?? summary.status}`);
      process.stdout.write(formatDemo(summary.analysis, truth, campaign.config));
      const { paths } = summary;
      process.stdout.write(`\nCampaign store: ${paths.store}\nFresh draws:    ${paths.draws}\nReport:         ${paths.html}\n`);
      if (flags.json !== undefined) await writeJsonAtomic(flags.json, { ...summary.analysis, truth });
    });
}

/**
 * Naive vs calibrated vs truth, with whether each interval covers the truth, then the transport audit of
 * each policy `campaign` audits and what each flag means and what to do about it.
 */
export function formatDemo(result: AnalysisResult, truth: Readonly<Record<string, number>>, campaign: Campaign): string {
  const covers = (ci: readonly (number | null)[], t: number) => (ci[0] !== null && ci[1] !== null && ci[0] <= t && t <= ci[1] ? "yes" : "NO");
  const rows = result.policies.map((p) => {
    const naive = result.diagnostics.policies[p.policy].naive;
    const t = truth[p.policy];
    return [
      p.policy,
      fmt(t),
      fmt(naive.estimate),
      fmtInterval(naive.ci),
      covers(naive.ci, t),
      fmt(p.estimate),
      fmtInterval(p.ci),
      covers(p.ci, t),
      p.flags.join(",") || "-",
    ];
  });
  let out = renderTable(["policy", "truth", "naive", "naive 95% CI", "covers", "CJE", "CJE 95% CI", "covers", "flags"], rows);
  const verdict = result.best_policy;
  if (verdict !== null) {
    out +=
      verdict.best === null
        ? `\nNo best policy: ${verdict.reason ?? "every policy is flagged."}\n`
        : verdict.demoted
          ? `\nBest reliable policy: ${verdict.best} (raw argmax ${verdict.raw_best} is flagged ${verdict.raw_best_flags.join(",")})\n`
          : `\nBest policy: ${verdict.best}\n`;
  }
  const audited = auditedPolicies(campaign);
  if (audited.length > 0) {
    const rows = audited.map((policy) => {
      const record = result.diagnostics.policies[policy].transport;
      return [policy, record?.performed === true ? String(record.n_probe) : "-", transportSummary(record)];
    });
    out += "\nTransport audits on held-out oracle probes (δ̂: mean oracle label minus calibrated judge score):\n";
    out += renderTable(["policy", "probes", "audit"], rows);
  }
  out += formatFlagLegend(result);
  out += "\nNaive judge means are biased and their intervals miss the truth. CJE's calibrated intervals cover it for the\n";
  out += "honest policies, whose held-out probes show the calibration transports to them. The policy that fools the\n";
  out += "judge is flagged: its judge scores sit where the oracle labels are too sparse to pin the calibration down, and\n";
  out += "its probes score well below what the calibration predicts (a negative residual: its answers are worse than\n";
  out += "the judge says), so its number must not be trusted.\n";
  return out;
}
