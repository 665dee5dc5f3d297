/**
 * Joining labels back: the oracle labels of a to-label file (filled in by the labelling page or the
 * LLM oracle, or collected in an exported CSV/JSONL) are written into the fresh-draw files, on the
 * rows they belong to (policy, prompt_id, draw_idx), together with each row's inclusion probability.
 * `analyze` then reads those rows as a known-propensity design.
 *
 * Everything is checked before any file is touched: every sampled row must be labelled (or
 * explicitly skipped), labels must lie on the oracle scale of the fresh draws, a different label
 * already on a row is a conflict, and a row carrying an inclusion probability from another sample
 * is refused. The new contents of every fresh-draw file are computed, then all files are replaced
 * together or none is (`replaceFilesTogether`); lines that get no label are kept byte for byte.
 */
import { readFile } from "node:fs/promises";
import { CjeInputError, type FreshDraw, type Scale } from "@cjeval/core";
import { loadEvaluationData } from "@cjeval/core/node";
import { formatScale, fromInternal, inferStandardScale, isOnScale, ORACLE_INCLUSION_FIELD } from "@cjeval/core/advanced";
import { drawKey } from "./frame.js";
import { readLabelFile } from "./oracles/import.js";
import { readToLabel } from "./to-label.js";
import { replaceFilesTogether, type FileReplacement } from "./write-files.js";

/** Options of {@link importLabels}. */
export interface ImportLabelsOptions {
  /** The to-label file written by the sampler. */
  readonly toLabel: string;
  /** The fresh-draw folders/files the sample was drawn from (rewritten in place). */
  readonly inputs: readonly string[];
  /** A CSV/JSONL of `item_id`, `oracle_label` (an exported file, filled in); default: the labels in the to-label file. */
  readonly labels?: string;
  /** Declared oracle scale; default: the scale of the labels already in the fresh draws, else inferred from the new labels. */
  readonly oracleScale?: Scale;
  /** Declared judge scale of the fresh draws (as for `analyze`). */
  readonly judgeScale?: Scale;
  /** Replace a different label already on a row (default: refuse). */
  readonly overwrite?: boolean;
  /** Skip sampled rows without a label instead of refusing (their absence can bias the estimate). */
  readonly allowMissing?: boolean;
}

/** What {@link importLabels} did. */
export interface ImportReport {
  /** Rows given a label they did not have (or a different one, with `overwrite`). */
  readonly labelled: number;
  /** Rows that already held the same label (their inclusion probability was refreshed). */
  readonly unchanged: number;
  /** Sampled rows skipped for lack of a label (`allowMissing`). */
  readonly missing: number;
  readonly files: readonly string[];
  readonly oracleScale: Scale;
  readonly warnings: readonly string[];
}

interface Located {
  readonly label: number;
  readonly file: string;
  readonly line: number;
}

/** Writes the labels and inclusion probabilities of a sample into its fresh-draw files. */
export async function importLabels(options: ImportLabelsOptions): Promise<ImportReport> {
  const { rows, lines } = await readToLabel(options.toLabel);
  const labels: (Located | null)[] = rows.map((r, i) => (r.oracle_label === null ? null : { label: r.oracle_label, file: options.toLabel, line: lines[i] }));
  if (options.labels !== undefined) {
    const position = new Map(rows.map((r, i) => [r.item_id, i]));
    for (const imported of await readLabelFile(options.labels)) {
      const i = position.get(imported.itemId);
      if (i === undefined)
        throw new CjeInputError(`no such item in ${options.toLabel}`, { file: imported.file, line: imported.line, field: "item_id", value: imported.itemId });
      if (imported.label === null) continue;
      const known = labels[i];
      if (known !== null && known.label !== imported.label) {
        throw new CjeInputError(`conflicts with the label ${known.label} in ${known.file}:${known.line}`, {
          file: imported.file,
          line: imported.line,
          field: "oracle_label",
          value: imported.label,
        });
      }
      labels[i] = { label: imported.label, file: imported.file, line: imported.line };
    }
  }
  const missing = labels.filter((l) => l === null).length;
  if (missing > 0 && options.allowMissing !== true) {
    const first = labels.indexOf(null);
    throw new CjeInputError(
      `${missing} of ${rows.length} sampled rows have no label: a design-weighted estimate needs every sampled row labelled ` +
        "(finish labelling, or skip them knowingly with --allow-missing)",
      { file: options.toLabel, line: lines[first], field: "oracle_label" },
    );
  }

  const data = await loadEvaluationData([...options.inputs], {
    ...(options.judgeScale !== undefined ? { judgeScale: options.judgeScale } : {}),
    ...(options.oracleScale !== undefined ? { oracleScale: options.oracleScale } : {}),
  });
  const scale = oracleScaleFor(labels, options.oracleScale, data.oracleScale?.scale ?? null, data.draws);
  const draws = new Map(data.draws.map((d) => [drawKey(d), d]));
  const edits = new Map<string, Map<number, { label: number; inclusion: number }>>();
  let labelled = 0;
  let unchanged = 0;
  const sampled = new Set<FreshDraw>();
  rows.forEach((row, i) => {
    const draw = draws.get(drawKey({ policy: row.policy, promptId: row.prompt_id, drawIdx: row.draw_idx }));
    if (draw === undefined) {
      throw new CjeInputError(`no fresh draw of policy '${row.policy}' with prompt_id '${row.prompt_id}' and draw_idx ${row.draw_idx} in the inputs`, {
        file: options.toLabel,
        line: lines[i],
      });
    }
    sampled.add(draw);
    const located = labels[i];
    if (located === null) return;
    if (!isOnScale(scale, located.label)) {
      throw new CjeInputError(`outside the oracle scale ${formatScale(scale)} of the fresh draws`, {
        file: located.file,
        line: located.line,
        field: "oracle_label",
        value: located.label,
      });
    }
    const current = draw.oracleLabel === null ? null : fromInternal(scale, draw.oracleLabel);
    const same = current !== null && Math.abs(current - located.label) <= 1e-9 * Math.max(1, Math.abs(located.label));
    if (current !== null && !same && options.overwrite !== true) {
      throw new CjeInputError(`the fresh draw already has a different label (${Number(current.toPrecision(12))}); pass --overwrite to replace it`, {
        file: draw.source.file,
        line: draw.source.line,
        field: "oracle_label",
        value: located.label,
      });
    }
    if (same) unchanged++;
    else labelled++;
    let byLine = edits.get(draw.source.file);
    if (byLine === undefined) edits.set(draw.source.file, (byLine = new Map()));
    byLine.set(draw.source.line, { label: located.label, inclusion: row[ORACLE_INCLUSION_FIELD] });
  });
  const warnings: string[] = [];
  if (missing > 0) warnings.push(`${missing} sampled row(s) have no label and were skipped: the estimate assumes they are missing at random`);
  let outside = 0;
  for (const d of data.draws) {
    if (sampled.has(d)) continue;
    if (d.numericFields[ORACLE_INCLUSION_FIELD] !== undefined) {
      throw new CjeInputError(
        `this row carries an inclusion probability but is not in ${options.toLabel}: it belongs to another sample, and one analysis ` +
          "needs one design (import the later round of the same design, or remove the field)",
        { ...d.source, field: ORACLE_INCLUSION_FIELD, value: d.numericFields[ORACLE_INCLUSION_FIELD] },
      );
    }
    if (d.oracleLabel !== null) outside++;
  }
  if (outside > 0) {
    warnings.push(
      `${outside} labelled fresh draw(s) are not part of this sample; a design-weighted analysis refuses a mix, so move their labels to a calibration file`,
    );
  }
  const replacements: FileReplacement[] = [];
  for (const [file, byLine] of edits) replacements.push(await rewriteLines(file, byLine));
  await replaceFilesTogether(replacements);
  return { labelled, unchanged, missing, files: [...edits.keys()], oracleScale: scale, warnings };
}

/**
 * The oracle scale the labels must lie on: declared, else that of the labels already in the fresh
 * draws, else the standard scale inferred from the new labels.
 */
function oracleScaleFor(labels: readonly (Located | null)[], declared: Scale | undefined, existing: Scale | null, draws: readonly FreshDraw[]): Scale {
  if (declared !== undefined) return declared;
  if (existing !== null && draws.some((d) => d.oracleLabel !== null)) return existing;
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of labels) {
    if (l === null) continue;
    lo = Math.min(lo, l.label);
    hi = Math.max(hi, l.label);
  }
  const inferred = Number.isFinite(lo) ? inferStandardScale(lo, hi) : null;
  if (inferred === null) {
    throw new CjeInputError(`the labels (from ${lo} to ${hi}) fit no standard scale; declare the oracle scale (--oracle-scale LO,HI)`, {
      field: "oracle_label",
    });
  }
  return inferred;
}

/** The new contents of `file` with the edits made (nothing is written yet). */
async function rewriteLines(file: string, byLine: ReadonlyMap<number, { label: number; inclusion: number }>): Promise<FileReplacement> {
  const previous = await readFile(file, "utf8");
  const lines = previous.split("\n");
  for (const [line, edit] of byLine) {
    let text = lines[line - 1];
    const cr = text.endsWith("\r") ? "\r" : "";
    const bom = line === 1 && text.charCodeAt(0) === 0xfeff ? "\ufeff" : "";
    text = text.slice(bom.length, text.length - cr.length);
    const row = JSON.parse(text) as Record<string, unknown>;
    row.oracle_label = edit.label;
    row[ORACLE_INCLUSION_FIELD] = edit.inclusion;
    lines[line - 1] = `${bom}${JSON.stringify(row)}${cr}`;
  }
  return { file, contents: lines.join("\n"), previous };
}
