/**
 * The results of a promptfoo file: `promptfoo eval -o results.json` / `.yaml` (the `OutputFile`, V3
 * `results.results`; V2 and older `results.outputs`, `outputs`, or a bare summary), `promptfoo export
 * eval <id> -o file.json` (the same `OutputFile`), and `-o results.jsonl` (one result per line). The
 * `-o results.csv` display table is refused: it has lost which assertion gave which score.
 */
import { CjeInputError } from "@cjeval/core";
import type { JsonPath } from "../input/json-locate.js";
import { arrayRecords, readRecordSource, type LocatedRecord } from "../input/records.js";

const CANDIDATE_PATHS: readonly JsonPath[] = [["results", "results"], ["results", "outputs"], ["outputs"], ["results"], []];

function object(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function resultsPath(top: unknown): JsonPath | undefined {
  return CANDIDATE_PATHS.find((path) => {
    let value: unknown = top;
    for (const key of path) value = object(value)?.[key as string];
    return Array.isArray(value);
  });
}

/** The result records of a promptfoo output or export file. */
export async function readPromptfooResults(file: string): Promise<LocatedRecord[]> {
  if (/\.(csv|tsv)$/i.test(file)) {
    throw new CjeInputError("unsupported: promptfoo's CSV is a display table; export JSON or JSONL (promptfoo eval -o results.json, or -o results.jsonl)", {
      file,
    });
  }
  if (/\.(html?|xml|txt)$/i.test(file)) {
    throw new CjeInputError(
      "unsupported: promptfoo's HTML, XML and text outputs are reports; export JSON or JSONL (promptfoo eval -o results.json, or -o results.jsonl)",
      { file },
    );
  }
  const source = await readRecordSource(file);
  if (source.kind === "lines") return source.records;
  const path = resultsPath(source.doc.value);
  if (path === undefined) {
    throw new CjeInputError(
      "no results array found (expected results.results, results.outputs, outputs or results: the file promptfoo eval -o or promptfoo export eval writes)",
      {
        file,
      },
    );
  }
  return arrayRecords(source.doc, path);
}
