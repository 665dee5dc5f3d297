import type { CalibrationCollector } from "./collect-calibration.js";
import type { DrawCollector } from "./collect-draws.js";
import type { DropLog } from "./drop-log.js";
import type { EvaluationData, LoadOptions } from "./evaluation-data.js";
import { resolveScale } from "./scale-resolution.js";
import { formatScale, isOnScale, toInternal } from "./scales.js";
import type { Scale, ScaleResolution } from "./types.js";
import { CALIBRATION_DROP_KEY } from "./drop-log.js";
import { RowProblem } from "./row-problem.js";
import { CjeInputError } from "../errors/input-error.js";

/**
 * Finishes a load: checks every policy kept rows, assigns missing draw indices, resolves the judge
 * and oracle scales over all sources (fresh-draw sources and the calibration source alike) and
 * maps every judge score and oracle label into internal units [0, 1] in place.
 */
export function assembleEvaluationData(
  draws: DrawCollector,
  calibration: CalibrationCollector | null,
  drops: DropLog,
  options: Pick<LoadOptions, "judgeScale" | "oracleScale">,
  discoveryWarnings: readonly string[],
): EvaluationData {
  const finished = draws.finish();
  const calibrationWarnings = calibration?.finish() ?? [];
  const judgeRanges = calibration === null ? finished.judgeRanges : [...finished.judgeRanges, calibration.judge];
  const oracleRanges = calibration === null ? finished.oracleRanges : [...finished.oracleRanges, calibration.oracle];
  const judgeScale = resolveScale("judge", judgeRanges, options.judgeScale, drops.policy)!;
  const oracleScale = resolveScale("oracle", oracleRanges, options.oracleScale, drops.policy);
  if (drops.policy === "drop")
    dropOffScale(
      draws,
      finished.sources.map((s) => s.policy),
      calibration,
      drops,
      judgeScale,
      oracleScale,
    );

  for (const draw of draws.draws) {
    draw.judgeScore = unit(judgeScale.scale, draw.judgeScore);
    if (draw.oracleLabel !== null) draw.oracleLabel = unit(oracleScale!.scale, draw.oracleLabel);
  }
  for (const row of calibration?.rows ?? []) {
    row.judgeScore = unit(judgeScale.scale, row.judgeScore);
    row.oracleLabel = unit(oracleScale!.scale, row.oracleLabel);
  }

  const dropped = drops.report();
  const dropWarnings = dropped.total > 0 ? [`dropped ${dropped.total} invalid row${dropped.total === 1 ? "" : "s"} (onInvalid: "drop"); see dropped.rows`] : [];
  return {
    draws: draws.draws,
    policies: finished.sources.map((source) => source.policy),
    calibration: calibration?.rows ?? [],
    judgeScale,
    oracleScale,
    dropped,
    nUnlabelledCalibrationSkipped: calibration?.unlabelled ?? 0,
    sources: finished.sources,
    warnings: [...discoveryWarnings, ...finished.warnings, ...calibrationWarnings, ...dropWarnings],
  };
}

/**
 * Drop mode: removes (and counts) the rows whose judge score or oracle label lies off the resolved scale —
 * outliers set aside by the scale inference, or values outside a declared scale. In error mode the scale
 * resolution has already raised them. A policy left without rows is an error, as for any other drop.
 */
function dropOffScale(
  draws: DrawCollector,
  policies: readonly string[],
  calibration: CalibrationCollector | null,
  drops: DropLog,
  judge: ScaleResolution,
  oracle: ScaleResolution | null,
): void {
  const problem = (row: { judgeScore: number; oracleLabel: number | null }): RowProblem | null => {
    if (!isOnScale(judge.scale, row.judgeScore)) return offScale("judge", judge, row.judgeScore);
    if (row.oracleLabel !== null && oracle !== null && !isOnScale(oracle.scale, row.oracleLabel)) return offScale("oracle", oracle, row.oracleLabel);
    return null;
  };
  const keptDraws = draws.draws.filter((draw) => {
    const p = problem(draw);
    if (p !== null) drops.reject(p, draw.source, draw.policy);
    return p === null;
  });
  if (keptDraws.length !== draws.draws.length) {
    draws.draws.splice(0, draws.draws.length, ...keptDraws);
    const left = new Set(keptDraws.map((d) => d.policy));
    for (const policy of policies) if (!left.has(policy)) throw emptiedByScale(policy);
  }
  if (calibration !== null) {
    const kept = calibration.rows.filter((row) => {
      const p = problem(row);
      if (p !== null) drops.reject(p, row.source, CALIBRATION_DROP_KEY);
      return p === null;
    });
    if (kept.length !== calibration.rows.length) calibration.rows.splice(0, calibration.rows.length, ...kept);
  }
}

function offScale(quantity: "judge" | "oracle", resolution: ScaleResolution, value: number): RowProblem {
  const how = resolution.origin === "declared" ? "declared" : "inferred";
  const hint =
    resolution.origin === "declared"
      ? ""
      : `: an outlier among values that fit it; declare ${quantity === "judge" ? "--judge-scale" : "--oracle-scale"} LO,HI if the real scale is wider`;
  return new RowProblem(
    `outside the ${how} ${quantity} scale ${formatScale(resolution.scale)}${hint}`,
    quantity === "judge" ? "judge_score" : "oracle_label",
    value,
  );
}

function emptiedByScale(policy: string): CjeInputError {
  return new CjeInputError(`policy '${policy}' has no rows left after dropping out-of-scale rows; refusing to remove a policy silently`);
}

/** Internal units, clamped so values within the 1e-9 scale tolerance land exactly on [0, 1] (and -0 becomes 0). */
function unit(scale: Scale, x: number): number {
  const u = toInternal(scale, x);
  return u <= 0 ? 0 : u > 1 ? 1 : u;
}
