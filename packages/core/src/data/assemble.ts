import type { CalibrationCollector } from "./collect-calibration.js";
import type { DrawCollector } from "./collect-draws.js";
import type { DropLog } from "./drop-log.js";
import type { EvaluationData, LoadOptions } from "./evaluation-data.js";
import { resolveScale } from "./scale-resolution.js";
import { toInternal } from "./scales.js";
import type { Scale } from "./types.js";

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
  discoveryWarnings: readonly string[]
): EvaluationData {
  const finished = draws.finish();
  const calibrationWarnings = calibration?.finish() ?? [];
  const judgeRanges = calibration === null ? finished.judgeRanges : [...finished.judgeRanges, calibration.judge];
  const oracleRanges = calibration === null ? finished.oracleRanges : [...finished.oracleRanges, calibration.oracle];
  const judgeScale = resolveScale("judge", judgeRanges, options.judgeScale)!;
  const oracleScale = resolveScale("oracle", oracleRanges, options.oracleScale);

  for (const draw of draws.draws) {
    draw.judgeScore = unit(judgeScale.scale, draw.judgeScore);
    if (draw.oracleLabel !== null) draw.oracleLabel = unit(oracleScale!.scale, draw.oracleLabel);
  }
  for (const row of calibration?.rows ?? []) {
    row.judgeScore = unit(judgeScale.scale, row.judgeScore);
    row.oracleLabel = unit(oracleScale!.scale, row.oracleLabel);
  }

  const dropped = drops.report();
  const dropWarnings =
    dropped.total > 0
      ? [`dropped ${dropped.total} invalid row${dropped.total === 1 ? "" : "s"} (onInvalid: "drop"); see dropped.rows`]
      : [];
  return {
    draws: draws.draws,
    policies: finished.sources.map((source) => source.policy),
    calibration: calibration?.rows ?? [],
    judgeScale,
    oracleScale,
    dropped,
    nUnlabelledCalibrationSkipped: calibration?.unlabelled ?? 0,
    sources: finished.sources,
    warnings: [...discoveryWarnings, ...calibrationWarnings, ...dropWarnings],
  };
}

/** Internal units, clamped so values within the 1e-9 scale tolerance land exactly on [0, 1] (and -0 becomes 0). */
function unit(scale: Scale, x: number): number {
  const u = toInternal(scale, x);
  return u <= 0 ? 0 : u > 1 ? 1 : u;
}
