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
  /** Values recorded. */
  n = 0;
  /** Per standard scale (index into `STANDARD_SCALES`): values off it. */
  readonly offStandard: number[] = STANDARD_SCALES.map(() => 0);
  /** Per standard scale: the first value read off it, and where. */
  readonly firstOffStandard: ({ value: number; at: RowSource } | null)[] = STANDARD_SCALES.map(() => null);

  /** @param label Source name used in messages, e.g. `data/a_responses.jsonl`. */
  constructor(readonly label: string) {}

  /** Records value `x` read at `at`. */
  add(x: number, at: RowSource): void {
    this.n++;
    for (let i = 0; i < STANDARD_SCALES.length; i++) {
      if (isOnScale(STANDARD_SCALES[i], x)) continue;
      this.offStandard[i]++;
      this.firstOffStandard[i] ??= { value: x, at };
    }
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
export function resolveScale(
  quantity: ScaledQuantity,
  ranges: readonly ValueRange[],
  declared: Scale | undefined,
  onInvalid: "error" | "drop" = "error",
): ScaleResolution | null {
  const observed = ranges.filter((range) => !range.isEmpty);
  if (declared !== undefined) {
    if (onInvalid === "error") for (const range of observed) checkOnDeclared(quantity, range, declared);
    return { scale: declared, origin: "declared" };
  }
  if (observed.length === 0) return null;
  const inferred = observed.map((range) => ({ range, scale: inferWithoutOutliers(quantity, range, onInvalid) }));
  const distinct = inferred.filter((item, i) => inferred.findIndex((other) => sameScale(other.scale, item.scale)) === i);
  if (distinct.length > 1) {
    const parts = distinct.map(({ range, scale }) => {
      const alike = inferred.filter((other) => sameScale(other.scale, scale)).length - 1;
      const more = alike > 0 ? ` (and ${alike} more source${alike > 1 ? "s" : ""})` : "";
      return `${range.label}${more} looks ${formatScale(scale)} (observed ${range.min} to ${range.max})`;
    });
    throw new CjeInputError(`mixed ${quantity} scales: ${parts.join(", ")}; ${DECLARE_HINT[quantity]} so that every source is read on one scale`);
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

/** Least number of values that must fit the smaller scale before the rest can be called outliers. */
export const OUTLIER_MIN_FITTING = 10;
/** Largest share of a source's values that may be outliers of a smaller standard scale (at least one value). */
export const OUTLIER_MAX_SHARE = 0.05;

/**
 * The standard scale a source's values fit once a few outliers are set aside, or `null` when its values
 * have none. The rule: the scale inferred from all values (the first standard scale holding every value)
 * is trusted unless an EARLIER standard scale holds all but at most max(1, ⌊5% · n⌋) of the n values and
 * at least {@link OUTLIER_MIN_FITTING} values fit it. Then the off values are outliers (one mistyped `3`
 * among 0–1 labels), not evidence of a 0–5 scale: silently inferring the wider scale would rescale every
 * other value (an estimate of 0.42 became 0.72).
 */
export function outlierScale(range: ValueRange): { scale: Scale; outliers: number; first: { value: number; at: RowSource } } | null {
  const all = inferStandardScale(range.min, range.max);
  const allIndex = all === null ? STANDARD_SCALES.length : STANDARD_SCALES.findIndex((s) => sameScale(s, all));
  const allowed = Math.max(1, Math.floor(OUTLIER_MAX_SHARE * range.n));
  for (let i = 0; i < allIndex; i++) {
    const off = range.offStandard[i];
    if (off >= 1 && off <= allowed && range.n - off >= OUTLIER_MIN_FITTING) {
      return { scale: STANDARD_SCALES[i], outliers: off, first: range.firstOffStandard[i]! };
    }
  }
  return null;
}

/**
 * Infers a source's scale; values that are outliers of a smaller standard scale (see {@link outlierScale})
 * are an error naming the first one (error mode) or leave that smaller scale to be inferred, the loader then
 * dropping them (drop mode).
 */
function inferWithoutOutliers(quantity: ScaledQuantity, range: ValueRange, onInvalid: "error" | "drop"): Scale {
  const outliers = outlierScale(range);
  if (outliers === null) return inferOrFail(quantity, range);
  if (onInvalid === "drop") return outliers.scale;
  const { scale, outliers: k, first } = outliers;
  const wide = inferStandardScale(range.min, range.max);
  const flag = quantity === "judge" ? "--judge-scale" : "--oracle-scale";
  throw new CjeInputError(
    `an outlier: ${range.n - k} of the ${range.n} ${FIELD[quantity]} values of ${range.label} fit the ${formatScale(scale)} scale and ` +
      `${k === 1 ? "this one does" : `${k} (this the first) do`} not. Inferring ${wide === null ? "a wider scale" : formatScale(wide)} from ` +
      `${k === 1 ? "it" : "them"} would silently rescale every other value. Fix the value, declare the scale (${flag} ` +
      `${scale.min},${scale.max}${wide === null ? "" : `, or ${flag} ${wide.min},${wide.max} if that is the real scale`}), or ` +
      "drop out-of-scale rows with --on-invalid drop",
    { file: first.at.file, line: first.at.line, field: FIELD[quantity], value: first.value },
  );
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
    { file: at.file, line: at.line, field: FIELD[quantity], value },
  );
}
