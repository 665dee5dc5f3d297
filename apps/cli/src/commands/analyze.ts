import { type Command, Option } from "commander";
import { analyze, type AnalysisResult, type Scale } from "@cjeval/core";
import { DEFAULT_INFERENCE } from "@cjeval/core/advanced";
import { loadEvaluationData } from "@cjeval/core/node";
import { formatAnalysis } from "../format/analysis-table.js";
import { formatOffPolicyDiagnostics, runLoggedAnalysis } from "./analyze-logged.js";
import { parseDeltaMax, parseProbe, transportConfig, type DeltaMaxFlag } from "./audit.js";
import { parseList, parseReplicates, parseScale, parseSeed, parseThreads } from "./options.js";
import { checkOutputs, emitCommandOutput } from "./out-path.js";

interface AnalyzeFlags {
  calibration?: string;
  seed?: number;
  bootstrap?: number;
  inference?: "bootstrap" | "analytic";
  covariates?: string[];
  judgeScale?: Scale;
  oracleScale?: Scale;
  onInvalid: "error" | "drop";
  out?: string;
  threads?: number;
  logged?: string;
  estimator?: string;
  probe?: Record<string, string>;
  deltaMax?: DeltaMaxFlag;
}

/** Options shared by commands that analyse fresh draws. */
export interface AnalyzeRun {
  readonly inputs: string[];
  readonly flags: AnalyzeFlags;
}

/** Loads and analyses fresh draws (Direct mode); the CLI's `analyze` without printing. */
export async function runAnalysis({ inputs, flags }: AnalyzeRun): Promise<AnalysisResult> {
  const data = await loadEvaluationData(inputs, {
    ...(flags.calibration !== undefined ? { calibrationFile: flags.calibration } : {}),
    ...(flags.judgeScale !== undefined ? { judgeScale: flags.judgeScale } : {}),
    ...(flags.oracleScale !== undefined ? { oracleScale: flags.oracleScale } : {}),
    onInvalid: flags.onInvalid,
  });
  const transport = await transportConfig(flags, data);
  const result = analyze(data, {
    // `--bootstrap B` alone asks for the bootstrap; otherwise the default (analytic).
    inference: flags.inference ?? (flags.bootstrap !== undefined ? "bootstrap" : DEFAULT_INFERENCE),
    ...(transport !== undefined ? { transport } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.bootstrap !== undefined ? { replicates: flags.bootstrap } : {}),
    ...(flags.covariates !== undefined ? { covariates: flags.covariates } : {}),
    ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
  });
  return result;
}

/** Registers `cje analyze`. */
export function registerAnalyzeCommand(program: Command): void {
  program
    .command("analyze")
    .description("Calibrate judge scores to oracle labels and estimate each policy's value with honest 95% intervals.")
    .argument("<inputs...>", "fresh-draw folders (<policy>_responses.jsonl files) or JSONL files with a policy field")
    .option("--calibration <file>", "extra judge_score + oracle_label rows (e.g. logged data) to fit the calibrator")
    .option("--seed <n>", "bootstrap seed (default 42; 0 to 2^52)", parseSeed)
    .option("--bootstrap <B>", "bootstrap replicates (default 2000; 2 to 100000; implies --inference bootstrap)", parseReplicates)
    .addOption(
      new Option(
        "--inference <method>",
        `analytic (default: CRV1 + OUA group jackknife) or bootstrap (refits the calibrator per replicate, floored by analytic); --bootstrap B implies bootstrap`,
      ).choices(["bootstrap", "analytic"]),
    )
    .option("--covariates <names>", "covariates for the two-stage calibrator, e.g. response_length", parseList)
    .option("--judge-scale <LO,HI>", "declare the judge-score scale (e.g. 0,100)", parseScale)
    .option("--oracle-scale <LO,HI>", "declare the oracle-label scale (e.g. 1,5)", parseScale)
    .addOption(
      new Option("--on-invalid <policy>", "error: stop at the first invalid row; drop: drop, count and report them")
        .choices(["error", "drop"])
        .default("error"),
    )
    .option("--probe <policy=file>", "held-out oracle probes of a policy for the residual transport audit; repeatable", parseProbe)
    .option("--delta-max <x|policy=x>", "transport margin in oracle units, for every policy or one policy; repeatable", parseDeltaMax)
    .option("--out <file>", "write the JSON result here")
    .option("--threads <n>", "bootstrap threads (default: all cores for large inputs; at most min(64, 4 × cores)); results do not depend on it", parseThreads)
    .option("--logged <file>", "off-policy: logged data with base_policy_logprob and target_policy_logprobs (fresh draws give the DR term)")
    .option("--estimator <name>", "with --logged: ips, snips (raw-ips), calibrated-ips, dr-cpo, mrdr, tmle, stacked-dr or auto (default)")
    .action(async (inputs: string[], flags: AnalyzeFlags) => {
      await checkOutputs(flags.out);
      const logged = flags.logged;
      const result = logged !== undefined ? await runLoggedAnalysis({ inputs, flags: { ...flags, logged } }) : await runAnalysis({ inputs, flags });
      const text = formatAnalysis(result) + (logged !== undefined ? formatOffPolicyDiagnostics(result) : "");
      await emitCommandOutput({ text, warnings: result.diagnostics.warnings, json: result, out: flags.out, what: "Result" });
    });
}
