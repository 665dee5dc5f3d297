/**
 * The to-label file: one JSONL row per sampled fresh draw, in labelling order, carrying what joins
 * the label back (policy, prompt_id, draw_idx), the row's inclusion probability π and design
 * weight 1/π, the text a labeller needs, and `oracle_label` (null until labelled). Labellers see only
 * the prompt and the response; the labelling page and the LLM oracle write `oracle_label` into this
 * file, which is then imported with `importLabels`.
 */
import { CjeInputError, type Scale } from "@cjeval/core";
import { fromInternal, ORACLE_INCLUSION_FIELD } from "@cjeval/core/advanced";
import { readJsonl } from "@cjeval/core/node";
import { z } from "zod";
import { itemIdOf, type SamplingFrame } from "./frame.js";
import type { DesignPlan } from "./sample.js";

/** Zod schema of a to-label row. */
export const ToLabelRowSchema = z.object({
  item_id: z.string().min(1),
  policy: z.string().min(1),
  prompt_id: z.string(),
  draw_idx: z.number().int().nonnegative(),
  /** Judge score on the judge scale of the fresh draws (for reference; never shown to labellers). */
  judge_score: z.number(),
  [ORACLE_INCLUSION_FIELD]: z.number().gt(0).lte(1),
  /** 1/π. */
  design_weight: z.number().gte(1),
  stratum: z.string().optional(),
  prompt: z.string().nullable(),
  response: z.string().nullable(),
  /** The oracle label on the oracle scale, or null while unlabelled. */
  oracle_label: z.number().nullable(),
});

/** A to-label row. */
export type ToLabelRow = z.infer<typeof ToLabelRowSchema>;

/**
 * The to-label rows of a drawn sample. Rows that already carry an oracle label keep it (converted
 * back to `oracleScale`, the scale the labels were read on), so a later, larger round only asks for
 * the new rows.
 */
export function toLabelRows(frame: SamplingFrame, plan: DesignPlan, selected: Int32Array, oracleScale: Scale | null): ToLabelRow[] {
  return Array.from(selected, (i) => {
    const row = frame.rows[i];
    const pi = plan.inclusion[i];
    const stratum = plan.selection.kind === "stratified" && plan.strata !== undefined ? plan.strata[plan.selection.stratum[i]].label : undefined;
    return {
      item_id: itemIdOf(row),
      policy: row.policy,
      prompt_id: row.promptId,
      draw_idx: row.drawIdx,
      judge_score: tidy(fromInternal(frame.judgeScale, row.score)),
      [ORACLE_INCLUSION_FIELD]: pi,
      design_weight: 1 / pi,
      ...(stratum !== undefined ? { stratum } : {}),
      prompt: row.prompt ?? null,
      response: row.response ?? null,
      oracle_label: row.label === null || oracleScale === null ? null : tidy(fromInternal(oracleScale, row.label)),
    };
  });
}

/** The rows as JSONL text. */
export function formatJsonl(rows: readonly object[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join("");
}

/**
 * Reads and validates a to-label file. Each problem is a `CjeInputError` naming file, line, field
 * and value; duplicate item ids are errors too.
 */
export async function readToLabel(file: string): Promise<{ rows: ToLabelRow[]; lines: number[] }> {
  const rows: ToLabelRow[] = [];
  const lines: number[] = [];
  const seen = new Map<string, number>();
  await readJsonl(file, (value, line) => {
    const parsed = ToLabelRowSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.map(String).join(".");
      const shown = field.length > 0 && typeof value === "object" && value !== null ? (value as Record<string, unknown>)[field] : value;
      throw new CjeInputError(`invalid to-label row: ${issue.message}`, { file, line, ...(field.length > 0 ? { field } : {}), value: shown ?? null });
    }
    const first = seen.get(parsed.data.item_id);
    if (first !== undefined)
      throw new CjeInputError(`duplicate item id (first at line ${first})`, { file, line, field: "item_id", value: parsed.data.item_id });
    seen.set(parsed.data.item_id, line);
    rows.push(parsed.data);
    lines.push(line);
  });
  return { rows, lines };
}

/** Removes binary round-off from a unit conversion (e.g. 0.8500000000000001 → 0.85). */
function tidy(x: number): number {
  return Number(x.toPrecision(12));
}
