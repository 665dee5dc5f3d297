/**
 * Inspect AI eval logs: the `.json` log (`inspect eval --log-format json`) and the `.eval` zip archive
 * (the default format since Inspect 0.3.46: `header.json` or `_journal/start.json` holds the eval
 * spec, `samples/<id>_epoch_<n>.json` one sample each), read with `fflate`.
 */
import { readFile } from "node:fs/promises";
import { CjeInputError } from "@cjeval/core";
import { strFromU8, unzipSync } from "fflate";
import { arrayRecords, type LocatedRecord } from "../input/records.js";
import { readStructuredFile } from "../input/structured-file.js";

/** An eval log's spec and its samples. */
export interface InspectLog {
  /** The log's `eval` object (task, model, scorers, …). */
  readonly eval: Record<string, unknown>;
  readonly samples: LocatedRecord[];
}

function object(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

async function readJsonLog(file: string): Promise<InspectLog> {
  const doc = await readStructuredFile(file);
  const top = object(doc.value);
  const spec = object(top?.eval);
  if (top === undefined || spec === undefined) throw new CjeInputError("not an Inspect eval log (no 'eval' object at the top level)", { file, field: "eval" });
  if (!Array.isArray(top.samples)) {
    throw new CjeInputError("the log has no samples (written with --no-log-samples, or only a header): nothing to import", { file, field: "samples" });
  }
  return { eval: spec, samples: arrayRecords(doc, ["samples"]) };
}

const SAMPLE_ENTRY = /^samples\/.+\.json$/;

async function readEvalArchive(file: string): Promise<InspectLog> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(await readFile(file)), {
      filter: (f) => f.name === "header.json" || f.name.endsWith("start.json") || SAMPLE_ENTRY.test(f.name),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CjeInputError("file not found", { file });
    throw new CjeInputError(`not a readable .eval archive (${(error as Error).message})`, { file });
  }
  const json = (name: string): Record<string, unknown> => {
    try {
      const value = object(JSON.parse(strFromU8(entries[name])));
      if (value === undefined) throw new Error("not a JSON object");
      return value;
    } catch (error) {
      throw new CjeInputError(`invalid JSON in the archive entry ${name}: ${(error as Error).message}`, { file });
    }
  };
  const headerName = ["header.json", "_journal/start.json", "start.json"].find((name) => entries[name] !== undefined);
  const spec = headerName === undefined ? undefined : object(json(headerName).eval);
  if (spec === undefined) throw new CjeInputError("not an Inspect .eval archive (no header.json or _journal/start.json with an 'eval' object)", { file });
  const names = Object.keys(entries)
    .filter((name) => SAMPLE_ENTRY.test(name))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  if (names.length === 0) throw new CjeInputError("the archive holds no samples: nothing to import", { file, field: "samples" });
  return { eval: spec, samples: names.map((name) => ({ value: json(name), file: `${file}:${name}`, line: undefined })) };
}

/** Reads an Inspect log: `.eval` archives by their name, JSON logs otherwise. */
export async function readInspectLog(file: string): Promise<InspectLog> {
  return /\.eval$/i.test(file) ? readEvalArchive(file) : readJsonLog(file);
}
