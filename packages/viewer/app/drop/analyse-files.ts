/**
 * Dropped files → a run, entirely in the page, read as `cje analyze <files…>` reads the same files: each file is
 * laid out by its name (core's `drawFileLayout`: `<policy>_responses.*` holds one policy, any other file holds the
 * policy its name gives or, when its first row names another policy, the policies its rows name), an optional
 * calibration file adds labels, then core's `evaluationDataFromSources` (the reading of `loadEvaluationData`) and
 * the package's `buildRun` do what `cje analyze` does. Errors name the dropped file and line.
 */
import { CjeInputError } from "@cjeval/core";
import { type DrawRecordSource, drawFileLayout, evaluationDataFromSources } from "@cjeval/core/advanced";
import { buildRun } from "../../src/build-run.js";
import type { ViewRun } from "../../src/view-model.js";
import { readFileRecords } from "./read-file.js";

/**
 * Analyses `draws` (and the labels in `calibration`) as run `id`. The files are read sorted by name, so the result
 * does not depend on the order they were chosen in.
 */
export async function analyseFiles(draws: readonly File[], calibration: File | null, id: string): Promise<ViewRun> {
  if (draws.length === 0) throw new CjeInputError("no fresh-draw file chosen");
  const files = [...draws].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const sources: DrawRecordSource[] = (await Promise.all(files.map(readFileRecords))).map((source) => ({ ...source, ...drawFileLayout(source.file) }));
  const labels = calibration === null ? undefined : await readFileRecords(calibration);
  const data = evaluationDataFromSources(sources, labels === undefined ? {} : { calibration: labels });
  return buildRun({ id, label: files.map((f) => f.name).join(", "), kind: "dropped", source: "files dropped on the page" }, data);
}
