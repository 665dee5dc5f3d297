/**
 * The oracle-label design, read from the data. Rows whose oracle label was chosen by a probability
 * design (e.g. `cje sample`) carry the probability π with which that row was selected for
 * labelling, in the numeric field {@link ORACLE_INCLUSION_FIELD}. When the labelled rows carry it,
 * the analysis uses the `known_propensity` design: the calibrator is fitted with design weights 1/π
 * so that it targets the whole population of rows rather than the over-sampled regions, and, in
 * Direct mode, each labelled row's out-of-fold residual enters its policy's correction as e_i/π_i
 * (Horvitz–Thompson), which is design-unbiased for any π > 0.
 *
 * Direct mode reads the design from the labelled fresh draws ({@link labelDesignFromDraws}); the
 * off-policy analysis from its pooled labels — labelled fresh draws and labelled logged rows
 * ({@link pooledLabelDesign}). Both apply the same rules: π ∈ (0, 1] wherever it appears, and
 * either every labelled row of the design carries π or none does.
 */
import { CjeInputError } from "../errors/input-error.js";
import type { FreshDraw, RowSource } from "../data/types.js";
import type { CalibrationSource } from "../direct/direct.js";
import type { LabelDesign } from "../direct/direct-point.js";
import type { EvalTable } from "../direct/eval-table.js";
import type { LabelSource, PooledLabels } from "./label-pool.js";
import type { LabelDesignResult } from "./result-schema.js";

/** Field of a fresh-draw or logged row holding the inclusion probability π ∈ (0, 1] of its oracle label. */
export const ORACLE_INCLUSION_FIELD = "oracle_inclusion_probability";

/** The design an analysis runs under, with what the JSON result records about it. */
export interface DataLabelDesign {
  readonly design: LabelDesign;
  /** Where the design came from: the rows' {@link ORACLE_INCLUSION_FIELD}, the caller's option, or the default. */
  readonly origin: "rows" | "option" | "default";
  /** Labelled rows the design applies to (Direct: labelled fresh draws; off-policy: pooled labels of the design). */
  readonly nLabelled: number;
  /** Smallest and largest π over those rows (known-propensity designs only). */
  readonly inclusionRange: readonly [number, number] | null;
}

/** What `diagnostics.label_design` records about a design: its kind, origin, and the labels it covers. */
export type LabelDesignRecord = Omit<DataLabelDesign, "design"> & { readonly design: Pick<LabelDesign, "kind"> };

/** The label design of pooled labels (off-policy analysis) and the calibrator weights it implies. */
export interface PooledLabelDesign extends LabelDesignRecord {
  /** Design weight of each pooled label (aligned with the pool's rows); null when the labels need no reweighting (see {@link designWeights}). */
  readonly weights: Float64Array | null;
}

/** A row that may carry an inclusion probability: where it came from and its numeric fields. */
interface DesignRow {
  readonly source: RowSource;
  readonly numericFields: Readonly<Record<string, number>>;
}

/**
 * Reads the label design from the fresh draws behind `table`: `known_propensity` when the labelled
 * draws carry {@link ORACLE_INCLUSION_FIELD}, otherwise `explicit` (the caller's option) or the
 * representative default. Either every labelled draw carries π or none does; a value outside
 * (0, 1], a partial design, or rows carrying π together with an explicit design are
 * `CjeInputError`s naming the file, line and field.
 */
export function labelDesignFromDraws(draws: readonly FreshDraw[], table: EvalTable, explicit?: LabelDesign): DataLabelDesign {
  const drawOfRow = tableDraws(draws, table);
  for (const draw of drawOfRow) inclusionOf(draw);
  const labelled = Array.from(table.labelledRows, (r) => drawOfRow[r]);
  const nLabelled = labelled.length;
  const pis = labelledInclusion(labelled, "labelled fresh draw");
  if (pis === null) {
    if (explicit === undefined) return { design: { kind: "representative" }, origin: "default", nLabelled, inclusionRange: null };
    const range = explicit.kind === "known_propensity" && nLabelled > 0 ? rangeOf(Array.from(table.labelledRows, (r) => explicit.inclusion[r])) : null;
    return { design: explicit, origin: "option", nLabelled, inclusionRange: range };
  }
  if (explicit !== undefined) {
    throw new CjeInputError(`the fresh draws carry '${ORACLE_INCLUSION_FIELD}' and a label design was also passed as an option; keep one of the two`, {
      ...labelled[0].source,
      field: ORACLE_INCLUSION_FIELD,
    });
  }
  const inclusion = new Float64Array(table.scores.length).fill(Number.NaN);
  table.labelledRows.forEach((r, j) => (inclusion[r] = pis[j]));
  return { design: { kind: "known_propensity", inclusion }, origin: "rows", nLabelled, inclusionRange: rangeOf(pis) };
}

/**
 * Adds the design weights of a known-propensity design to a calibration source (Direct mode): see
 * {@link designWeights}, with the rows linked to a labelled fresh draw in the design and
 * calibration-file rows outside it. Other designs, and designs with one π for every label, return
 * `source` unchanged.
 */
export function withDesignWeights<T extends CalibrationSource>(source: T | null, design: DataLabelDesign): T | null {
  if (source === null || design.design.kind !== "known_propensity") return source;
  const inclusion = design.design.inclusion;
  const weights = designWeights(Float64Array.from(source.evalRow, (row) => (row < 0 ? Number.NaN : inclusion[row])));
  return weights === null ? source : { ...source, weights };
}

/**
 * Reads the label design of pooled oracle labels (the off-policy analysis): the labels the design
 * selected are the labelled fresh draws of `fresh` and the pooled rows of the `sources` marked
 * `design` (the labelled logged rows); calibration-file rows are outside the design. A label seen
 * twice (a logged row repeating a labelled fresh draw) was pooled once, and its π is read from the
 * pooled copy, the fresh draw. `known_propensity` when those labels carry
 * {@link ORACLE_INCLUSION_FIELD}, with the design weights of {@link designWeights}; otherwise the
 * representative default and no weights. π is checked on every fresh draw and every row of the
 * design's sources, with the errors of {@link labelDesignFromDraws}.
 */
export function pooledLabelDesign(
  pool: PooledLabels | null,
  sources: readonly LabelSource[],
  fresh: { readonly draws: readonly FreshDraw[]; readonly table: EvalTable } | null,
): PooledLabelDesign {
  const drawOfRow = fresh === null ? [] : tableDraws(fresh.draws, fresh.table);
  for (const draw of drawOfRow) inclusionOf(draw);
  for (const source of sources) if (source.design === true) source.rows.forEach(inclusionOf);
  // The pooled labels of the design (their indices in the pool) and the rows they were read from.
  const inDesign: number[] = [];
  const rows: DesignRow[] = [];
  if (pool !== null) {
    pool.sourceIndex.forEach((s, j) => {
      if (s >= 0 && sources[s].design !== true) return;
      inDesign.push(j);
      rows.push(s < 0 ? drawOfRow[pool.evalRow[j]] : sources[s].rows[pool.sourceRow[j]]);
    });
  }
  const nLabelled = rows.length;
  const pis = labelledInclusion(rows, "labelled fresh draw and labelled logged row");
  if (pool === null || pis === null) return { design: { kind: "representative" }, origin: "default", nLabelled, inclusionRange: null, weights: null };
  const inclusion = new Float64Array(pool.scores.length).fill(Number.NaN);
  inDesign.forEach((j, k) => (inclusion[j] = pis[k]));
  return { design: { kind: "known_propensity" }, origin: "rows", nLabelled, inclusionRange: rangeOf(pis), weights: designWeights(inclusion) };
}

/** The `diagnostics.label_design` entry of the JSON result. */
export function labelDesignJson(design: LabelDesignRecord): LabelDesignResult {
  return {
    kind: design.design.kind,
    origin: design.origin,
    n_labelled: design.nLabelled,
    inclusion_range: design.inclusionRange === null ? null : [design.inclusionRange[0], design.inclusionRange[1]],
    ...(design.origin === "rows" ? { field: ORACLE_INCLUSION_FIELD } : {}),
  };
}

/**
 * Calibrator weights of a known-propensity design, given the π of each calibration row (NaN for a
 * row outside the design, e.g. from a calibration file): 1/π for the design's rows, normalized to
 * mean 1 over them (so the weights reweight within the design sample without swamping rows outside
 * it, and a ridge penalty keeps its scale), and 1 for the others. An equal-probability design is
 * self-weighting — every weight would be 1 — so it gets none (null): unit weights would fit the same
 * calibrator but switch its mode-selection standard error to the weighted (Kish) formula, and the
 * analysis would no longer reproduce the unweighted one.
 */
function designWeights(inclusion: Float64Array): Float64Array | null {
  const inDesign = inclusion.filter((pi) => !Number.isNaN(pi));
  if (inDesign.every((pi) => pi === inDesign[0])) return null;
  const weights = new Float64Array(inclusion.length).fill(1);
  let sum = 0;
  let linked = 0;
  inclusion.forEach((pi, j) => {
    if (Number.isNaN(pi)) return;
    weights[j] = 1 / pi;
    sum += weights[j];
    linked++;
  });
  const scale = linked > 0 ? linked / sum : 1;
  inclusion.forEach((pi, j) => {
    if (!Number.isNaN(pi)) weights[j] *= scale;
  });
  return weights;
}

/** The fresh draw behind each row of `table`. */
function tableDraws(draws: readonly FreshDraw[], table: EvalTable): FreshDraw[] {
  return Array.from(table.inputIndex, (d) => draws[d]);
}

/** π of `row`, or undefined when it carries none; a value outside (0, 1] is an error naming file, line and field. */
function inclusionOf(row: DesignRow): number | undefined {
  const pi = row.numericFields[ORACLE_INCLUSION_FIELD];
  if (pi !== undefined && !(pi > 0 && pi <= 1)) {
    throw new CjeInputError("an inclusion probability must lie in (0, 1]", { ...row.source, field: ORACLE_INCLUSION_FIELD, value: pi });
  }
  return pi;
}

/**
 * π of each of the design's `labelled` rows, or null when none carries one. A row without π while
 * others carry one is an error naming its file and line; `what` names the rows in the message.
 */
function labelledInclusion(labelled: readonly DesignRow[], what: string): Float64Array | null {
  const pis = Float64Array.from(labelled, (row) => inclusionOf(row) ?? Number.NaN);
  const withPi = pis.findIndex((pi) => !Number.isNaN(pi));
  if (withPi < 0) return null;
  const withoutPi = pis.findIndex((pi) => Number.isNaN(pi));
  if (withoutPi >= 0) {
    const nWith = pis.reduce((n, pi) => (Number.isNaN(pi) ? n : n + 1), 0);
    const first = labelled[withPi].source;
    throw new CjeInputError(
      `missing on this labelled row, while ${nWith} of the ${labelled.length} labelled rows carry one (first at ` +
        `${first.file}:${first.line}); a design-weighted analysis needs the inclusion probability of every ` +
        `${what} — label the whole sample, or move labels chosen outside the design to a calibration file`,
      { ...labelled[withoutPi].source, field: ORACLE_INCLUSION_FIELD },
    );
  }
  return pis;
}

/** Smallest and largest of `values` (not empty). */
function rangeOf(values: ArrayLike<number>): readonly [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  return [lo, hi];
}
