import { CjeInputError } from "../errors/input-error.js";
import { formatScale, inferStandardScale, isOnScale, sameScale, STANDARD_SCALES } from "./scales.js";
import type { RowSource, Scale, ScaleResolution } from "./types.js";

/** The two quantities that carry a scale. */
export type ScaledQuantity = "judge" | "oracle";

const FIELD: Record<ScaledQuantity, string> = { judge: "judge_score", oracle: "oracle_label" };
const DECLARE_HINT: Record<ScaledQuantity, string> = {
  judge: "declare --judge-scale LO,HI (option judgeScale)",
  oracle: "declare --oracle-scale LO,HI (option oracleScale)",
};

/**
 * Running minimum and maximum of one quantity (judge scores or oracle labels) within one source
 * (a fresh-draw file, one policy of a multi-policy file, or the calibration file), remembering
 * where each extreme was read so that scale errors can point at a line.
 */
export class ValueRange {
  /** Smallest value seen (`Infinity` while empty). */
  min = Infinity;
  /** Largest value seen (`-Infinity` while empty). */
  max = -Infinity;
  /** Row holding {@link ValueRange.min}. */
  minAt: RowSource | null = null;
  /** Row holding {@link ValueRange.max}. */
  maxAt: RowSource | null = null;

  /** @param label Source name used in messages, e.g. `data/a_responses.jsonl`. */
  constructor(readonly label: string) {}

  /** Records value `x` read at `at`. */
  add(x: number, at: RowSource): void {
    if (x < this.min) {
      this.min = x;
      this.minAt = at;
    }
    if (x > this.max) {
      this.max = x;
      this.maxAt = at;
    }
  }

  /** Whether no value has been recorded. */
  get isEmpty(): boolean {
    return this.minAt === null;
  }
}

/**
 * Resolves the scale of one quantity over all its sources.
 *
 * A declared scale applies to every source and each source's extremes must lie on it (tolerance
 * 1e-9), otherwise the error names the offending file:line. Without a declaration each non-empty
 * source infers the first standard scale that contains its values; values beyond every standard
 * scale, or sources that infer different scales, are errors asking for a declaration.
 *
 * @returns the resolution, or `null` when nothing was declared and no source holds a value.
 */
export function resolveScale(quantity: ScaledQuantity, ranges: readonly ValueRange[], declared: Scale | undefined): ScaleResolution | null {
  const observed = ranges.filter((range) => !range.isEmpty);
  if (declared !== undefined) {
    for (const range of observed) checkOnDeclared(quantity, range, declared);
    return { scale: declared, origin: "declared" };
  }
  if (observed.length === 0) return null;
  const inferred = observed.map((range) => ({ range, scale: inferOrFail(quantity, range) }));
  const distinct = inferred.filter((item, i) => inferred.findIndex((other) => sameScale(other.scale, item.scale)) === i);
  if (distinct.length > 1) {
    const parts = distinct.map(({ range, scale }) => {
      const alike = inferred.filter((other) => sameScale(other.scale, scale)).length - 1;
      const more = alike > 0 ? ` (and ${alike} more source${alike > 1 ? "s" : ""})` : "";
      return `${range.label}${more} looks ${formatScale(scale)} (observed ${range.min} to ${range.max})`;
    });
    throw new CjeInputError(
      `mixed ${quantity} scales: ${parts.join(", ")}; ${DECLARE_HINT[quantity]} so that every source is read on one scale`
    );
  }
  return { scale: distinct[0].scale, origin: "inferred" };
}

function checkOnDeclared(quantity: ScaledQuantity, range: ValueRange, declared: Scale): void {
  const offender = !isOnScale(declared, range.min) ? range.minAt : !isOnScale(declared, range.max) ? range.maxAt : null;
  if (offender === null) return;
  const value = offender === range.minAt ? range.min : range.max;
  throw new CjeInputError(`outside the declared ${quantity} scale ${formatScale(declared)}`, {
    file: offender.file,
    line: offender.line,
    field: FIELD[quantity],
    value,
  });
}

function inferOrFail(quantity: ScaledQuantity, range: ValueRange): Scale {
  const scale = inferStandardScale(range.min, range.max);
  if (scale !== null) return scale;
  const lowest = STANDARD_SCALES.reduce((lo, s) => Math.min(lo, s.min), Infinity);
  const at = range.min < lowest ? range.minAt! : range.maxAt!;
  const value = at === range.minAt ? range.min : range.max;
  throw new CjeInputError(
    `${FIELD[quantity]} values of ${range.label} span ${range.min} to ${range.max}, beyond every standard scale ` +
      `(${STANDARD_SCALES.map(formatScale).join(", ")}); ${DECLARE_HINT[quantity]}`,
    { file: at.file, line: at.line, field: FIELD[quantity], value }
  );
}
