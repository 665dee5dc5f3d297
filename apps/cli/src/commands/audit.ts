import { type Command, InvalidArgumentError } from "commander";
import { auditTransport, CjeInputError, type AuditReport, type EvaluationData, type Scale, type TransportConfig } from "@cjeval/core";
import { loadEvaluationData, loadTransportProbes } from "@cjeval/core/node";
import { fmt, fmtInterval, renderTable } from "../format/table.js";
import { MAX_AUDIT_BINS, parseIntegerIn, parseList, parseScale } from "./options.js";
import { checkOutputs, emitCommandOutput } from "./out-path.js";

/** Margins given with `--delta-max`: one for every policy and/or per policy. */
export interface DeltaMaxFlag {
  readonly all?: number;
  readonly byPolicy: Readonly<Record<string, number>>;
}

/** Parses a finite number > 0. */
export function parsePositive(text: string): number {
  const x = Number(text);
  if (!(Number.isFinite(x) && x > 0)) throw new InvalidArgumentError(`expected a number > 0, got '${text}'`);
  return x;
}

/** Accumulates `--probe <policy>=<file>` (repeatable; one file per policy). */
export function parseProbe(text: string, previous: Readonly<Record<string, string>> = {}): Record<string, string> {
  const at = text.indexOf("=");
  const policy = text.slice(0, at).trim();
  const file = text.slice(at + 1).trim();
  if (at < 0 || policy.length === 0 || file.length === 0) throw new InvalidArgumentError(`expected <policy>=<file>, got '${text}'`);
  if (Object.hasOwn(previous, policy)) throw new InvalidArgumentError(`policy '${policy}' is given two probe files`);
  return { ...previous, [policy]: file };
}

/** Accumulates `--delta-max <x>` (every policy) and `--delta-max <policy>=<x>` (repeatable). */
export function parseDeltaMax(text: string, previous: DeltaMaxFlag = { byPolicy: {} }): DeltaMaxFlag {
  const at = text.indexOf("=");
  if (at < 0) {
    if (previous.all !== undefined) throw new InvalidArgumentError("a margin for every policy is given twice");
    return { ...previous, all: parsePositive(text) };
  }
  const policy = text.slice(0, at).trim();
  if (policy.length === 0) throw new InvalidArgumentError(`expected <x> or <policy>=<x>, got '${text}'`);
  if (Object.hasOwn(previous.byPolicy, policy)) throw new InvalidArgumentError(`policy '${policy}' is given two margins`);
  return { ...previous, byPolicy: { ...previous.byPolicy, [policy]: parsePositive(text.slice(at + 1).trim()) } };
}

/** Flags that configure transport audits. */
export interface TransportFlags {
  probe?: Record<string, string>;
  deltaMax?: DeltaMaxFlag;
  alpha?: number;
  familySize?: number;
  minClusters?: number;
  bins?: number;
}

/** Reads the probe files and builds the transport configuration (`undefined` without probes or margins). */
export async function transportConfig(flags: TransportFlags, data: EvaluationData): Promise<TransportConfig | undefined> {
  if (flags.probe === undefined && flags.deltaMax === undefined) return undefined;
  return {
    probes: flags.probe === undefined ? {} : await loadTransportProbes(flags.probe, data),
    ...(flags.deltaMax?.all !== undefined ? { deltaMax: flags.deltaMax.all } : {}),
    ...(flags.deltaMax !== undefined ? { deltaMaxByPolicy: flags.deltaMax.byPolicy } : {}),
    ...(flags.alpha !== undefined ? { alpha: flags.alpha } : {}),
    ...(flags.familySize !== undefined ? { familySize: flags.familySize } : {}),
    ...(flags.minClusters !== undefined ? { minEffectiveClusters: flags.minClusters } : {}),
    ...(flags.bins !== undefined ? { bins: flags.bins } : {}),
  };
}

interface AuditFlags extends TransportFlags {
  calibrationFrom: string[];
  calibration?: string;
  covariates?: string[];
  judgeScale?: Scale;
  oracleScale?: Scale;
  out?: string;
}

/** Registers `cje audit`. */
export function registerAuditCommand(program: Command): void {
  program
    .command("audit")
    .description("Check on held-out oracle probes whether the judge → oracle calibration transports to each policy (PASS / FAIL / INCONCLUSIVE).")
    .requiredOption("--calibration-from <inputs...>", "fresh-draw folders or files whose oracle labels fit the calibrator (as for cje analyze)")
    .option("--calibration <file>", "extra judge_score + oracle_label rows to fit the calibrator")
    .option("--covariates <names>", "covariates of the two-stage calibrator, e.g. response_length", parseList)
    .option("--judge-scale <LO,HI>", "declare the judge-score scale", parseScale)
    .option("--oracle-scale <LO,HI>", "declare the oracle-label scale", parseScale)
    .option("--probe <policy=file>", "held-out oracle probes of a policy (fresh-draw rows with oracle_label); repeatable", parseProbe)
    .option("--delta-max <x|policy=x>", "practical residual margin in oracle units, for every policy or one policy; repeatable", parseDeltaMax)
    .option("--alpha <a>", "simultaneous error rate over the audited policies (default 0.05)", parsePositive)
    .option("--family-size <k>", "audits in the Bonferroni family (default: the number of probed policies)", parseIntegerIn(1, MAX_AUDIT_BINS))
    .option("--min-clusters <k>", "Kish effective probe clusters needed to PASS (default 20)", parsePositive)
    .option("--bins <k>", "quantile bins of the residual table (default 10)", parseIntegerIn(1, MAX_AUDIT_BINS))
    .option("--out <file>", "write the JSON report here")
    .action(async (flags: AuditFlags) => {
      await checkOutputs(flags.out);
      if (flags.probe === undefined) throw new CjeInputError("give at least one --probe <policy>=<file>");
      const data = await loadEvaluationData(flags.calibrationFrom, {
        ...(flags.calibration !== undefined ? { calibrationFile: flags.calibration } : {}),
        ...(flags.judgeScale !== undefined ? { judgeScale: flags.judgeScale } : {}),
        ...(flags.oracleScale !== undefined ? { oracleScale: flags.oracleScale } : {}),
      });
      const config = (await transportConfig(flags, data)) as TransportConfig;
      const report = auditTransport(data, config, flags.covariates !== undefined ? { covariates: flags.covariates } : {});
      await emitCommandOutput({ text: formatAudit(report), warnings: report.warnings, json: report, out: flags.out, what: "Report" });
    });
}

/** Human-readable audit table. */
export function formatAudit(report: AuditReport): string {
  const rows = Object.entries(report.policies).map(([policy, r]) =>
    r.performed
      ? [
          policy,
          r.status,
          fmt(r.delta_hat),
          fmtInterval(r.delta_ci),
          r.delta_max === null ? "-" : `±${fmt(r.delta_max)}`,
          String(r.n_probe),
          fmt(r.effective_clusters, 1),
          r.recommended_action,
        ]
      : [policy, r.status, "-", "-", r.delta_max === null ? "-" : `±${fmt(r.delta_max)}`, "0", "-", r.recommended_action],
  );
  let out = renderTable(["policy", "transport", "mean residual", "simultaneous CI", "margin", "probes", "eff. clusters", "action"], rows);
  out += `\nResidual = oracle label − calibrated judge score (oracle units); ${fmt(100 * (1 - report.alpha), 0)}% simultaneous intervals over ${report.family_size} audit${report.family_size === 1 ? "" : "s"} (Bonferroni).\n`;
  out += `Overall: ${report.overall_status}\n`;
  return out;
}
