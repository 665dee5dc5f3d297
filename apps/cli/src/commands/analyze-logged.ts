import { analyzeOffPolicy, CjeInputError, type AnalysisResult, type Scale } from "@cjeval/core";
import { loadEvaluationData, loadLoggedData } from "@cjeval/core/node";
import { fmt, renderTable } from "../format/table.js";

/** Flags of `cje analyze … --logged FILE` (a subset of `analyze`'s). */
export interface LoggedAnalyzeFlags {
  readonly logged: string;
  readonly estimator?: string;
  readonly calibration?: string;
  readonly judgeScale?: Scale;
  readonly oracleScale?: Scale;
  readonly onInvalid: "error" | "drop";
  readonly out?: string;
  /** Bootstrap-only and Direct-only flags: rejected with --logged rather than ignored. */
  readonly bootstrap?: number;
  readonly seed?: number;
  readonly threads?: number;
  readonly covariates?: string[];
  /** Direct-mode transport-audit flags: rejected with --logged too. */
  readonly probe?: unknown;
  readonly deltaMax?: unknown;
}

const NOT_WITH_LOGGED: readonly [keyof LoggedAnalyzeFlags, string][] = [
  ["bootstrap", "--bootstrap"],
  ["seed", "--seed"],
  ["threads", "--threads"],
  ["covariates", "--covariates"],
  ["probe", "--probe"],
  ["deltaMax", "--delta-max"],
];

/**
 * The off-policy path of `cje analyze`: loads the fresh draws (the targets' outcome-model term, and
 * labels), then the logged data read on the fresh draws' scales, and runs `analyzeOffPolicy`.
 */
export async function runLoggedAnalysis({ inputs, flags }: { readonly inputs: string[]; readonly flags: LoggedAnalyzeFlags }): Promise<AnalysisResult> {
  for (const [key, flag] of NOT_WITH_LOGGED) {
    if (flags[key] !== undefined) {
      throw new CjeInputError(
        "does not apply with --logged: off-policy inference is analytic (cluster-robust IF variance + OUA jackknife), uses the judge score alone and has no transport audit",
        { field: flag, value: flags[key] },
      );
    }
  }
  const fresh = await loadEvaluationData(inputs, {
    ...(flags.calibration !== undefined ? { calibrationFile: flags.calibration } : {}),
    ...(flags.judgeScale !== undefined ? { judgeScale: flags.judgeScale } : {}),
    ...(flags.oracleScale !== undefined ? { oracleScale: flags.oracleScale } : {}),
    onInvalid: flags.onInvalid,
  });
  const oracleScale = flags.oracleScale ?? fresh.oracleScale?.scale;
  const logged = await loadLoggedData(flags.logged, {
    judgeScale: flags.judgeScale ?? fresh.judgeScale.scale,
    ...(oracleScale !== undefined ? { oracleScale } : {}),
    onInvalid: flags.onInvalid,
  });
  return analyzeOffPolicy(logged, fresh, { estimator: flags.estimator ?? "auto" });
}

/** Per-target weight and overlap diagnostics of an off-policy result, as a table. */
export function formatOffPolicyDiagnostics(result: AnalysisResult): string {
  const rows = result.policies.map((p) => {
    const d = result.diagnostics.policies[p.policy]?.off_policy;
    if (d === undefined) return [p.policy, "-", "-", "-", "-", "-"];
    return [
      p.policy,
      fmt(d.ess_raw, 4),
      d.ess_stabilised === null ? "-" : fmt(d.ess_stabilised, 3),
      `${fmt(d.ttc.value, 3)} (${d.ttc.normalizer})`,
      fmt(d.judge_overlap.affinity, 3),
      d.hill_tail_index === null ? "-" : fmt(d.hill_tail_index, 2),
    ];
  });
  return `\nestimator: ${result.estimator}\n${renderTable(["policy", "ESS raw", "ESS SIMCal", "TTC", "A_B", "Hill"], rows)}`;
}
