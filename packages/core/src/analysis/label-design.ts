/**
 * The oracle-label design, read from the data. Fresh draws whose oracle label was chosen by a
 * probability design (e.g. `cje sample`) carry the probability π with which that row was selected
 * for labelling, in the numeric field {@link ORACLE_INCLUSION_FIELD}. When the labelled draws carry
 * it, the analysis uses the `known_propensity` design: each labelled row's out-of-fold residual
 * enters its policy's correction as e_i/π_i (Horvitz–Thompson), which is design-unbiased for any
 * π > 0, and the calibrator is fitted with design weights 1/π so that it targets the whole
 * population of draws rather than the over-sampled regions.
 */
import { CjeInputError } from "../data/errors.js";
import type { FreshDraw } from "../data/types.js";
import type { CalibrationSource } from "../estimators/direct.js";
import type { LabelDesign } from "../estimators/direct-point.js";
import type { EvalTable } from "../estimators/eval-table.js";
import type { LabelDesignResult } from "./result-schema.js";

/** Field of a fresh-draw row holding the inclusion probability π ∈ (0, 1] of its oracle label. */
export const ORACLE_INCLUSION_FIELD = "oracle_inclusion_probability";

/** The design an analysis runs under, with what the JSON result records about it. */
export interface DataLabelDesign {
  readonly design: LabelDesign;
  /** Where the design came from: the rows' {@link ORACLE_INCLUSION_FIELD}, the caller's option, or the default. */
  readonly origin: "rows" | "option" | "default";
  /** Labelled fresh draws the design applies to. */
  readonly nLabelled: number;
  /** Smallest and largest π over those rows (known-propensity designs only). */
  readonly inclusionRange: readonly [number, number] | null;
}

/**
 * Reads the label design from the fresh draws behind `table`: `known_propensity` when the labelled
 * draws carry {@link ORACLE_INCLUSION_FIELD}, otherwise `explicit` (the caller's option) or the
 * representative default. Either every labelled draw carries π or none does; a value outside
 * (0, 1], a partial design, or rows carrying π together with an explicit design are
 * `CjeInputError`s naming the file, line and field.
 */
export function labelDesignFromDraws(draws: readonly FreshDraw[], table: EvalTable, explicit?: LabelDesign): DataLabelDesign {
  const inclusion = new Float64Array(table.scores.length).fill(Number.NaN);
  let withPi: FreshDraw | null = null;
  let withoutPi: FreshDraw | null = null;
  let nWith = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < table.scores.length; r++) {
    const draw = draws[table.inputIndex[r]];
    const pi = draw.numericFields[ORACLE_INCLUSION_FIELD];
    if (pi !== undefined && !(pi > 0 && pi <= 1)) {
      throw new CjeInputError("an inclusion probability must lie in (0, 1]", { ...draw.source, field: ORACLE_INCLUSION_FIELD, value: pi });
    }
    if (table.labelledIndex[r] < 0) continue;
    if (pi === undefined) {
      withoutPi ??= draw;
      continue;
    }
    withPi ??= draw;
    nWith++;
    inclusion[r] = pi;
    lo = Math.min(lo, pi);
    hi = Math.max(hi, pi);
  }
  const nLabelled = table.labelledRows.length;
  if (withPi === null) {
    if (explicit === undefined) return { design: { kind: "representative" }, origin: "default", nLabelled, inclusionRange: null };
    return { design: explicit, origin: "option", nLabelled, inclusionRange: explicitRange(explicit, table) };
  }
  if (withoutPi !== null) {
    throw new CjeInputError(
      `missing on this labelled row, while ${nWith} of the ${nLabelled} labelled rows carry one (first at ` +
        `${withPi.source.file}:${withPi.source.line}); a design-weighted analysis needs the inclusion probability of every ` +
        "labelled fresh draw — label the whole sample, or move labels chosen outside the design to a calibration file",
      { ...withoutPi.source, field: ORACLE_INCLUSION_FIELD },
    );
  }
  if (explicit !== undefined) {
    throw new CjeInputError(
      `the fresh draws carry '${ORACLE_INCLUSION_FIELD}' and a label design was also passed as an option; keep one of the two`,
      { ...withPi.source, field: ORACLE_INCLUSION_FIELD },
    );
  }
  return { design: { kind: "known_propensity", inclusion }, origin: "rows", nLabelled, inclusionRange: [lo, hi] };
}

function explicitRange(design: LabelDesign, table: EvalTable): readonly [number, number] | null {
  if (design.kind !== "known_propensity" || table.labelledRows.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of table.labelledRows) {
    lo = Math.min(lo, design.inclusion[r]);
    hi = Math.max(hi, design.inclusion[r]);
  }
  return [lo, hi];
}

/**
 * Adds the design weights of a known-propensity design to a calibration source: 1/π for rows linked
 * to a labelled fresh draw, normalized to mean 1 over those rows (so the weights reweight within the
 * design sample without swamping calibration-file rows, and a ridge penalty keeps its scale), and 1
 * for calibration-file rows. Other designs return `source` unchanged.
 */
export function withDesignWeights<T extends CalibrationSource>(source: T | null, design: DataLabelDesign): T | null {
  if (source === null || design.design.kind !== "known_propensity") return source;
  const inclusion = design.design.inclusion;
  const weights = new Float64Array(source.evalRow.length).fill(1);
  let sum = 0;
  let linked = 0;
  source.evalRow.forEach((row, j) => {
    if (row < 0) return;
    weights[j] = 1 / inclusion[row];
    sum += weights[j];
    linked++;
  });
  const scale = linked > 0 ? linked / sum : 1;
  source.evalRow.forEach((row, j) => {
    if (row >= 0) weights[j] *= scale;
  });
  return { ...source, weights };
}

/** The `diagnostics.label_design` entry of the JSON result. */
export function labelDesignJson(design: DataLabelDesign): LabelDesignResult {
  return {
    kind: design.design.kind,
    origin: design.origin,
    n_labelled: design.nLabelled,
    inclusion_range: design.inclusionRange === null ? null : [design.inclusionRange[0], design.inclusionRange[1]],
    ...(design.origin === "rows" ? { field: ORACLE_INCLUSION_FIELD } : {}),
  };
}
