/**
 * Dropped files → a run, entirely in the page: fresh-draw files become one source per policy (named as core names
 * the files of a fresh-draw folder; a CSV with a `policy` column holds the policies it names), an optional
 * calibration file adds labels, then core's `evaluationDataFromRecords` and the package's `buildRun` do what
 * `cje analyze` does on the same folder. Errors name the dropped file and line.
 */
import { CjeInputError, evaluationDataFromRecords } from "@cjeval/core";
import { formatInputError, IN_MEMORY_LABEL } from "@cjeval/core/advanced";
import { buildRun } from "../../src/build-run.js";
import type { ViewRun } from "../../src/view-model.js";
import { policyFromFileName } from "./file-policy.js";
import { type FileRows, readFileRows } from "./read-file.js";

/** Where the rows of one in-memory source came from. */
interface Origin {
  readonly file: string;
  readonly lines: number[];
}

/** The run built from the files, and the files that were skipped (reserved names) with why. */
export interface DroppedAnalysis {
  readonly run: ViewRun;
  readonly skipped: readonly string[];
}

/** Analyses `draws` (and the labels in `calibration`) as run `id`. */
export async function analyseFiles(draws: readonly File[], calibration: File | null, id: string): Promise<DroppedAnalysis> {
  if (draws.length === 0) throw new CjeInputError("no fresh-draw file chosen");
  const files = await Promise.all(draws.map(readFileRows));
  const labels = calibration === null ? null : await readFileRows(calibration);
  const records: Record<string, Record<string, unknown>[]> = Object.create(null);
  const origins = new Map<string, Origin>();
  const skipped: string[] = [];
  const add = (policy: string, file: FileRows, rows: Record<string, unknown>[], lines: number[]): void => {
    const known = origins.get(policy);
    if (known !== undefined)
      throw new CjeInputError(`policy '${policy}' comes from two files: ${known.file} and ${file.name}; keep exactly one source per policy`);
    records[policy] = rows;
    origins.set(policy, { file: file.name, lines });
  };
  for (const file of files) {
    if (file.hasPolicyColumn) {
      for (const [policy, group] of groupByPolicy(file)) add(policy, file, group.rows, group.lines);
      continue;
    }
    const policy = policyFromFileName(file.name);
    if (policy === null) skipped.push(`${file.name}: a reserved name, not a policy (choose it as the calibration file if it holds labels)`);
    else add(policy, file, file.rows, file.lines);
  }
  if (origins.size === 0) throw new CjeInputError("no fresh-draw file left: every file has a reserved name");
  const sorted: Record<string, Record<string, unknown>[]> = Object.create(null);
  for (const policy of [...origins.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))) sorted[policy] = records[policy];
  if (labels !== null) origins.set("calibration", { file: labels.name, lines: labels.lines });
  try {
    const data = evaluationDataFromRecords(sorted, labels === null ? {} : { calibration: labels.rows });
    const run = buildRun({ id, label: files.map((f) => f.name).join(", "), kind: "dropped", source: "files dropped on the page" }, data);
    return { run, skipped };
  } catch (error) {
    throw error instanceof CjeInputError ? relocate(error, origins) : error;
  }
}

function groupByPolicy(file: FileRows): Map<string, { rows: Record<string, unknown>[]; lines: number[] }> {
  const groups = new Map<string, { rows: Record<string, unknown>[]; lines: number[] }>();
  file.rows.forEach((row, i) => {
    const policy = row.policy;
    if (typeof policy !== "string" || policy.trim() === "") {
      throw new CjeInputError("missing: every row of a CSV with a policy column must name its policy", {
        file: file.name,
        line: file.lines[i],
        field: "policy",
      });
    }
    let group = groups.get(policy);
    if (group === undefined) groups.set(policy, (group = { rows: [], lines: [] }));
    group.rows.push(row);
    group.lines.push(file.lines[i]);
  });
  return groups;
}

/** `error` located in the dropped file and line instead of core's in-memory source (`in-memory[<policy>]:<index>`). */
function relocate(error: CjeInputError, origins: ReadonlyMap<string, Origin>): CjeInputError {
  const { file, line } = error.location;
  const key = file?.startsWith(`${IN_MEMORY_LABEL}[`) && file.endsWith("]") ? file.slice(IN_MEMORY_LABEL.length + 1, -1) : null;
  const origin = key === null ? undefined : origins.get(key);
  if (origin === undefined) return error;
  const prefix = formatInputError("", error.location);
  const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return new CjeInputError(message, { ...error.location, file: origin.file, line: line === undefined ? undefined : origin.lines[line - 1] });
}
