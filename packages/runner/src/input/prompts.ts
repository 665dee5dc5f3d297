/** The prompts of a campaign, from a JSONL or CSV file or given inline. */
import path from "node:path";
import { CjeInputError } from "@cjeval/core";
import { promptHashId } from "@cjeval/core/advanced";
import { readJsonl } from "@cjeval/core/node";
import type { Campaign } from "../config/schema.js";
import { parseCsvTable } from "@cjeval/oracle";
import { readTextFile } from "@cjeval/importers";

/** One prompt every policy answers. */
export interface CampaignPrompt {
  readonly id: string;
  readonly text: string;
}

/**
 * Reads the campaign's prompts. Each row needs a non-empty string prompt; its id comes from `idField`
 * (default `prompt_id`, a string or number) or is a hash of the text. Duplicate ids are errors naming
 * both lines.
 */
export async function loadPrompts(spec: Campaign["prompts"], baseDir: string): Promise<CampaignPrompt[]> {
  if (typeof spec === "object" && "items" in spec)
    return checkUnique(
      spec.items.map((item, i) => ({ ...item, line: i + 1 })),
      "in-memory[prompts]",
    );
  const options = typeof spec === "string" ? { file: spec } : spec;
  const file = path.resolve(baseDir, options.file);
  const idField = options.idField ?? "prompt_id";
  const textField = options.textField ?? "prompt";
  const rows: Array<CampaignPrompt & { line: number }> = [];
  const take = (record: Record<string, unknown>, line: number) => {
    if (options.limit !== undefined && rows.length >= options.limit) return;
    const text = record[textField];
    if (typeof text !== "string" || text.trim() === "")
      throw new CjeInputError("must be a non-empty string", { file, line, field: textField, value: text ?? null });
    const id = record[idField];
    if (id !== undefined && id !== null && id !== "" && typeof id !== "string" && typeof id !== "number") {
      throw new CjeInputError("must be a string or a number", { file, line, field: idField, value: id });
    }
    rows.push({ id: id === undefined || id === null || id === "" ? promptHashId(text) : String(id), text, line });
  };
  if (/\.csv$/i.test(file)) {
    for (const row of parseCsvTable(await readTextFile(file), file, [textField]).rows) take(row.values, row.line);
  } else {
    await readJsonl(file, (value, line) => {
      if (value === null || typeof value !== "object" || Array.isArray(value))
        throw new CjeInputError("each line must be a JSON object", { file, line, value });
      take(value as Record<string, unknown>, line);
    });
  }
  if (rows.length === 0) throw new CjeInputError("no prompts found", { file });
  return checkUnique(rows, file);
}

function checkUnique(rows: ReadonlyArray<CampaignPrompt & { line: number }>, file: string): CampaignPrompt[] {
  const seen = new Map<string, number>();
  return rows.map(({ id, text, line }) => {
    const first = seen.get(id);
    if (first !== undefined) throw new CjeInputError(`duplicate prompt id (first on line ${first})`, { file, line, field: "prompt_id", value: id });
    seen.set(id, line);
    return { id, text };
  });
}
