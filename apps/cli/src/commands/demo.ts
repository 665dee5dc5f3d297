import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { simulateWorld, writeFileAtomic, writeJsonAtomic, type AnalysisResult } from "@cjeval/core";
import { fmt, fmtInterval, renderTable } from "../format/table.js";
import { parseCount } from "./options.js";
import { runAnalysis } from "./analyze.js";

/**
 * The demo world: a good base policy (the one with oracle labels), two honest variants, and a
 * 'flatterer' whose poor answers the judge scores far too kindly — like the adversarial policy of
 * the Chatbot Arena sample.
 */
export const DEMO_POLICIES = [
  { name: "base", shift: 1 },
  { name: "concise", shift: 1.3 },
  { name: "verbose", shift: 0.7 },
  { name: "flatterer", shift: -1.5, judgeBias: 0.2 },
] as const;

/** Share of base's answers that carry an oracle label in the demo. */
export const DEMO_ORACLE_SHARE = 0.15;

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
    .option("--seed <n>", "world seed", parseCount, 7)
    .option("--prompts <n>", "prompts per policy", parseCount, 1000)
    .option("--out-dir <dir>", "where to write the generated fresh draws (default: a temp folder)")
    .option("--json <file>", "write the analysis JSON (with the truth) here")
    .action(async (flags: DemoFlags) => {
      const world = simulateWorld({ policies: DEMO_POLICIES, prompts: flags.prompts, oracleShare: DEMO_ORACLE_SHARE, seed: flags.seed });
      const dir = flags.outDir ?? (await mkdtemp(path.join(tmpdir(), "cje-demo-")));
      for (const policy of DEMO_POLICIES) {
        const rows = world.records.filter((r) => r.policy === policy.name).map((r) => JSON.stringify(r));
        await writeFileAtomic(path.join(dir, `${policy.name}_responses.jsonl`), `${rows.join("\n")}\n`);
      }
      process.stdout.write(
        `Simulated ${DEMO_POLICIES.length} policies × ${flags.prompts} prompts with known truth. The judge is lenient and ` +
          `coarse, 'flatterer' fools it, and ${DEMO_ORACLE_SHARE * 100}% of base's answers carry an oracle label.\n` +
          `Fresh draws written to ${dir}\n\n`,
      );
      const result = await runAnalysis({ inputs: [dir], flags: { inference: "bootstrap", onInvalid: "error" } });
      process.stdout.write(formatDemo(result, world.truth));
      if (flags.json !== undefined) await writeJsonAtomic(flags.json, { ...result, truth: world.truth });
    });
}

/** Naive vs calibrated vs truth, with whether each interval covers the truth. */
export function formatDemo(result: AnalysisResult, truth: Readonly<Record<string, number>>): string {
  const covers = (ci: readonly (number | null)[], t: number) => (ci[0] !== null && ci[1] !== null && ci[0] <= t && t <= ci[1] ? "yes" : "NO");
  const rows = result.policies.map((p) => {
    const naive = result.diagnostics.policies[p.policy].naive;
    const t = truth[p.policy];
    return [p.policy, fmt(t), fmt(naive.estimate), fmtInterval(naive.ci), covers(naive.ci, t), fmt(p.estimate), fmtInterval(p.ci), covers(p.ci, t), p.flags.join(",") || "-"];
  });
  let out = renderTable(["policy", "truth", "naive", "naive 95% CI", "covers", "CJE", "CJE 95% CI", "covers", "flags"], rows);
  const verdict = result.best_policy;
  if (verdict !== null) {
    out += verdict.demoted
      ? `\nBest reliable policy: ${verdict.best} (raw argmax ${verdict.raw_best} is flagged ${verdict.raw_best_flags.join(",")})\n`
      : `\nBest policy: ${verdict.best}\n`;
  }
  out += "\nNaive judge means are biased and their intervals miss the truth. CJE's calibrated intervals cover it for the\n";
  out += "honest policies, and the policy that fools the judge is flagged: its judge scores sit where the oracle labels\n";
  out += "are too sparse to pin the calibration down, so its number must not be trusted (label more of its answers).\n";
  return out;
}
