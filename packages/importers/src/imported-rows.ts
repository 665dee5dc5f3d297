/**
 * What every importer produces: fresh-draw rows in the format `cje analyze` reads, with where each came
 * from, plus the records that could not become rows and why (nothing is dropped without a count).
 */
import path from "node:path";
import { CjeInputError } from "@cjeval/core";
import { writeFileAtomic } from "@cjeval/provider-utils";

/** One imported response of one policy to one prompt. */
export interface ImportedRow {
  readonly policy: string;
  readonly prompt_id: string;
  /** Which response to this prompt (repeats, epochs, red-team strategies); absent for a lone response. */
  readonly draw_idx?: number;
  /** The judge's score as the source wrote it. */
  readonly judge_score: number;
  readonly oracle_label?: number;
  readonly prompt?: string;
  readonly response?: string;
  /** File and line of the record. */
  readonly source: { readonly file: string; readonly line?: number };
}

/** A source record that did not become a row. */
export interface SkippedRecord {
  readonly file: string;
  readonly line?: number;
  readonly reason: string;
}

/** An importer's output. */
export interface ImportResult {
  readonly rows: ImportedRow[];
  readonly skipped: SkippedRecord[];
  /** What the import decided that the user should know (which score was taken, renamed policies, …). */
  readonly notes?: string[];
}

/** The JSONL record of a row (`policy` included, `source` left out). */
export function freshDrawRecord(row: ImportedRow): Record<string, unknown> {
  const { source: _source, ...record } = row;
  return record;
}

/**
 * Writes rows where `cje analyze` can read them: one JSONL file with a `policy` field (`out` ends in
 * `.jsonl`), or a folder of `<policy>_responses.jsonl` files. Two rows for the same policy, prompt and draw
 * are an error naming both sources and how to tell them apart.
 */
export async function writeImportedRows(rows: readonly ImportedRow[], out: string): Promise<string[]> {
  const seen = new Map<string, ImportedRow["source"]>();
  for (const row of rows) {
    const id = `${row.policy}\u0000${row.prompt_id}\u0000${row.draw_idx ?? ""}`;
    const first = seen.get(id);
    if (first !== undefined) {
      const where = `${first.file}${first.line === undefined ? "" : `:${first.line}`}`;
      throw new CjeInputError(
        `a second row for policy '${row.policy}' and prompt '${row.prompt_id}'${row.draw_idx === undefined ? "" : ` draw ${row.draw_idx}`} (first: ${where}). ` +
          "Rows from different providers or experiments need different policy names (promptfoo: --policy-from label, or provider labels; " +
          "LangSmith/Inspect: --policy or --policy-from); the same file imported twice is a mistake.",
        {
          file: row.source.file,
          ...(row.source.line === undefined ? {} : { line: row.source.line }),
          field: "prompt_id",
          value: row.prompt_id,
        },
      );
    }
    seen.set(id, row.source);
  }
  const lines = (subset: readonly ImportedRow[]) => `${subset.map((r) => JSON.stringify(freshDrawRecord(r))).join("\n")}\n`;
  if (/\.jsonl$/i.test(out)) {
    await writeFileAtomic(out, lines(rows));
    return [out];
  }
  const byPolicy = new Map<string, ImportedRow[]>();
  for (const row of rows) byPolicy.set(row.policy, [...(byPolicy.get(row.policy) ?? []), row]);
  const written: string[] = [];
  for (const [policy, subset] of byPolicy) {
    if (/[/\\]/.test(policy))
      throw new CjeInputError("policy names with '/' cannot name files: write a .jsonl file instead of a folder", { field: "policy", value: policy });
    const file = path.join(out, `${policy}_responses.jsonl`);
    await writeFileAtomic(file, lines(subset));
    written.push(file);
  }
  return written;
}
