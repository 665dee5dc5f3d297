/**
 * One viewer run from evaluation data: the analysis, the calibration behind it and the rows behind
 * the numbers. Pure TypeScript on core's browser-safe entries, so the Node side (fresh-draw folders)
 * and the page (dropped files) build the same run from the same data.
 */
import { analyze, type AnalysisResult, type AnalyzeOptions, type EvaluationData } from "@cjeval/core";
import { type Calibrator, fitCalibrator } from "@cjeval/core/advanced";
import type { ViewCalibration, ViewRows, ViewRun } from "./view-model.js";

/** Points of the calibration curve over the labelled score range. */
export const CURVE_POINTS = 101;
/** Equal-width bins of the label density over the judge-score axis [0, 1]. */
export const DENSITY_BINS = 20;

/** What {@link buildRun} needs besides the data. */
export interface RunIdentity {
  readonly id: string;
  readonly label: string;
  readonly kind: ViewRun["kind"];
  readonly source: string;
}

/**
 * Analyses `data` (with `options`, as `cje analyze` would) and returns the run: result, calibration
 * and rows. Calibrated values come from one calibrator fitted on every labelled point by judge score
 * alone — the curve a reader can check by eye; when the analysis selected covariates, a note says that
 * the curve shown is by judge score alone.
 */
export function buildRun(identity: RunIdentity, data: EvaluationData, options: AnalyzeOptions = {}): ViewRun {
  return runOfAnalysis(identity, data, analyze(data, options));
}

/**
 * The run of an analysis made elsewhere on `data` (a campaign's stored analysis), or of data not analysed
 * yet (`result` null: a campaign before its estimate stage): the calibration and rows are built from
 * `data` as {@link buildRun} builds them.
 */
export function runOfAnalysis(identity: RunIdentity, data: EvaluationData, result: AnalysisResult | null): ViewRun {
  const notes: string[] = [];
  const labelled = labelledPoints(data);
  let calibrator: Calibrator | null = null;
  if (labelled.score.length > 0) {
    try {
      calibrator = fitCalibrator({ scores: labelled.score, labels: labelled.oracle, clusterIds: labelled.cluster });
    } catch (error) {
      notes.push(`no calibration curve: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    notes.push(result === null ? "no oracle labels yet" : "no oracle labels: the estimates are raw judge means (UNCALIBRATED)");
  }
  return {
    ...identity,
    result,
    calibration: calibrator === null ? null : viewCalibration(result, data, labelled, calibrator, notes),
    rows: viewRows(data, calibrator),
    campaign: null,
    notes,
  };
}

interface LabelledPoints {
  readonly score: number[];
  readonly oracle: number[];
  readonly policy: string[];
  readonly cluster: string[];
}

/** Every labelled point: the draws' labels, then the calibration file's rows (policy ""). */
function labelledPoints(data: EvaluationData): LabelledPoints {
  const out: LabelledPoints = { score: [], oracle: [], policy: [], cluster: [] };
  for (const d of data.draws) {
    if (d.oracleLabel === null) continue;
    out.score.push(d.judgeScore);
    out.oracle.push(d.oracleLabel);
    out.policy.push(d.policy);
    out.cluster.push(d.promptId);
  }
  for (const c of data.calibration) {
    out.score.push(c.judgeScore);
    out.oracle.push(c.oracleLabel);
    out.policy.push("");
    out.cluster.push(c.promptId);
  }
  return out;
}

function viewCalibration(
  result: AnalysisResult | null,
  data: EvaluationData,
  labelled: LabelledPoints,
  calibrator: Calibrator,
  notes: string[],
): ViewCalibration {
  const covariates = result?.diagnostics.calibration?.covariates ?? [];
  if (covariates.length > 0) {
    notes.push(`the calibration uses covariates (${covariates.join(", ")}): the curve shown is by judge score alone`);
  }
  const [lo, hi] = calibrator.labelledScoreRange;
  const grid = Array.from({ length: CURVE_POINTS }, (_, i) => lo + ((hi - lo) * i) / (CURVE_POINTS - 1));
  const values = calibrator.predictScores(grid);
  const curve = grid.map((x, i) => ({ x, y: values[i] }));
  const edges = Array.from({ length: DENSITY_BINS + 1 }, (_, i) => i / DENSITY_BINS);
  const all = new Array<number>(DENSITY_BINS).fill(0);
  const labelledCounts = new Array<number>(DENSITY_BINS).fill(0);
  for (const d of data.draws) all[binOf(d.judgeScore)]++;
  for (const s of labelled.score) labelledCounts[binOf(s)]++;
  return {
    mode: result?.diagnostics.calibration?.selected_mode ?? calibrator.selectedMode,
    curve,
    labelled: { score: labelled.score, oracle: labelled.oracle, policy: labelled.policy },
    density: { edges, all, labelled: labelledCounts },
  };
}

function binOf(score: number): number {
  return Math.min(DENSITY_BINS - 1, Math.max(0, Math.floor(score * DENSITY_BINS)));
}

function viewRows(data: EvaluationData, calibrator: Calibrator | null): ViewRows {
  const promptIndex = new Map<string, number>();
  const prompts: ViewRows["prompts"] = { id: [], text: [] };
  const policyIndex = new Map(data.policies.map((p, i) => [p, i]));
  const n = data.draws.length;
  const calibrated = calibrator === null ? null : calibrator.predictScores(data.draws.map((d) => d.judgeScore));
  const rows: ViewRows = {
    prompts,
    policies: data.policies,
    prompt: new Array<number>(n),
    policy: new Array<number>(n),
    response: new Array<string | null>(n),
    judge: new Array<number>(n),
    calibrated: new Array<number | null>(n),
    oracle: new Array<number | null>(n),
    residual: new Array<number | null>(n),
  };
  data.draws.forEach((d, i) => {
    let p = promptIndex.get(d.promptId);
    if (p === undefined) {
      p = prompts.id.length;
      promptIndex.set(d.promptId, p);
      prompts.id.push(d.promptId);
      prompts.text.push(d.prompt ?? null);
    } else if (prompts.text[p] === null && d.prompt !== undefined) {
      prompts.text[p] = d.prompt;
    }
    const f = calibrated === null ? null : calibrated[i];
    rows.prompt[i] = p;
    rows.policy[i] = policyIndex.get(d.policy) ?? -1;
    rows.response[i] = d.response ?? null;
    rows.judge[i] = d.judgeScore;
    rows.calibrated[i] = f;
    rows.oracle[i] = d.oracleLabel;
    rows.residual[i] = d.oracleLabel === null || f === null ? null : d.oracleLabel - f;
  });
  return rows;
}
