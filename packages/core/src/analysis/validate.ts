/**
 * `cje validate`: checks input files without estimating. The files are read by the loader itself
 * in drop mode, so that every invalid row is collected (not only the first) with exactly the
 * message `cje analyze` would stop on; fatal problems (scales, duplicate draws, policy collisions,
 * empty sources) are reported as `cje analyze` reports them, by re-reading in the caller's mode.
 * On readable inputs the report adds counts per policy, the labelled share, the scales, exact
 * duplicate rows, calibration-file rows that repeat labelled fresh draws (pooled once, as `analyze`
 * pools them), the labelled-slice notes of the gates, and the prompt overlap across policies.
 */
import type { ValidationIssue, ValidationReport } from "../diagnostics/trust-schemas.js";
import { poolOracleLabels } from "./label-pool.js";
import { labelledClusterWarning, RECOMMENDED_MIN_LABELS } from "../diagnostics/gates.js";
import { buildEvalTable } from "../direct/eval-table.js";
import { CjeInputError, formatInputError } from "../errors/input-error.js";
import type { EvaluationData } from "../data/evaluation-data.js";
import { discoverDrawFiles } from "../data/discover.js";
import { loadEvaluationData, type FileLoadOptions } from "../data/load.js";
import { dictCopy } from "../data/dictionary.js";
import { fromInternal } from "../data/scales.js";
import type { FreshDraw, ScaleResolution } from "../data/types.js";

/** The loader's summary notice of a drop-mode read (see `assembleEvaluationData`). */
const DROP_NOTICE = /^dropped \d+ invalid rows? \(onInvalid: "drop"\)/;

/** Duplicate rows listed per policy in a warning. */
const LISTED_DUPLICATES = 3;

/**
 * Validates fresh-draw inputs (and an optional calibration file) the way `cje analyze` would read
 * them. `valid` is true exactly when the analysis can run with the same options.
 */
export async function validateInputs(inputs: string[], options: FileLoadOptions = {}): Promise<ValidationReport> {
  const onInvalid = options.onInvalid ?? "error";
  const base = {
    schema_version: "cje-ts.validate/v1" as const,
    inputs: [...inputs],
    calibration_file: options.calibrationFile ?? null,
    on_invalid: onInvalid,
  };
  // A problem of the file discovery that drop mode would only skip (a dangling symbolic link) stops analyze.
  const discoveryIssues: ValidationIssue[] = [];
  if (onInvalid === "error") {
    try {
      await discoverDrawFiles(inputs, options.calibrationFile !== undefined ? [options.calibrationFile] : []);
    } catch (error) {
      if (!(error instanceof CjeInputError)) throw error;
      discoveryIssues.push(errorIssue(error));
    }
  }
  let data: EvaluationData;
  try {
    data = await loadEvaluationData(inputs, { ...options, onInvalid: "drop" });
  } catch (error) {
    if (!(error instanceof CjeInputError)) throw error;
    return { ...base, valid: false, ...unreadable(), issues: await fatalIssues(inputs, options, error) };
  }
  const issues: ValidationIssue[] = [
    ...discoveryIssues,
    ...data.dropped.rows.map(
      (row): ValidationIssue => ({
        severity: onInvalid === "drop" ? "warning" : "error",
        message: formatInputError(row.reason, row),
        file: row.file,
        line: row.line,
        ...(row.field !== undefined ? { field: row.field } : {}),
      }),
    ),
  ];
  // Drop mode was ours, not the caller's: the loader's own "dropped N rows" notice only applies to a drop-mode caller.
  const notices = onInvalid === "drop" ? data.warnings : data.warnings.filter((w) => !DROP_NOTICE.test(w));
  for (const warning of notices) issues.push({ severity: "warning", message: warning });
  issues.push(...duplicateIssues(data.draws));
  // Calibration-file rows that repeat a labelled fresh draw are pooled once, as `analyze` pools them.
  const poolNotes: string[] = [];
  const pooled = poolOracleLabels(buildEvalTable(data.draws, data.policies), [{ label: "calibration-file", rows: data.calibration }], [], poolNotes);
  for (const note of poolNotes) issues.push({ severity: "note", message: note });
  const repeats = data.calibration.length - (pooled?.nFromFile ?? 0);
  const labels = labelCounts(data);
  const clusterWarning = labelledClusterWarning(labels.n_labelled_clusters);
  if (clusterWarning !== null) issues.push({ severity: "warning", message: clusterWarning });
  const nLabels = labels.n_fresh + labels.n_calibration_file - repeats;
  if (nLabels > 0 && nLabels < RECOMMENDED_MIN_LABELS) {
    issues.push({ severity: "note", message: `Only ${nLabels} oracle labels: 50–100 labels are recommended for a stable calibration.` });
  }
  const overlap = promptOverlap(data);
  for (const pair of overlap) {
    if (pair.shared_prompts < Math.max(pair.prompts_a, pair.prompts_b)) {
      issues.push({
        severity: "note",
        message:
          `policies '${pair.policy_a}' and '${pair.policy_b}' share ${pair.shared_prompts} of their ${pair.prompts_a} and ` +
          `${pair.prompts_b} prompts; their comparison is paired on the shared prompts only`,
      });
    }
  }
  return {
    ...base,
    valid: !issues.some((issue) => issue.severity === "error"),
    policies: policySummaries(data),
    calibration:
      options.calibrationFile === undefined
        ? null
        : { n_labelled: data.calibration.length, n_repeating_fresh_draws: repeats, n_unlabelled_skipped: data.nUnlabelledCalibrationSkipped },
    scales: { judge: scaleJson(data.judgeScale), oracle: data.oracleScale === null ? null : scaleJson(data.oracleScale) },
    labels,
    overlap,
    dropped: { total: data.dropped.total, by_policy: dictCopy(data.dropped.byPolicy) },
    issues,
  };
}

function unreadable(): Pick<ValidationReport, "policies" | "calibration" | "scales" | "labels" | "overlap" | "dropped"> {
  return { policies: [], calibration: null, scales: null, labels: null, overlap: [], dropped: { total: 0, by_policy: {} } };
}

/**
 * A fatal problem: the error `cje analyze` would raise (re-read in the caller's mode, which stops at
 * the first invalid row in error mode), followed by the drop-mode error when it differs.
 */
async function fatalIssues(inputs: string[], options: FileLoadOptions, dropModeError: CjeInputError): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  if ((options.onInvalid ?? "error") === "error") {
    try {
      await loadEvaluationData(inputs, options);
    } catch (error) {
      if (!(error instanceof CjeInputError)) throw error;
      if (error.message !== dropModeError.message) issues.push(errorIssue(error));
    }
  }
  issues.push(errorIssue(dropModeError));
  return issues;
}

function errorIssue(error: CjeInputError): ValidationIssue {
  const { file, line, field } = error.location;
  return {
    severity: "error",
    message: error.message,
    ...(file !== undefined ? { file } : {}),
    ...(line !== undefined ? { line } : {}),
    ...(field !== undefined ? { field } : {}),
  };
}

function policySummaries(data: EvaluationData): ValidationReport["policies"] {
  const oracle = data.oracleScale?.scale ?? null;
  return data.sources.map(({ policy, file }) => {
    const draws = data.draws.filter((d) => d.policy === policy);
    const perPrompt = new Map<string, number>();
    let judgeLo = Infinity;
    let judgeHi = -Infinity;
    let oracleLo = Infinity;
    let oracleHi = -Infinity;
    let labelled = 0;
    for (const d of draws) {
      perPrompt.set(d.promptId, (perPrompt.get(d.promptId) ?? 0) + 1);
      judgeLo = Math.min(judgeLo, d.judgeScore);
      judgeHi = Math.max(judgeHi, d.judgeScore);
      if (d.oracleLabel !== null) {
        labelled++;
        oracleLo = Math.min(oracleLo, d.oracleLabel);
        oracleHi = Math.max(oracleHi, d.oracleLabel);
      }
    }
    const judge = data.judgeScale.scale;
    return {
      policy,
      file,
      n: draws.length,
      n_oracle: labelled,
      labelled_share: labelled / draws.length,
      n_prompts: perPrompt.size,
      n_prompts_with_several_draws: [...perPrompt.values()].filter((k) => k > 1).length,
      judge_range: [fromInternal(judge, judgeLo), fromInternal(judge, judgeHi)],
      oracle_range: labelled === 0 || oracle === null ? null : [fromInternal(oracle, oracleLo), fromInternal(oracle, oracleHi)],
    };
  });
}

function labelCounts(data: EvaluationData): NonNullable<ValidationReport["labels"]> {
  const clusters = new Set<string>();
  let fresh = 0;
  for (const d of data.draws) {
    if (d.oracleLabel === null) continue;
    fresh++;
    clusters.add(d.promptId);
  }
  for (const row of data.calibration) clusters.add(row.promptId);
  return { n_fresh: fresh, n_calibration_file: data.calibration.length, n_labelled_clusters: clusters.size };
}

/**
 * Rows repeating another row of the same policy exactly (prompt id, response, judge score, oracle
 * label): the loader keeps them as separate draws of the prompt, which is right for repeated
 * sampling but wrong for one response read twice, so they are a warning.
 */
function duplicateIssues(draws: readonly FreshDraw[]): ValidationIssue[] {
  const seen = new Map<string, FreshDraw>();
  const repeats = new Map<string, [FreshDraw, FreshDraw][]>();
  for (const d of draws) {
    if (d.response === undefined) continue;
    const key = [d.policy, d.promptId, d.response, d.judgeScore, d.oracleLabel].join("\u0000");
    const first = seen.get(key);
    if (first === undefined) seen.set(key, d);
    else {
      let list = repeats.get(d.policy);
      if (list === undefined) repeats.set(d.policy, (list = []));
      list.push([d, first]);
    }
  }
  return [...repeats].map(([policy, list]) => ({
    severity: "warning" as const,
    message:
      `${list.length} row${list.length === 1 ? ` of policy '${policy}' repeats` : `s of policy '${policy}' repeat`} another row exactly (prompt_id, response, ` +
      `judge_score, oracle_label), e.g. ${list
        .slice(0, LISTED_DUPLICATES)
        .map(([d, first]) => `${d.source.file}:${d.source.line} = ${first.source.file}:${first.source.line}`)
        .join(", ")}; ` +
      "they count as separate draws: remove the copies if one response was recorded twice",
  }));
}

function promptOverlap(data: EvaluationData): ValidationReport["overlap"] {
  const prompts = new Map<string, Set<string>>(data.policies.map((p) => [p, new Set<string>()]));
  for (const d of data.draws) prompts.get(d.policy)?.add(d.promptId);
  const out: ValidationReport["overlap"] = [];
  data.policies.forEach((a, i) => {
    for (const b of data.policies.slice(i + 1)) {
      const pa = prompts.get(a) as Set<string>;
      const pb = prompts.get(b) as Set<string>;
      let shared = 0;
      for (const id of pa) if (pb.has(id)) shared++;
      out.push({ policy_a: a, policy_b: b, shared_prompts: shared, prompts_a: pa.size, prompts_b: pb.size });
    }
  });
  return out;
}

function scaleJson(s: ScaleResolution): { min: number; max: number; origin: "declared" | "inferred" } {
  return { min: s.scale.min, max: s.scale.max, origin: s.origin };
}
